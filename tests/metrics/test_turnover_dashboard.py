"""#8 on the metrics dashboard: turnover and tenure, and the survey, next to the service figures."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from metrics import services
from metrics.templatetags.workforce_tags import department_id_from_key
from tests.factories import DepartmentFactory, EmployeeFactory, SatisfactionSurveyFactory

NOW = "2024-07-15 12:00 +03:00"


def test_it_shows_people_and_satisfaction_on_the_dashboard(manager_client):
    front = DepartmentFactory(name="Front desk")
    with time_machine.travel(NOW, tick=False):
        EmployeeFactory(department=front, hired_on=datetime.date(2015, 1, 1))
        EmployeeFactory(department=front, hired_on=datetime.date(2024, 5, 1))
        SatisfactionSurveyFactory(
            complaint__department=front,
            created_at=timezone.now() - datetime.timedelta(days=30),
            answer="yes",
            answered_at=timezone.now(),
        )
        services.snapshot_recompute()
        response = manager_client.get(reverse("metrics:dashboard"))
    content = response.content.decode()
    assert 'data-testid="dashboard-workforce"' in content and 'data-testid="dashboard-survey"' in content
    assert "data:image/png;base64," in content
    assert "1 of 1 answers" in content


def test_it_reads_the_dashboards_department_key():
    assert department_id_from_key("all") is None
    assert department_id_from_key("") is None
    assert department_id_from_key("12") == 12


def test_it_shows_the_survey_tiles_for_a_dashboard_without_a_period(db):
    from complaints.templatetags.survey_tags import survey_dashboard

    SatisfactionSurveyFactory(answer="yes", answered_at=timezone.now())
    assert survey_dashboard(None, None)["figures"].satisfied == 1
    assert survey_dashboard("2024-06-01", "2024-06-30", "all")["figures"].sent == 0
