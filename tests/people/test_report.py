"""#8 in the weekly report: turnover and tenure in "People", and the survey's own section."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine

from reports.rendering import report_context
from reports.sections import build_figures
from reports.services import report_get_or_build
from tests.factories import DepartmentFactory, EmployeeFactory, SatisfactionSurveyFactory

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
WEEK = datetime.date(2026, 11, 16)
IN_WEEK = datetime.datetime(2026, 11, 18, 12, 0, tzinfo=MOSCOW)


def _section(figures: dict, key: str) -> dict | None:
    return next((section for section in figures["sections"] if section["key"] == key), None)


def _metric(section: dict, label: str) -> dict:
    return next(item for item in section["metrics"] if item["label"] == label)


@pytest.fixture
def after_the_week():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 8, 0, tzinfo=MOSCOW), tick=False):
        yield


def test_it_puts_turnover_and_tenure_in_the_people_section(db, after_the_week):
    front = DepartmentFactory(name="Front desk")
    EmployeeFactory(department=front, hired_on=datetime.date(2015, 1, 1))
    EmployeeFactory(department=front, hired_on=datetime.date(2026, 10, 1))
    EmployeeFactory(department=front, hired_on=datetime.date(2020, 1, 1), left_on=datetime.date(2026, 11, 18))
    people = _section(build_figures(week_start=WEEK, department=None), "people")
    # One leaver in the year to 2026-11-22; headcounts 2 on 2025-11-22 … 2026-09-22, 3 on 10-22, 2 on 11-22.
    turnover = _metric(people, "Staff turnover (12 months)")
    assert turnover["value"] == pytest.approx(1 / (27 / 13))
    assert turnover["format"] == "percent" and turnover["better"] == "lower"
    assert _metric(people, "With us more than 5 years")["value"] == pytest.approx(1 / 2)
    assert _metric(people, "In adaptation")["value"] == 1


def test_it_adds_the_survey_section_with_rates_by_root_cause(db, after_the_week):
    SatisfactionSurveyFactory(created_at=IN_WEEK, answer="yes", answered_at=IN_WEEK)
    SatisfactionSurveyFactory(created_at=IN_WEEK, answer="no", answered_at=IN_WEEK)
    SatisfactionSurveyFactory(created_at=IN_WEEK, complaint__root_cause="people")
    section = _section(build_figures(week_start=WEEK, department=None), "satisfaction")
    assert _metric(section, "Surveys sent")["value"] == 3
    assert _metric(section, "Answer rate")["value"] == pytest.approx(2 / 3)
    assert _metric(section, "Satisfied after resolution")["value"] == pytest.approx(1 / 2)
    rows = section["tables"][0]["rows"]
    assert [row[0] for row in rows] == [{"msgid": "People (staff)"}, {"msgid": "Processes & procedures"}]


def test_it_leaves_the_survey_section_out_without_surveys(db, after_the_week):
    assert _section(build_figures(week_start=WEEK, department=None), "satisfaction") is None


def test_it_renders_the_new_figures_in_the_report(db, after_the_week):
    EmployeeFactory(hired_on=datetime.date(2015, 1, 1))
    SatisfactionSurveyFactory(created_at=IN_WEEK, answer="no", answered_at=IN_WEEK)
    report = report_get_or_build(week_start=WEEK, department=None)
    context = report_context(report, chart_src=lambda name: name)
    text = str(context)
    assert "Staff turnover (12 months)" in text and "Customer satisfaction after resolution" in text
