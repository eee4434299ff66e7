"""The weekly report's figures, built from the apps' real data (through their selectors)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine

from reports.rendering import report_context
from reports.sections import build_figures
from reports.services import report_get_or_build
from tests.factories import (
    ComplaintFactory,
    CorrectiveActionFactory,
    CustomerFactory,
    DepartmentFactory,
    EmployeeFactory,
    PurchaseFactory,
)

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
WEEK = datetime.date(2026, 11, 16)


def _received(day: int, **kwargs):
    moment = datetime.datetime(2026, 11, day, 11, 0, tzinfo=MOSCOW)
    return ComplaintFactory(received_at=moment, **kwargs)


def _resolved(day: int, *, promised: int, cause: str, **kwargs):
    return _received(
        day,
        status="resolved",
        root_cause=cause,
        promised_on=datetime.date(2026, 11, promised),
        resolved_at=datetime.datetime(2026, 11, day + 1, 12, 0, tzinfo=MOSCOW),
        **kwargs,
    )


def _section(figures: dict, key: str) -> dict:
    return next(section for section in figures["sections"] if section["key"] == key)


def _metric(section: dict, label: str) -> dict:
    return next(item for item in section["metrics"] if item["label"] == label)


@pytest.fixture
def front_desk(db):
    return DepartmentFactory(name="Front desk")


@time_machine.travel(datetime.datetime(2026, 11, 23, 8, tzinfo=MOSCOW), tick=False)
def test_it_counts_the_weeks_complaints_with_the_week_before(front_desk):
    _resolved(17, promised=19, cause="processes", department=front_desk)
    _resolved(18, promised=18, cause="people", department=front_desk)  # resolved a day late
    _received(20, department=front_desk, promised_on=datetime.date(2026, 11, 21), summary="Still waiting")
    _received(10, department=front_desk)  # the week before

    complaints = _section(build_figures(week_start=WEEK, department=None), "complaints")

    received = _metric(complaints, "Complaints received")
    assert (received["value"], received["previous"]) == (3, 1)
    assert _metric(complaints, "Promises kept (resolved by the promised date)")["value"] == 0.5
    overdue_table = next(t for t in complaints["tables"] if t["title"] == "Past the promised date")
    assert "Still waiting" in overdue_table["rows"][0][0]


@time_machine.travel(datetime.datetime(2026, 11, 23, 8, tzinfo=MOSCOW), tick=False)
def test_it_sets_the_root_causes_next_to_the_theory_bands(front_desk):
    for cause in ["processes", "processes", "products", "people", "customers"]:
        _resolved(17, promised=20, cause=cause, department=front_desk)

    complaints = _section(build_figures(week_start=WEEK, department=None), "complaints")

    chart = next(c for c in complaints["charts"] if c["name"] == "root_causes")
    assert chart["values"] == [0.6, 0.2, 0.2]
    assert (chart["low"][0], chart["high"][0]) == (0.5, 0.6)


@time_machine.travel(datetime.datetime(2026, 11, 23, 8, tzinfo=MOSCOW), tick=False)
def test_it_keeps_a_department_report_to_its_department(front_desk):
    _received(17, department=front_desk)
    _received(17, department=DepartmentFactory(name="Call centre"))
    _received(18, department=DepartmentFactory(name="Call centre"))

    department = _section(build_figures(week_start=WEEK, department=front_desk), "complaints")
    company = _section(build_figures(week_start=WEEK, department=None), "complaints")

    assert _metric(department, "Complaints received")["value"] == 1
    assert _metric(company, "Complaints received")["value"] == 3


@time_machine.travel(datetime.datetime(2026, 11, 23, 8, tzinfo=MOSCOW), tick=False)
def test_it_lists_corrective_actions_due(front_desk):
    owner = EmployeeFactory(user__first_name="Pavel", user__last_name="Sokolov")
    CorrectiveActionFactory(owner=owner.user, due_on=datetime.date(2026, 11, 20), description="Spare parts")
    CorrectiveActionFactory(owner=owner.user, due_on=datetime.date(2027, 1, 20), description="Far away")

    complaints = _section(build_figures(week_start=WEEK, department=None), "complaints")

    actions = next(t for t in complaints["tables"] if t["title"].startswith("Corrective actions due"))
    assert len(actions["rows"]) == 1
    assert "Spare parts" in actions["rows"][0][0]
    assert actions["rows"][0][1] == "Pavel Sokolov"


@time_machine.travel(datetime.datetime(2026, 11, 23, 8, tzinfo=MOSCOW), tick=False)
def test_it_reports_training_compliance_and_who_is_overdue(front_desk):
    EmployeeFactory(department=front_desk, hired_on=datetime.date(2024, 1, 10), user__first_name="Irina")

    training = _section(build_figures(week_start=WEEK, department=None), "training")

    assert _metric(training, "Training compliance")["value"] == 0
    overdue = training["tables"][0]["rows"]
    assert overdue and overdue[0][0].startswith("Irina")


@time_machine.travel(datetime.datetime(2026, 11, 23, 8, tzinfo=MOSCOW), tick=False)
def test_it_takes_last_weeks_stored_figure_when_it_cannot_be_recomputed(front_desk):
    last_week = report_get_or_build(week_start=WEEK - datetime.timedelta(days=7), department=None)
    standards = _section(last_week.figures, "standards")
    _metric(standards, "Acknowledgements missing")["value"] = 42
    last_week.save(update_fields=["figures"])

    standards_now = _section(build_figures(week_start=WEEK, department=None), "standards")

    assert _metric(standards_now, "Acknowledgements missing")["previous"] == 42


@time_machine.travel(datetime.datetime(2026, 11, 23, 8, tzinfo=MOSCOW), tick=False)
def test_it_leaves_out_the_customer_section_without_a_metrics_snapshot(db):
    figures = build_figures(week_start=WEEK, department=None)

    assert "customers" not in [section["key"] for section in figures["sections"]]


@time_machine.travel(datetime.datetime(2026, 11, 23, 8, tzinfo=MOSCOW), tick=False)
def test_it_renders_every_section_in_russian(front_desk):
    from django.utils import translation

    _resolved(17, promised=19, cause="processes", department=front_desk)
    report = report_get_or_build(week_start=WEEK, department=None)

    with translation.override("ru"):
        context = report_context(report, chart_src=lambda name: name)

    assert [section["key"] for section in context["sections"]][:3] == ["complaints", "standards", "training"]
    assert context["start"] == WEEK


@time_machine.travel(datetime.datetime(2026, 11, 23, 8, tzinfo=MOSCOW), tick=False)
def test_it_reports_churn_and_value_from_the_metrics_snapshot(front_desk):
    from metrics import services

    for n in range(6):
        customer = CustomerFactory(first_seen=datetime.date(2025, 1, 1))
        for month in range(1, 11 - n):
            PurchaseFactory(customer=customer, date=datetime.date(2026, month, 5), amount=100)
    services.snapshot_recompute()

    customers = _section(build_figures(week_start=WEEK, department=None), "customers")

    assert _metric(customers, "Churn per month")["format"] == "percent"
    assert _metric(customers, "Value at risk")["value"] is not None
    assert customers["charts"][0]["type"] == "metrics"
