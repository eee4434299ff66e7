"""The recompute: aggregates from the database, figures and charts in a snapshot."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from metrics import selectors, services
from metrics.models import MetricsSnapshot, ProbableSilentLeaver
from tests.factories import ComplaintFactory, CustomerFactory, DepartmentFactory, PurchaseFactory

D = datetime.date
TODAY = "2024-07-15 12:00 +03:00"


def _monthly_purchases(customer, start: D, end: D, amount: str = "50.00") -> None:
    day = start
    while day <= end:
        PurchaseFactory(customer=customer, date=day, amount=amount)
        day = D(day.year + (day.month == 12), day.month % 12 + 1, day.day)


@pytest.fixture
def company(db):
    """Four customers known on 1 June 2024; two of them are lost in June."""
    loyal = CustomerFactory(name="Loyal", first_seen=D(2023, 1, 1))
    _monthly_purchases(loyal, D(2023, 1, 5), D(2024, 6, 5))
    # last purchase 2023-12-10 + 180 days = 2024-06-07: lost in June by inactivity
    faded = CustomerFactory(name="Faded", first_seen=D(2023, 1, 1))
    _monthly_purchases(faded, D(2023, 1, 10), D(2023, 12, 10))
    # a contract ended in June
    ended = CustomerFactory(name="Ended", first_seen=D(2023, 3, 1), churned_on=D(2024, 6, 20))
    _monthly_purchases(ended, D(2023, 3, 2), D(2024, 6, 2))
    recent = CustomerFactory(name="Recent", first_seen=D(2024, 4, 1), segment="business")
    _monthly_purchases(recent, D(2024, 4, 3), D(2024, 6, 3), amount="200.00")
    return {"loyal": loyal, "faded": faded, "ended": ended, "recent": recent}


def _recompute() -> MetricsSnapshot:
    with time_machine.travel(TODAY, tick=False):
        return services.snapshot_recompute()


def test_it_computes_churn_of_the_last_month(company):
    figures = _recompute().figures
    june = figures["periods"]["month"]
    assert (june["start"], june["end"]) == ("2024-06-01", "2024-06-30")
    assert june["lost"] == 2
    assert june["churn"]["value"] == pytest.approx(2 / 4)
    assert june["churn"]["low"] <= 0.5 <= june["churn"]["high"]
    assert figures["customers_active"] == 2
    assert figures["churn_trend"][-1] == {"month": "2024-06-01", "active_start": 4, "lost": 2, "rate": 0.5}


def test_it_moves_churn_with_time(company):
    with time_machine.travel("2024-06-15 12:00 +03:00", tick=False):
        may = services.snapshot_recompute().figures["periods"]["month"]
    assert may["start"] == "2024-05-01"
    assert may["lost"] == 0
    assert may["churn"]["value"] == 0


def test_it_turns_the_complaints_of_the_period_into_a_silent_leaver_range(company):
    department = DepartmentFactory(name="Front desk")
    for day in range(1, 11):
        ComplaintFactory(
            department=department, received_at=datetime.datetime(2024, 6, day, 12, tzinfo=datetime.UTC)
        )
    snapshot = _recompute()
    june = snapshot.figures["periods"]["month"]["departments"]
    assert june["all"]["complaints"] == 10
    assert june["all"]["silent_leavers"] == {"low": 133, "high": 323}
    front_desk = selectors.department_figures(snapshot, department.pk)["periods"]["month"]
    assert front_desk["silent_leavers"] == {"low": 133, "high": 323}


def test_it_measures_the_share_of_lost_customers_who_never_complained(company):
    ComplaintFactory(
        customer=company["ended"], received_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
    )
    figures = _recompute().figures
    assert figures["periods"]["month"]["observed_share_without_complaint"] == 0.5


def test_it_stores_the_calculator_and_data_driven_lifetime_value(company):
    ltv = _recompute().figures["ltv"]
    assert ltv["calculator"]["value"] == 72000
    assert ltv["data_driven"]["value"] > 0
    assert ltv["data_driven"]["low"] <= ltv["data_driven"]["value"] <= ltv["data_driven"]["high"]


def test_it_renders_every_chart_as_svg(company):
    snapshot = _recompute()
    assert set(snapshot.charts) >= {"churn_trend", "cohort_heatmap", "ltv_by_segment", "root_causes"}
    assert all(svg.lstrip().startswith("<?xml") and "<svg" in svg for svg in snapshot.charts.values())


def test_it_names_its_charts_in_its_figures_so_the_dashboard_need_not_read_them(company):
    snapshot = _recompute()
    assert snapshot.figures["chart_names"] == sorted(snapshot.charts)


def test_it_keeps_only_the_newest_leaver_lists(company, monkeypatch):
    monkeypatch.setattr("metrics.snapshot.KEEP_LEAVER_LISTS", 2)
    old, newer = _recompute(), _recompute()
    for snapshot in (old, newer):
        ProbableSilentLeaver.objects.create(
            snapshot=snapshot, customer=company["faded"], p_alive=0.1, value=5
        )
    newest = _recompute()
    kept = set(ProbableSilentLeaver.objects.values_list("snapshot_id", flat=True))
    assert kept == {newer.pk}
    assert newest.figures["customers_total"] == 4


def test_it_works_on_an_empty_database(db):
    figures = _recompute().figures
    assert figures["customers_total"] == 0
    assert figures["periods"]["month"]["churn"]["value"] is None
    assert figures["bgnbd"]["params"] is None


def test_it_stores_each_customers_value_and_p_alive_on_the_customer(company):
    from customers.models import Customer

    recent = company["recent"]
    assert Customer.objects.get(pk=recent.pk).value is None
    snapshot = _recompute()
    recent.refresh_from_db()
    assert recent.value > 0
    assert recent.figures_computed_at == snapshot.computed_at


def test_it_copies_each_customers_new_value_onto_their_complaints_once_committed(
    company, django_capture_on_commit_callbacks
):
    recent = company["recent"]
    complaint = ComplaintFactory(customer=recent)
    assert complaint.customer_value is None  # not valued yet when the complaint was logged
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _recompute()
    assert len(callbacks) == 1
    complaint.refresh_from_db()
    recent.refresh_from_db()
    assert recent.value > 0 and complaint.customer_value == recent.value


def test_it_lists_quiet_regular_buyers_as_probable_silent_leavers_unless_they_complained(db):
    """Forty regular buyers: twenty stopped a year ago. The model doubts those twenty;
    the one who complained is not silent."""
    quiet = []
    for i in range(40):
        customer = CustomerFactory(first_seen=D(2022, 7, 1))
        stop = D(2023, 7, 1) if i < 20 else D(2024, 7, 1)
        day, step = D(2022, 7, 1), 10 + i % 9
        while day < stop:
            PurchaseFactory(customer=customer, date=day)
            day += datetime.timedelta(days=step)
        if i < 20:
            quiet.append(customer)
    ComplaintFactory(customer=quiet[0], received_at=datetime.datetime(2023, 6, 1, tzinfo=datetime.UTC))

    snapshot = _recompute()

    listed = set(ProbableSilentLeaver.objects.filter(snapshot=snapshot).values_list("customer_id", flat=True))
    assert listed == {c.pk for c in quiet[1:]}
    assert snapshot.figures["bgnbd"]["probable_count"] == 19
    assert snapshot.figures["ltv"]["value_at_risk"] > 0
