"""The turnover and tenure page: company figures and the per-department comparison."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from people import selectors
from tests.factories import DepartmentFactory, EmployeeFactory

D = datetime.date
LONG_AGO = D(2018, 1, 1)


@pytest.fixture
def moved_time():
    with time_machine.travel(datetime.datetime(2026, 6, 30, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _people(department, count: int, *, hired_on=LONG_AGO, left_on=None):
    return EmployeeFactory.create_batch(count, department=department, hired_on=hired_on, left_on=left_on)


def test_it_reads_the_company_figures_from_the_employee_records(db, moved_time):
    front = DepartmentFactory(name="Front desk")
    _people(front, 1, hired_on=D(2015, 1, 10))
    _people(front, 1, hired_on=D(2021, 6, 30))
    _people(front, 1, hired_on=D(2026, 2, 1))
    _people(front, 1, hired_on=D(2019, 3, 1), left_on=D(2025, 12, 31))
    _people(front, 1, hired_on=D(2024, 1, 1), left_on=D(2025, 6, 30))
    _people(front, 1, hired_on=D(2025, 9, 15), left_on=D(2026, 6, 30))
    figures = selectors.workforce_summary()
    assert figures.on == D(2026, 6, 30)
    assert (figures.headcount, figures.leavers, figures.in_adaptation, figures.long_tenure) == (3, 2, 1, 1)
    assert figures.turnover_rate == pytest.approx(26 / 47)


def test_it_reads_one_department_on_its_own(db, moved_time):
    front, back = DepartmentFactory(name="Front desk"), DepartmentFactory(name="Back office")
    _people(front, 2)
    _people(back, 3, left_on=D(2026, 1, 1))
    assert selectors.workforce_summary(department_id=front.pk).headcount == 2
    assert selectors.workforce_summary(department_id=back.pk).leavers == 3


def test_it_lists_departments_by_name(db, moved_time):
    _people(DepartmentFactory(name="Sales"), 1)
    _people(DepartmentFactory(name="Front desk"), 2)
    rows = selectors.workforce_by_department()
    assert [(row.department_name, row.figures.headcount) for row in rows] == [("Front desk", 2), ("Sales", 1)]


def test_it_shows_turnover_beside_the_service_figures(manager_client, moved_time):
    front = DepartmentFactory(name="Front desk")
    _people(front, 4)
    _people(front, 2, left_on=D(2026, 3, 1))
    response = manager_client.get(reverse("metrics:turnover"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Front desk" in content
    assert "data:image/png;base64," in content
    row = next(r for r in response.context["rows"] if r.department_name == "Front desk")
    assert (row.figures.headcount, row.figures.leavers) == (4, 2)


def test_it_refuses_staff(staff_client):
    assert staff_client.get(reverse("metrics:turnover")).status_code == 403


@pytest.mark.parametrize("departments", [2, 8, 25])
def test_it_builds_the_page_in_a_bounded_number_of_queries(
    manager_client, moved_time, django_assert_max_num_queries, departments
):
    for n in range(departments):
        department = DepartmentFactory(name=f"Department {n}")
        _people(department, 3)
        _people(department, 1, left_on=D(2026, 1, 1))
    with django_assert_max_num_queries(14):
        manager_client.get(reverse("metrics:turnover"))


def test_it_counts_complaints_of_the_last_12_months_per_head(db, moved_time):
    from metrics.turnover_comparison import department_comparison_report
    from tests.factories import ComplaintFactory

    front = DepartmentFactory(name="Front desk")
    _people(front, 4)
    now = datetime.datetime(2026, 6, 30, 12, 0, tzinfo=datetime.UTC)
    ComplaintFactory.create_batch(6, department=front, received_at=now - datetime.timedelta(days=10))
    ComplaintFactory(department=front, received_at=now - datetime.timedelta(days=400))
    ComplaintFactory(department=None, received_at=now)
    row = next(r for r in department_comparison_report().rows if r.department_name == "Front desk")
    assert row.complaints == 6
    assert row.complaints_per_head == pytest.approx(6 / 4)


def _front_headcount(response) -> int:
    return next(
        row.figures.headcount for row in response.context["rows"] if row.department_name == "Front desk"
    )


def test_it_keeps_the_department_comparison_ten_minutes_and_says_when_it_was_computed(db, manager_client):
    front = DepartmentFactory(name="Front desk")
    _people(front, 2)
    url = reverse("metrics:turnover")
    with time_machine.travel(datetime.datetime(2026, 6, 30, 9, 0, tzinfo=datetime.UTC), tick=False):
        first = manager_client.get(url)
        _people(front, 1)
        second = manager_client.get(url)
    with time_machine.travel(datetime.datetime(2026, 6, 30, 9, 11, tzinfo=datetime.UTC), tick=False):
        later = manager_client.get(url)
    assert _front_headcount(first) == 2
    assert _front_headcount(second) == 2
    assert second.context["comparison"].computed_at == first.context["comparison"].computed_at
    assert b"workforce-computed-at" in second.content
    assert "recomputed every 10 minutes" in second.content.decode()
    assert _front_headcount(later) == 3
    assert later.context["comparison"].computed_at > first.context["comparison"].computed_at


def test_it_reads_todays_training_compliance_from_the_stored_standings(db, moved_time, monkeypatch):
    from metrics import turnover_comparison
    from training import services as training_services

    front = DepartmentFactory(name="Front desk")
    _people(front, 3)  # hired long ago, never trained: none compliant
    training_services.training_standings_rebuild()

    def _from_the_facts(**kwargs):
        raise AssertionError("today's figures come from the stored standings")

    monkeypatch.setattr(turnover_comparison, "employee_standings", _from_the_facts)
    report = turnover_comparison.department_comparison_report()
    row = next(r for r in report.rows if r.department_name == "Front desk")
    assert row.training_percent == 0.0
    assert report.company.training_percent == 0.0


def _counting_calls(monkeypatch, module, name: str) -> list:
    """Replaces ``module.name`` with itself counting its calls (the list of their arguments)."""
    calls = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_it_reads_todays_training_figures_once_for_the_company_and_its_departments(
    db, moved_time, monkeypatch
):
    from metrics import turnover_comparison
    from training import services as training_services

    for name in ("Front desk", "Kitchen", "Bar"):
        _people(DepartmentFactory(name=name), 2)
    training_services.training_standings_rebuild()
    reads = _counting_calls(monkeypatch, turnover_comparison, "stored_compliance")
    report = turnover_comparison.department_comparison_report()
    assert len(reads) == 1
    assert report.company.training_percent == 0.0
    assert {row.training_percent for row in report.rows} == {0.0}


def test_it_computes_another_days_training_standings_once(db, moved_time, monkeypatch):
    from metrics import turnover_comparison

    for name in ("Front desk", "Kitchen"):
        _people(DepartmentFactory(name=name), 2)
    computed = _counting_calls(monkeypatch, turnover_comparison, "employee_standings")
    report = turnover_comparison.department_comparison_report(on=D(2026, 3, 31))
    assert len(computed) == 1
    assert report.company.training_percent == 0.0
    assert {row.training_percent for row in report.rows} == {0.0}


def _departments_with_turnover(count: int) -> list:
    """``count`` departments; department n has 4 + n people and lost n % 4 this year."""
    departments = []
    for n in range(count):
        department = DepartmentFactory(name=f"Department {n:02d}")
        _people(department, 4 + n)
        _people(department, n % 4, left_on=D(2026, 1, 1))
        departments.append(department)
    return departments


def test_it_shows_a_page_of_departments_with_page_links(manager_client, moved_time):
    _departments_with_turnover(25)  # and the manager's own department: 26
    url = reverse("metrics:turnover")
    first = manager_client.get(url)
    second = manager_client.get(url, {"page": 2})
    assert len(first.context["rows"]) == 20 and len(second.context["rows"]) == 6
    assert "Departments 1–20 of 26" in first.content.decode()
    assert "Page 1 of 2" in first.content.decode() and "page=2" in first.content.decode()
    shown = {row.department_name for row in [*first.context["rows"], *second.context["rows"]]}
    assert len(shown) == 26


def test_it_puts_the_departments_with_most_turnover_first(manager_client, moved_time):
    _departments_with_turnover(6)
    rows = manager_client.get(reverse("metrics:turnover")).context["rows"]
    rates = [row.figures.turnover_rate for row in rows]
    assert rates == sorted(rates, reverse=True) and rates[0] > rates[-1]


@pytest.mark.parametrize(
    ("sort", "names"),
    [("name", ["Department 00", "Department 01", "Department 02"]), ("people", ["Department 02"])],
)
def test_it_orders_the_departments_by_the_column_asked(manager_client, moved_time, sort, names):
    _departments_with_turnover(3)
    response = manager_client.get(reverse("metrics:turnover"), {"sort": sort})
    assert [row.department_name for row in response.context["rows"]][: len(names)] == names
    assert f'data-testid="sort-{sort}"' in response.content.decode()
    assert response.context["sort"] == sort


def test_it_marks_the_column_it_orders_by_and_links_each_column_from_the_first_page(
    manager_client, moved_time
):
    _departments_with_turnover(3)
    html = manager_client.get(reverse("metrics:turnover"), {"sort": "training", "page": "1"}).content.decode()
    assert html.count('aria-sort="ascending"') == 1 and html.count('aria-sort="none"') == 5
    assert 'href="?sort=training" data-testid="sort-training">Training compliance <span' in html
    assert 'href="?sort=complaints" data-testid="sort-complaints">' in html


def test_it_falls_back_to_the_default_order_for_an_unknown_sort(manager_client, moved_time):
    _departments_with_turnover(3)
    response = manager_client.get(reverse("metrics:turnover"), {"sort": "salary", "page": "x"})
    assert response.status_code == 200 and response.context["sort"] == "turnover"


def test_it_totals_the_whole_company_in_the_first_row(manager_client, moved_time):
    from tests.factories import ComplaintFactory

    _departments_with_turnover(3)
    ComplaintFactory(department=None, received_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
    response = manager_client.get(reverse("metrics:turnover"))
    total = response.context["table_rows"][0]
    assert total.department_name == "Whole company"
    # 4 + 5 + 6 people and the manager; 0 + 1 + 2 left; the complaint of no department counts
    assert (total.figures.headcount, total.figures.leavers, total.complaints) == (16, 3, 1)
    assert 'data-testid="workforce-total"' in response.content.decode()


def test_it_reads_no_employee_record_while_the_report_is_kept(manager_client, moved_time, monkeypatch):
    from metrics import turnover_comparison

    _departments_with_turnover(3)
    first = manager_client.get(reverse("metrics:turnover"))

    def _from_the_records():
        raise AssertionError("a kept report reads no employee record")

    monkeypatch.setattr(turnover_comparison, "employment_spells", _from_the_records)
    again = manager_client.get(reverse("metrics:turnover"), {"sort": "name"})
    assert again.context["company"] == first.context["company"]
    assert again.context["correlations"] == first.context["correlations"]
