"""Survey figures (answer rate, satisfaction rate, by root cause and department) and the manager's flag."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from complaints.models import Satisfaction
from complaints.survey import reminders as survey_reminders
from complaints.survey import selectors as survey_selectors
from complaints.survey import services as survey
from notifications.services import notification_deliver
from tests.factories import DepartmentFactory, EmployeeFactory, SatisfactionSurveyFactory

NOW = datetime.datetime(2026, 6, 10, 9, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 6, 10)


@pytest.fixture
def moved_time():
    with time_machine.travel(NOW, tick=False):
        yield


def _answered(answer: str, **kwargs):
    return SatisfactionSurveyFactory(answer=answer, answered_at=timezone.now(), **kwargs)


def test_it_computes_the_answer_and_satisfaction_rates(db, moved_time):
    front, sales = DepartmentFactory(name="Front desk"), DepartmentFactory(name="Sales")
    _answered("yes", complaint__department=front)
    _answered("yes", complaint__department=front, complaint__root_cause="people")
    _answered("no", complaint__department=sales, complaint__customer_satisfied=Satisfaction.YES)
    SatisfactionSurveyFactory(complaint__department=sales)
    SatisfactionSurveyFactory(
        notification__status="pending", notification__sent_at=None
    )  # not sent yet: not counted as sent
    figures = survey_selectors.survey_figures(start=TODAY, end=TODAY)
    assert (figures.sent, figures.answered, figures.satisfied, figures.not_satisfied) == (4, 3, 2, 1)
    assert figures.answer_rate == pytest.approx(3 / 4)
    assert figures.satisfaction_rate == pytest.approx(2 / 3)
    assert figures.handler_disagrees == 1
    assert survey_selectors.survey_figures(start=TODAY, end=TODAY, department_id=sales.pk).sent == 2


def test_it_splits_the_figures_by_root_cause_and_department(db, moved_time):
    front = DepartmentFactory(name="Front desk")
    _answered("yes", complaint__department=front)
    _answered("no", complaint__department=front)
    _answered("yes", complaint__root_cause="people", complaint__department=None)
    by_cause = dict(survey_selectors.survey_figures_by_root_cause(start=TODAY, end=TODAY))
    assert len(by_cause) == 5
    assert by_cause["Processes & procedures"].satisfaction_rate == pytest.approx(1 / 2)
    assert by_cause["People (staff)"].satisfaction_rate == 1
    assert by_cause["Products"].satisfaction_rate is None
    results = survey_selectors.survey_results(start=TODAY, end=TODAY)
    assert [(row.department_name, row.figures.answered) for row in results.by_department] == [
        ("Front desk", 2),
        ("No department", 1),
    ]
    assert dict(results.by_root_cause) == by_cause


def test_it_gives_the_results_page_the_same_figures_from_one_query(db, moved_time, django_assert_num_queries):
    front, sales = DepartmentFactory(name="Front desk"), DepartmentFactory(name="Sales")
    _answered("yes", complaint__department=front)
    _answered("no", complaint__department=sales, complaint__root_cause="people")
    SatisfactionSurveyFactory(complaint__department=sales)
    with django_assert_num_queries(1):
        results = survey_selectors.survey_results(start=TODAY, end=TODAY, department_id=sales.pk)
    assert results.figures == survey_selectors.survey_figures(start=TODAY, end=TODAY, department_id=sales.pk)
    assert (results.figures.sent, results.figures.answered) == (2, 1)
    assert sum(row.figures.sent for row in results.by_department) == 3


def test_it_recomputes_the_cached_figures_after_an_answer(db, moved_time, django_assert_num_queries):
    waiting = SatisfactionSurveyFactory()
    assert survey_selectors.survey_results(start=TODAY, end=TODAY).figures.answered == 0
    assert survey_selectors.survey_figures(start=TODAY, end=TODAY).answered == 0
    with django_assert_num_queries(0):
        survey_selectors.survey_results(start=TODAY, end=TODAY)
    survey.survey_answer_record(survey=waiting, answer="no")
    assert survey_selectors.survey_results(start=TODAY, end=TODAY).figures.not_satisfied == 1
    assert survey_selectors.survey_figures(start=TODAY, end=TODAY).not_satisfied == 1


def test_it_recomputes_the_cached_figures_after_a_survey_is_sent(db, moved_time, mailoutbox):
    pending = SatisfactionSurveyFactory(notification__status="pending", notification__sent_at=None)
    assert survey_selectors.survey_figures(start=TODAY, end=TODAY).sent == 0
    assert notification_deliver(notification_id=pending.notification_id)
    assert survey_selectors.survey_figures(start=TODAY, end=TODAY).sent == 1


def test_it_counts_surveys_in_the_period_they_were_created(db, moved_time):
    SatisfactionSurveyFactory(created_at=NOW - datetime.timedelta(days=40))
    assert survey_selectors.survey_figures(start=TODAY - datetime.timedelta(days=30), end=TODAY).sent == 0


def test_it_reminds_the_head_of_the_handlers_department_the_next_day(db):
    head = EmployeeFactory(roles=["Manager"])
    department = DepartmentFactory(name="After-sales", head=head.user)
    handler = EmployeeFactory(department=department)
    complaint_head = EmployeeFactory(roles=["Manager"])
    sent = SatisfactionSurveyFactory(
        complaint__handler=handler.user,
        complaint__department=DepartmentFactory(name="Front desk", head=complaint_head.user),
    )
    with time_machine.travel(NOW, tick=False):
        survey.survey_answer_record(survey=sent, answer="no")
        assert list(survey_reminders.reminder_items(TODAY)) == []
    items = list(survey_reminders.reminder_items(TODAY + datetime.timedelta(days=1)))
    assert [(item.recipient_user_id, item.key) for item in items] == [
        (head.user.pk, f"survey:{sent.pk}:not_satisfied")
    ]
    assert "is not satisfied" in str(items[0].text)
    assert list(survey_reminders.reminder_items(TODAY + datetime.timedelta(days=2))) == []


def test_it_falls_back_to_the_head_of_the_complaints_department(db, moved_time):
    complaint_head = EmployeeFactory(roles=["Manager"])
    sent = SatisfactionSurveyFactory(
        complaint__handler=None,
        complaint__department=DepartmentFactory(name="Front desk", head=complaint_head.user),
        answer="no",
        answered_at=NOW - datetime.timedelta(days=1),
    )
    items = list(survey_reminders.reminder_items(TODAY))
    assert [(item.recipient_user_id, item.url) for item in items] == [
        (complaint_head.user.pk, f"/complaints/{sent.complaint_id}/")
    ]


def test_it_does_not_remind_of_satisfied_customers(db, moved_time):
    head = EmployeeFactory(roles=["Manager"])
    SatisfactionSurveyFactory(
        complaint__department=DepartmentFactory(name="Front desk", head=head.user),
        answer="yes",
        answered_at=NOW - datetime.timedelta(days=1),
    )
    assert list(survey_reminders.reminder_items(TODAY)) == []
