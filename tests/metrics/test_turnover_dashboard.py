"""#8 on the metrics dashboard: turnover and tenure, and the survey, next to the service figures."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from metrics import selectors, services
from metrics.models import DepartmentFigures
from tests.factories import DepartmentFactory, EmployeeFactory, SatisfactionSurveyFactory

NOW = "2024-07-15 12:00 +03:00"
D = datetime.date


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


def _people_and_snapshot():
    front, back = DepartmentFactory(name="Front desk"), DepartmentFactory(name="Back office")
    with time_machine.travel(NOW, tick=False):
        EmployeeFactory(department=front, hired_on=datetime.date(2015, 1, 1))
        EmployeeFactory(department=front, hired_on=datetime.date(2024, 5, 1))
        EmployeeFactory(
            department=back, hired_on=datetime.date(2020, 1, 1), left_on=datetime.date(2024, 3, 1)
        )
        return front, back, services.snapshot_recompute()


def test_it_shows_the_people_figures_stored_with_the_snapshot_without_a_query(db, django_assert_num_queries):
    front, back, snapshot = _people_and_snapshot()
    company = selectors.dashboard_figures(snapshot, period="month", department_id=None)
    with django_assert_num_queries(0):
        figures, trend = selectors.dashboard_workforce(company)
    assert (figures.on, figures.headcount, figures.leavers, figures.long_tenure) == (D(2024, 7, 15), 2, 1, 1)
    assert len(trend) == 24 and trend[-1].month_end == D(2024, 7, 15) and trend[-1].headcount == 2
    front_tiles = selectors.dashboard_figures(snapshot, period="month", department_id=front.pk)
    back_tiles = selectors.dashboard_figures(snapshot, period="month", department_id=back.pk)
    assert selectors.dashboard_workforce(front_tiles)[0].headcount == 2
    assert selectors.dashboard_workforce(back_tiles)[0].leavers == 1


def test_it_reads_the_people_figures_of_a_snapshot_made_before_they_were_stored(db):
    front, _back, snapshot = _people_and_snapshot()
    for row in DepartmentFigures.objects.filter(snapshot=snapshot):
        row.figures["organisation"].pop("workforce")
        row.save(update_fields=["figures"])
    with time_machine.travel(NOW, tick=False):
        tiles = selectors.dashboard_figures(snapshot, period="month", department_id=front.pk)
        figures, trend = selectors.dashboard_workforce(tiles)
    assert tiles.workforce is None
    assert (figures.on, figures.headcount) == (D(2024, 7, 15), 2)
    assert trend[-1].headcount == 2


def test_it_shows_the_survey_tiles_for_a_dashboard_without_a_period(db):
    from complaints.templatetags.survey_tags import survey_dashboard

    SatisfactionSurveyFactory(answer="yes", answered_at=timezone.now())
    assert survey_dashboard(None, None)["figures"].satisfied == 1
    assert survey_dashboard("2024-06-01", "2024-06-30", "all")["figures"].sent == 0
