"""The demo people history and survey answers: realistic, and a second run changes nothing."""

from __future__ import annotations

from django.utils import timezone

from complaints.survey import demo as survey_demo
from complaints.survey.models import SatisfactionSurvey
from people import demo, selectors
from people import turnover_demo as workforce_demo
from people.models import Employee
from tests.factories import ComplaintFactory


def test_it_seeds_a_history_with_leavers_once(db):
    demo.seed()
    workforce_demo.seed()
    count = Employee.objects.count()
    workforce_demo.seed()
    assert Employee.objects.count() == count == len(demo.PEOPLE) + len(workforce_demo.HISTORY)
    figures = selectors.workforce_summary()
    assert figures.leavers > 0 and figures.turnover_rate > 0
    assert figures.in_adaptation > 0 and figures.long_tenure > 0


def test_it_seeds_survey_answers_for_demo_complaints_with_an_email_once(db):
    for n in range(20):
        ComplaintFactory(
            external_ref=f"demo-{n}",
            status="resolved",
            root_cause="processes",
            resolved_at=timezone.now(),
            customer_contact=f"c{n}@example.com",
        )
    ComplaintFactory(
        external_ref="demo-phone", status="resolved", root_cause="people", resolved_at=timezone.now()
    )
    survey_demo.seed()
    survey_demo.seed()
    assert SatisfactionSurvey.objects.count() == 20
    assert SatisfactionSurvey.objects.exclude(answer="").exists()
    assert SatisfactionSurvey.objects.filter(answer="").exists()
