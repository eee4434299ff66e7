"""The pulse survey in the metrics: the recompute step, the dashboard, summary.json, the weekly report."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from metrics import services
from metrics.models import MetricsSnapshot
from reports.sections import SECTION_ORDER, build_figures
from tests.factories import (
    ComplaintFactory,
    CustomerFactory,
    DepartmentFactory,
    PulseInvitationFactory,
    PurchaseFactory,
)

NOW = "2024-07-15 12:00 +03:00"
ANSWERED = datetime.datetime(2024, 7, 8, 12, tzinfo=datetime.UTC)


def _answer(*, problem: bool, told: str = "", logged: bool = False, segment: str = "retail", **fields):
    customer = CustomerFactory(segment=segment, first_seen=datetime.date(2023, 1, 1))
    PurchaseFactory(customer=customer, date=datetime.date(2024, 7, 1))
    invitation = PulseInvitationFactory(
        customer=customer,
        created_at=ANSWERED - datetime.timedelta(days=1),
        answered_at=ANSWERED,
        satisfaction=2 if problem else 5,
        problem=problem,
        told=told,
        **fields,
    )
    if logged:
        ComplaintFactory(customer=customer, received_at=ANSWERED - datetime.timedelta(days=3))
    return invitation


def _answers(*, with_problem: int, told: int, logged: int, without_problem: int = 0) -> None:
    for i in range(with_problem):
        _answer(problem=True, told="on_the_spot" if i < told else "no", logged=i < logged)
    for _ in range(without_problem):
        _answer(problem=False, recommend=10)


def _snapshot() -> MetricsSnapshot:
    with time_machine.travel(NOW, tick=False):
        return services.snapshot_recompute()


def _june_complaints(count: int) -> None:
    department = DepartmentFactory(name="Front desk")
    for day in range(1, count + 1):
        ComplaintFactory(
            department=department, received_at=datetime.datetime(2024, 6, day, 12, tzinfo=datetime.UTC)
        )


def test_it_stores_the_measured_rate_and_the_gap_in_the_snapshot(db):
    _answers(with_problem=10, told=4, logged=3, without_problem=5)
    pulse = _snapshot().figures["pulse"]
    assert pulse["answers"] == 15
    assert pulse["complaint_rate"]["answers_with_problem"] == 10
    assert pulse["complaint_rate"]["told"]["value"] == 0.4
    assert pulse["logging_gap"]["told"] == 4 and pulse["logging_gap"]["gap"]["value"] == 0.25
    assert pulse["satisfaction"]["csat"]["value"] == pytest.approx(5 / 15)
    assert pulse["satisfaction"]["nps"] == 100.0
    assert pulse["source"] == "assumed" and pulse["threshold"] == 30
    assert pulse["trend"][-1]["month"] == "2024-06-01"  # July is not complete yet


def test_it_keeps_the_articles_estimate_below_the_threshold_and_says_so(db):
    _june_complaints(10)
    _answers(with_problem=29, told=12, logged=12)
    estimate = _snapshot().figures["periods"]["month"]["departments"]["all"]["silent_leavers_estimate"]
    assert estimate["source"] == "assumed"
    assert (estimate["low"], estimate["high"]) == (133, 323)
    assert estimate["answers_missing"] == 1
    # Measured all the same, to show side by side: q = 12 / (12 + 17).
    assert estimate["measured"]["value"] == round(10 * 17 / 12)


def test_it_uses_the_measured_rate_from_the_threshold_on(db, settings):
    settings.SERVICECRAFT = {"METRICS_MEASURED_R_MIN_ANSWERS": 20}
    _june_complaints(10)
    _answers(with_problem=20, told=10, logged=10)
    snapshot = _snapshot()
    estimate = snapshot.figures["periods"]["month"]["departments"]["all"]["silent_leavers_estimate"]
    # q = 10 / (10 + 10) = 0.5: each logged complaint stands for one customer who told nobody.
    assert estimate["source"] == "measured" and estimate["value"] == 10
    assert estimate["low"] < 10 < estimate["high"]
    assert estimate["assumed"] == {"low": 133, "high": 323}
    assert snapshot.figures["settings"]["measured_r_min_answers"] == 20


def test_it_leaves_out_answers_older_than_the_window(db, settings):
    settings.SERVICECRAFT = {"METRICS_MEASURED_R_WINDOW_DAYS": 30}
    _answers(with_problem=2, told=1, logged=0)
    old = _answer(problem=True, told="formal")
    old.answered_at = ANSWERED - datetime.timedelta(days=60)
    old.save(update_fields=["answered_at"])
    pulse = _snapshot().figures["pulse"]
    assert pulse["complaint_rate"]["answers_with_problem"] == 2
    # The trend still shows the older answer in its month (May).
    assert [row["answers_with_problem"] for row in pulse["trend"] if row["month"] == "2024-05-01"] == [1]


def test_it_draws_the_rate_over_time(db):
    _answers(with_problem=4, told=2, logged=1)
    snapshot = _snapshot()
    assert snapshot.charts["complaint_rate_trend"].startswith("<?xml")
    assert "satisfaction_trend" in snapshot.charts


def test_it_shows_the_measured_rate_and_both_estimates_on_the_dashboard(manager_client):
    _june_complaints(10)
    _answers(with_problem=10, told=4, logged=3, without_problem=2)
    _snapshot()
    response = manager_client.get(reverse("metrics:dashboard"))
    page = response.content.decode()
    assert 'data-testid="tile-measured-r">40\u00a0%<' in page
    assert 'data-testid="tile-logging-gap">25\u00a0%<' in page
    assert 'data-testid="silent-assumed">133 – 323<' in page
    assert "Not enough answers yet: 10 of 30 answers with a problem; 20 more are needed" in page
    assert 'data-testid="chart-complaint-rate"' in page
    assert response.context["tiles"].silent_leavers_estimate["source"] == "assumed"


def test_it_invites_to_switch_the_pulse_survey_on_without_answers(manager_client):
    _june_complaints(1)
    _snapshot()
    page = manager_client.get(reverse("metrics:dashboard")).content.decode()
    assert 'data-testid="complaint-rate-empty"' in page


@pytest.mark.parametrize("answers", [3, 40])
def test_it_reads_the_pulse_figures_without_more_queries(
    manager_client, django_assert_max_num_queries, answers
):
    _answers(with_problem=answers, told=answers // 2, logged=answers // 3, without_problem=answers // 2)
    _snapshot()
    with django_assert_max_num_queries(10):
        response = manager_client.get(reverse("metrics:dashboard"))
    assert response.status_code == 200


def test_it_adds_the_pulse_keys_to_summary_json_and_keeps_the_old_ones(manager_client):
    _june_complaints(10)
    _answers(with_problem=10, told=4, logged=3)
    _snapshot()
    data = manager_client.get("/metrics/api/summary.json").json()
    assert data["silent_leavers"]["estimate_low"] == 133 and data["silent_leavers"]["estimate_high"] == 323
    assert data["complaint_rate"]["source"] == "assumed"
    assert data["complaint_rate"]["answers_with_problem"] == 10
    assert data["complaint_rate"]["measured"]["value"] == 0.4
    assert data["complaint_rate"]["on_the_spot"]["value"] == 0.4
    assert (data["complaint_rate"]["assumed_low"], data["complaint_rate"]["assumed_high"]) == (0.03, 0.07)
    assert data["logging_gap"]["value"] == 0.25 and data["logging_gap"]["told"] == 4
    assert data["silent_leavers_estimate"]["source"] == "assumed"
    assert (data["silent_leavers_estimate"]["low"], data["silent_leavers_estimate"]["high"]) == (133, 323)
    assert data["silent_leavers_estimate"]["measured"]["value"] == round(10 * 6 / 3)
    assert data["pulse"]["answers"] == 10 and data["pulse"]["nps"] is None


def test_it_has_null_pulse_keys_before_the_first_recompute(manager_client):
    data = manager_client.get("/metrics/api/summary.json").json()
    assert data["complaint_rate"]["measured"] == {"value": None, "low": None, "high": None}
    assert data["silent_leavers_estimate"]["source"] is None
    assert data["pulse"] == {"answers": None, "sent": None, "response_rate": None, "csat": None, "nps": None}


def test_it_reports_the_measured_rate_in_the_weekly_report(db):
    _june_complaints(10)
    _answers(with_problem=10, told=4, logged=3)
    _snapshot()
    figures = build_figures(week_start=datetime.date(2024, 7, 8), department=None)
    keys = [section["key"] for section in figures["sections"]]
    assert "complaint_rate" in keys and "complaint_rate" in SECTION_ORDER
    assert keys.index("complaint_rate") < keys.index("customers")
    section = next(section for section in figures["sections"] if section["key"] == "complaint_rate")
    values = {_label(item["label"]): item["value"] for item in section["metrics"]}
    assert values["Pulse answers this week"] == 10
    assert values["Unhappy customers who tell us (measured r)"] == 0.4
    assert values["Silent leavers behind last month's complaints, assuming %(low)s–%(high)s"] == [133, 323]
    assumed = next(item for item in section["metrics"] if isinstance(item["label"], dict))
    assert assumed["label"]["params"] == {"low": {"percent": 0.03}, "high": {"percent": 0.07}}
    # q = 3 logged ÷ (3 + 6 told nobody), Wilson 0.141971 – 0.601740: 10 × 0.398/0.602 = 6.6 → 7,
    # 10 × 0.858/0.142 = 60.4 → 60.
    assert values["Silent leavers behind last month's complaints, from our own rate"] == [7, 60]
    assert "still assumes that %(low)s–%(high)s of unhappy customers complain" in section["notes"][0]["msgid"]
    assert section["charts"][0]["name"] == "complaint_rate_trend"


def _label(label) -> str:
    return label["msgid"] if isinstance(label, dict) else label


def test_it_reports_the_configured_band_not_the_articles(db, settings):
    from reports.rendering import report_context
    from tests.factories import ReportFactory

    settings.SERVICECRAFT = {"METRICS_COMPLAINT_RATE_BAND": (0.02, 0.1)}
    _june_complaints(10)
    _answers(with_problem=10, told=4, logged=3)
    _snapshot()
    report = ReportFactory(figures=build_figures(week_start=datetime.date(2024, 7, 8), department=None))
    section = {section["key"]: section for section in report_context(report, chart_src=str)["sections"]}[
        "complaint_rate"
    ]
    shown = {item["label"]: item["value"] for item in section["metrics"]}
    # 10 complaints at 2 %–10 %: 10 × 0.9/0.1 = 90 … 10 × 0.98/0.02 = 490.
    assert shown["Silent leavers behind last month's complaints, assuming 2\u00a0%–10\u00a0%"] == "90–490"
    assert "assumes that 2\u00a0%–10\u00a0% of unhappy customers complain" in section["notes"][0]


def test_it_leaves_the_section_out_without_a_pulse_survey(db):
    _june_complaints(3)
    _snapshot()
    figures = build_figures(week_start=datetime.date(2024, 7, 8), department=None)
    assert "complaint_rate" not in [section["key"] for section in figures["sections"]]


def test_it_renders_the_report_section_in_each_readers_language(db):
    from django.utils import translation

    from reports.rendering import report_context
    from tests.factories import ReportFactory

    _june_complaints(10)
    _answers(with_problem=10, told=4, logged=3)
    _snapshot()
    report = ReportFactory(figures=build_figures(week_start=datetime.date(2024, 7, 8), department=None))
    with translation.override("ru"):
        sections = {section["key"]: section for section in report_context(report, chart_src=str)["sections"]}
    section = sections["complaint_rate"]
    assert section["title"] == "Кто нам сообщает: измеренная доля жалующихся"
    shown = {item["label"]: item["value"] for item in section["metrics"]}
    assert shown["Недовольные клиенты, которые нам сообщают (измеренная r)"] == "40\u00a0%"
    assert shown["Ушедшие молча за жалобами прошлого месяца, если жалуются 3\u00a0%–7\u00a0%"] == "133–323"
    assert "по-прежнему исходит из того, что жалуются 3\u00a0%–7\u00a0%" in section["notes"][0]
