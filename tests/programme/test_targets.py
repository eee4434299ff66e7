"""Yearly targets: set per figure (and department), judged on the stored monthly actuals,
shown on the programme page, in the weekly report and in summary.json."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from programme import actuals, rules, selectors, services
from programme.models import MonthlyActual, Target
from reports.sections import build_figures
from tests.factories import (
    ComplaintFactory,
    CustomerFactory,
    DepartmentFactory,
    EmployeeFactory,
    UserFactory,
)
from tests.programme.factories import TargetFactory

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
NOW = datetime.datetime(2026, 5, 20, 9, 0, tzinfo=MOSCOW)
TODAY = NOW.date()


def _actual(figure, month, value, *, department=None, complete=True):
    return MonthlyActual.objects.create(
        figure=figure, month=month, department=department, value=value, complete=complete
    )


# --- setting targets ----------------------------------------------------------------------


def test_it_sets_a_target_with_department_values(db):
    front, back = DepartmentFactory(), DepartmentFactory()
    target = services.target_save(
        actor=UserFactory(),
        year=2026,
        figure="promise_kept",
        direction="higher",
        value=0.9,
        owner=UserFactory(),
        department_values={front: 0.95},
    )
    assert {(item.department, item.value) for item in target.department_values.all()} == {(front, 0.95)}

    services.target_save(
        actor=UserFactory(),
        year=2026,
        figure="promise_kept",
        direction="higher",
        value=0.85,
        owner=target.owner,
        department_values={back: 0.8},
        target=target,
    )
    target.refresh_from_db()
    assert target.value == 0.85
    assert {(item.department, item.value) for item in target.department_values.all()} == {(back, 0.8)}


@pytest.mark.parametrize(
    ("figure", "value", "departments", "message"),
    [
        ("churn", 0.02, True, "whole company only"),
        ("promise_kept", 1.2, False, "above 100 %"),
        ("time_to_resolve", -1, False, "negative"),
        ("sunshine", 1, False, "Unknown figure"),
    ],
)
def test_it_refuses_a_target_that_cannot_be(db, figure, value, departments, message):
    with pytest.raises(ValidationError, match=message):
        services.target_save(
            actor=UserFactory(),
            year=2026,
            figure=figure,
            direction="lower",
            value=value,
            owner=UserFactory(),
            department_values={DepartmentFactory(): 0.01} if departments else None,
        )


def test_it_keeps_one_target_per_figure_and_year(db):
    TargetFactory(year=2026, figure="churn")
    with pytest.raises(ValidationError, match="has a target for 2026"):
        services.target_save(
            actor=UserFactory(), year=2026, figure="churn", direction="lower", value=0.02, owner=UserFactory()
        )


def test_it_takes_a_percent_as_people_write_it(manager_client, manager_employee):
    department = DepartmentFactory()
    response = manager_client.post(
        reverse("programme:target_create"),
        {
            "year": 2026,
            "figure": "promise_kept",
            "direction": "",
            "value": "85",
            "owner": manager_employee.user.pk,
            f"department_{department.pk}": "92.5",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.value, target.direction) == (pytest.approx(0.85), "higher")
    assert target.department_values.get().value == pytest.approx(0.925)


def test_it_edits_a_target_on_its_page(manager_client, manager_employee):
    target = TargetFactory(
        figure="time_to_resolve", direction="lower", value=3.0, owner=manager_employee.user
    )
    page = manager_client.get(reverse("programme:target_edit", args=[target.pk])).content.decode()
    assert 'value="3.0"' in page
    manager_client.post(
        reverse("programme:target_edit", args=[target.pk]),
        {
            "year": target.year,
            "figure": "time_to_resolve",
            "direction": "lower",
            "value": "2.5",
            "owner": manager_employee.user.pk,
        },
    )
    target.refresh_from_db()
    assert target.value == 2.5


# --- the monthly actuals --------------------------------------------------------------------


def _resolved(day, *, promised, late=False, department=None, cause="processes"):
    received = datetime.datetime(2026, 4, day, 10, 0, tzinfo=MOSCOW)
    return ComplaintFactory(
        received_at=received,
        status="resolved",
        root_cause=cause,
        promised_on=datetime.date(2026, 4, promised),
        resolved_at=datetime.datetime(2026, 4, promised + (1 if late else 0), 18, 0, tzinfo=MOSCOW),
        department=department,
    )


@time_machine.travel(NOW, tick=False)
def test_it_records_a_months_complaint_figures(db):
    front, back = DepartmentFactory(name="Front"), DepartmentFactory(name="Back")
    _resolved(2, promised=4, department=front)  # 2 days 8 hours
    _resolved(6, promised=8, department=front, late=True)  # 3 days 8 hours
    _resolved(10, promised=11, department=back)  # 1 day 8 hours
    _resolved(12, promised=14, department=back)  # 2 days 8 hours
    for _ in range(200):
        CustomerFactory(first_seen=datetime.date(2025, 1, 1))

    services.monthly_actuals_record(months=[datetime.date(2026, 4, 1)], today=TODAY)

    def value(figure, department=None):
        return MonthlyActual.objects.get(
            figure=figure, month=datetime.date(2026, 4, 1), department=department
        )

    assert value("promise_kept").value == pytest.approx(3 / 4)
    assert value("promise_kept", front).value == pytest.approx(1 / 2)
    assert value("promise_kept", back).value == pytest.approx(1.0)
    # Medians: (2⅓ + 2⅓) / 2 days for the company, 2⅓ and 3⅓ → 2⅚ for the front.
    assert value("time_to_resolve").value == pytest.approx(2 + 8 / 24, abs=0.01)
    assert value("time_to_resolve", front).value == pytest.approx(2 + 20 / 24, abs=0.01)
    # 4 complaints for 200 customers: 20 per 1,000.
    assert value("complaints_per_thousand").value == pytest.approx(20.0)
    assert value("complaints_per_thousand", front).value == pytest.approx(10.0)
    assert value("promise_kept").complete is True


@time_machine.travel(NOW, tick=False)
def test_it_records_the_current_month_to_date(db):
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    EmployeeFactory(
        hired_on=datetime.date(2020, 1, 1), department=employee.department, left_on=datetime.date(2026, 3, 1)
    )

    services.monthly_actuals_record(months=[TODAY], today=TODAY)

    turnover = MonthlyActual.objects.get(
        figure="staff_turnover", month=datetime.date(2026, 5, 1), department=None
    )
    # One leaver in the last twelve months, average headcount between one and two.
    assert 0.5 < turnover.value < 1.0
    assert turnover.complete is False


@time_machine.travel(NOW, tick=False)
def test_it_refreshes_idempotently_and_backfills_the_year(db):
    first = services.monthly_actuals_refresh(today=TODAY)
    rows = MonthlyActual.objects.count()
    months = set(MonthlyActual.objects.values_list("month", flat=True))

    assert first == rows > 0
    assert months == set(rules.months_back(TODAY, 13))
    services.monthly_actuals_refresh(today=TODAY)
    assert MonthlyActual.objects.count() == rows


def test_it_fetches_the_churn_of_a_month_from_the_latest_snapshot(db):
    from metrics.models import MetricsSnapshot

    MetricsSnapshot.objects.create(
        computed_at=NOW,
        period_start=datetime.date(2025, 5, 1),
        period_end=datetime.date(2026, 4, 30),
        figures={"churn_trend": [{"month": "2026-04-01", "active_start": 500, "lost": 10, "rate": 0.02}]},
    )
    month = actuals.month_for(datetime.date(2026, 4, 1), today=TODAY, department_ids=[])
    assert actuals.churn(month) == {"all": 0.02}


def test_it_reads_a_past_months_department_figures_from_the_snapshots_department_rows(db):
    from metrics.models import DepartmentFigures, MetricsSnapshot

    front, kitchen = DepartmentFactory(), DepartmentFactory()
    snapshot = MetricsSnapshot.objects.create(
        computed_at=datetime.datetime(2026, 3, 31, 22, 0, tzinfo=MOSCOW),
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2026, 3, 31),
        figures={"organisation": {"all": {"training_compliance": 80.0, "ack_coverage": 60.0}}},
    )
    DepartmentFigures.objects.create(
        snapshot=snapshot,
        department_id=front.pk,
        figures={"periods": {}, "organisation": {"training_compliance": 50.0, "ack_coverage": 40.0}},
    )
    month = actuals.month_for(datetime.date(2026, 3, 1), today=TODAY, department_ids=[front.pk, kitchen.pk])

    assert actuals.training_compliance(month) == {"all": 0.8, str(front.pk): 0.5, str(kitchen.pk): None}
    assert actuals.ack_coverage(month) == {"all": 0.6, str(front.pk): 0.4, str(kitchen.pk): None}


# --- progress -----------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_judges_each_target_and_department(db):
    front = DepartmentFactory()
    target = TargetFactory(year=2026, figure="promise_kept", direction="higher", value=0.9)
    target.department_values.create(department=front, value=0.8)
    for month, value in ((1, 0.95), (2, 0.9), (3, 0.85), (4, 0.8)):
        _actual("promise_kept", datetime.date(2026, month, 1), value)
        _actual("promise_kept", datetime.date(2026, month, 1), value, department=front)
    _actual("promise_kept", datetime.date(2026, 5, 1), 0.1, complete=False)

    [progress] = selectors.target_progress(year=2026, today=TODAY)

    # Mean of February–April: 0.85, against 0.9 (at risk) and the front's 0.8 (on track).
    assert progress.company.judged == pytest.approx(0.85)
    assert progress.company.status == rules.AT_RISK
    assert progress.scope(front.pk).status == rules.ON_TRACK
    assert len(progress.company.months) == 5


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_progress_on_the_programme_page(manager_client):
    TargetFactory(year=2026, figure="churn", direction="lower", value=0.02)
    _actual("churn", datetime.date(2026, 4, 1), 0.05)
    body = manager_client.get(reverse("programme:overview")).content.decode()
    assert 'data-figure="churn"' in body
    assert 'data-status="off_track"' in body
    assert "5.0 %" in body


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("size", [2, 8])
def test_it_builds_the_programme_page_in_bounded_queries(manager_client, django_assert_max_num_queries, size):
    departments = [DepartmentFactory() for _ in range(size)]
    for key in ("promise_kept", "time_to_resolve", "satisfaction")[: 1 + size // 4]:
        target = TargetFactory(year=2026, figure=key, value=0.5)
        for department in departments:
            target.department_values.create(department=department, value=0.6)
            for month in range(1, 6):
                _actual(key, datetime.date(2026, month, 1), 0.5, department=department)
    with django_assert_max_num_queries(14):
        assert manager_client.get(reverse("programme:overview")).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_it_adds_the_targets_to_the_summary_api(manager_client):
    TargetFactory(year=2026, figure="churn", direction="lower", value=0.02)
    _actual("churn", datetime.date(2026, 4, 1), 0.019)

    data = manager_client.get(reverse("metrics:api_summary")).json()

    assert {"computed_at", "churn_rate_monthly", "silent_leavers", "ltv"} <= set(data)
    assert data["targets"] == [
        {
            "figure": "churn",
            "label": "Monthly churn",
            "unit": "percent",
            "year": 2026,
            "direction": "lower",
            "department_id": None,
            "target": 0.02,
            "judged_value": 0.019,
            "latest_month": "2026-04-01",
            "latest_value": 0.019,
            "status": "on_track",
        }
    ]


@time_machine.travel(NOW, tick=False)
def test_it_gives_summary_api_a_departments_own_target_or_else_the_companys(manager_client):
    front, kitchen, other = DepartmentFactory(), DepartmentFactory(), DepartmentFactory()
    target = TargetFactory(year=2026, figure="churn", direction="lower", value=0.02)
    target.department_values.create(department=front, value=0.03)
    target.department_values.create(department=other, value=0.01)
    _actual("churn", datetime.date(2026, 4, 1), 0.019)
    _actual("churn", datetime.date(2026, 4, 1), 0.035, department=front)
    _actual("churn", datetime.date(2026, 4, 1), 0.001, department=other)
    url = reverse("metrics:api_summary")

    [own] = manager_client.get(url, {"department": front.pk}).json()["targets"]
    [company] = manager_client.get(url, {"department": kitchen.pk}).json()["targets"]

    assert (own["department_id"], own["target"], own["latest_value"], own["status"]) == (
        front.pk,
        0.03,
        0.035,
        "off_track",
    )
    assert (company["department_id"], company["target"], company["latest_value"]) == (None, 0.02, 0.019)


@time_machine.travel(NOW, tick=False)
def test_it_opens_the_weekly_report_with_the_targets(db):
    ComplaintFactory()
    TargetFactory(year=2026, figure="churn", direction="lower", value=0.02)
    for month in (2, 3, 4):
        _actual("churn", datetime.date(2026, month, 1), 0.04)

    figures = build_figures(week_start=datetime.date(2026, 5, 11), department=None)

    section = figures["sections"][0]
    assert section["key"] == "programme"
    assert [(metric["label"], metric["value"]) for metric in section["metrics"]] == [
        ("Targets on track", 0),
        ("Targets at risk", 0),
        ("Targets off track", 1),
    ]
    assert section["tables"][0]["rows"] == [
        [
            {"msgid": "Monthly churn"},
            {"percent": 0.02},
            {"percent": 0.04},
            {"percent": 0.04},
            {"msgid": "off track"},
        ]
    ]
    assert section["charts"][0]["values"] == [0.04, 0.04, 0.04]


@time_machine.travel(NOW, tick=False)
def test_it_gives_a_departments_weekly_report_its_own_target_or_else_the_companys(db):
    front, kitchen, other = DepartmentFactory(), DepartmentFactory(), DepartmentFactory()
    target = TargetFactory(year=2026, figure="churn", direction="lower", value=0.02)
    target.department_values.create(department=front, value=0.03)
    target.department_values.create(department=other, value=0.01)
    for month in (2, 3, 4):
        _actual("churn", datetime.date(2026, month, 1), 0.019)
        _actual("churn", datetime.date(2026, month, 1), 0.035, department=front)

    def _row(department):
        [section] = [
            section
            for section in build_figures(week_start=datetime.date(2026, 5, 11), department=department)[
                "sections"
            ]
            if section["key"] == "programme"
        ]
        [row] = section["tables"][0]["rows"]
        return row

    assert _row(front)[1:] == [
        {"percent": 0.03},
        {"percent": 0.035},
        {"percent": 0.035},
        {"msgid": "off track"},
    ]
    assert _row(kitchen)[1:] == [
        {"percent": 0.02},
        {"percent": 0.019},
        {"percent": 0.019},
        {"msgid": "on track"},
    ]


@time_machine.travel(NOW, tick=False)
def test_it_leaves_the_programme_out_of_a_report_without_targets(db):
    figures = build_figures(week_start=datetime.date(2026, 5, 11), department=None)
    assert "programme" not in [section["key"] for section in figures["sections"]]


@time_machine.travel(NOW, tick=False)
def test_it_tells_the_owner_when_their_target_is_off_track(db):
    from notifications.registry import reminder_items

    off = TargetFactory(year=2026, figure="churn", direction="lower", value=0.02)
    TargetFactory(year=2026, figure="promise_kept", direction="higher", value=0.8)
    for month in (2, 3, 4):
        _actual("churn", datetime.date(2026, month, 1), 0.05)
        _actual("promise_kept", datetime.date(2026, month, 1), 0.9)

    items = [item for item in reminder_items(TODAY) if item.kind == "programme_target_off_track"]

    assert [(item.recipient_user_id, item.key) for item in items] == [
        (off.owner_id, f"target:{off.pk}:off-track")
    ]
    assert str(items[0].text) == "The 2026 target “Monthly churn” is off track"
