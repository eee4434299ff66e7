"""The customer's answer page (public, signed link) and the managers' survey pages."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint, Satisfaction
from complaints.survey import services as survey
from complaints.survey.models import SatisfactionSurvey, SurveySettings
from tests.factories import (
    ComplaintFactory,
    DepartmentFactory,
    EmployeeFactory,
    SatisfactionSurveyFactory,
    UserFactory,
)


def _link(sent, answer: str) -> str:
    return survey.survey_answer_url(survey_id=sent.pk, answer=answer)


def _payload(link: str) -> str:
    """The signed part of an answer link, without the timestamp and signature after it."""
    return link.split(":")[0]


def _answer(client, sent, answer: str, comment: str = ""):
    return client.post(_link(sent, answer), {"answer": answer, "comment": comment})


def test_it_opens_a_page_with_the_answer_of_the_link_and_records_nothing(client, db):
    sent = SatisfactionSurveyFactory()
    response = client.get(_link(sent, "no"))
    content = response.content.decode()
    assert response.status_code == 200 and 'data-testid="survey-answer-form"' in content
    assert re.search(r'value="no"[^>]*checked', content)
    assert SatisfactionSurvey.objects.get(pk=sent.pk).answer == ""
    assert Complaint.objects.get(pk=sent.complaint_id).customer_satisfied == Satisfaction.NOT_ASKED


def test_it_records_the_answer_when_the_customer_sends_it(client, db):
    sent = SatisfactionSurveyFactory()
    response = _answer(client, sent, "yes")
    # Back to the answer's own link; its signature carries the second it was made, so the
    # payload (the survey and the answer) is what is compared.
    assert response.status_code == 302 and _payload(response["Location"]) == _payload(_link(sent, "yes"))
    assert "You told us you are satisfied" in client.get(response["Location"]).content.decode()
    assert SatisfactionSurvey.objects.get(pk=sent.pk).answer == "yes"
    assert Complaint.objects.get(pk=sent.complaint_id).customer_satisfied == Satisfaction.YES


def test_it_records_the_answer_the_customer_chose_on_the_page(client, db):
    sent = SatisfactionSurveyFactory()
    client.post(_link(sent, "yes"), {"answer": "no", "comment": "Changed my mind"})
    recorded = SatisfactionSurvey.objects.get(pk=sent.pk)
    assert (recorded.answer, recorded.comment) == ("no", "Changed my mind")


def test_it_refuses_an_answer_that_is_not_one_of_the_two(client, db):
    sent = SatisfactionSurveyFactory()
    assert client.post(_link(sent, "yes"), {"answer": "maybe"}).status_code == 200
    assert SatisfactionSurvey.objects.get(pk=sent.pk).answer == ""


def test_it_shows_the_recorded_answer_on_a_second_click(client, db):
    sent = SatisfactionSurveyFactory()
    _answer(client, sent, "no")
    response = client.get(_link(sent, "yes"))
    content = response.content.decode()
    assert "You told us you are not satisfied" in content
    assert "it stays as it is" in content
    assert SatisfactionSurvey.objects.get(pk=sent.pk).answer == "no"


def test_it_does_not_answer_for_a_head_request(client, db):
    sent = SatisfactionSurveyFactory()
    assert client.head(_link(sent, "yes")).status_code == 200
    assert SatisfactionSurvey.objects.get(pk=sent.pk).answer == ""


def test_it_keeps_an_optional_comment(client, db):
    sent = SatisfactionSurveyFactory()
    url = _link(sent, "no")
    _answer(client, sent, "no")
    response = client.post(url, {"comment": "Nobody called me back."})
    assert response.status_code == 302 and response["Location"] == url
    assert SatisfactionSurvey.objects.get(pk=sent.pk).comment == "Nobody called me back."
    page = client.get(url).content.decode()
    assert "Nobody called me back." in page and 'data-testid="survey-comment-form"' not in page


def test_it_shows_a_friendly_page_for_a_tampered_link(client, db):
    sent = SatisfactionSurveyFactory()
    response = client.get(_link(sent, "yes")[:-3] + "abc/")
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert SatisfactionSurvey.objects.get(pk=sent.pk).answer == ""


def test_it_shows_a_friendly_page_for_an_expired_link(client, db):
    sent = SatisfactionSurveyFactory()
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        url = _link(sent, "yes")
    with time_machine.travel(now + datetime.timedelta(days=31), tick=False):
        response = client.get(url)
    assert response.status_code == 410
    assert "has expired" in response.content.decode()


def test_it_shows_a_friendly_page_for_a_survey_that_no_longer_exists(client, db):
    sent = SatisfactionSurveyFactory()
    url = _link(sent, "yes")
    sent.delete()
    assert client.get(url).status_code == 400


def test_it_shows_the_customer_nothing_about_staff_or_other_complaints(client, db):
    handler = UserFactory(first_name="Secretive", last_name="Handler")
    sent = SatisfactionSurveyFactory(
        complaint__handler=handler,
        complaint__summary="Internal note about VIP",
        complaint__resolution="Refund 500",
    )
    other = ComplaintFactory(summary="Another customer's problem")
    content = client.get(_link(sent, "yes")).content.decode()
    for secret in ("Secretive", "Handler", "Internal note", "Refund 500", other.summary, "/complaints/"):
        assert secret not in content
    assert 'name="viewport"' in content and 'name="robots" content="noindex' in content


def test_it_speaks_the_language_of_the_email_unless_the_visitor_chose_one(client, db):
    sent = SatisfactionSurveyFactory(language="ru")
    assert '<html lang="ru">' in client.get(_link(sent, "yes")).content.decode()
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get(_link(sent, "yes")).content.decode()


def test_it_lets_a_manager_switch_the_survey_off_per_channel(manager_client):
    response = manager_client.post(
        reverse("survey:settings"), {"enabled": "on", "channels": ["phone", "email", "in_person", "website"]}
    )
    assert response.status_code == 302
    saved = SurveySettings.objects.get()
    assert saved.enabled and saved.disabled_channels == ["other", "social"]
    assert not saved.sends_for("social") and saved.sends_for("email")


def test_it_lets_a_manager_switch_the_survey_off_for_the_company(manager_client):
    manager_client.post(reverse("survey:settings"), {"channels": ["phone"]})
    assert not SurveySettings.objects.get().enabled


def test_it_shows_the_rates_by_root_cause_and_department(manager_client):
    front = DepartmentFactory(name="Front desk")
    SatisfactionSurveyFactory(complaint__department=front, answer="yes", answered_at=timezone.now())
    SatisfactionSurveyFactory(
        complaint__department=front, answer="no", answered_at=timezone.now(), comment="Slow"
    )
    SatisfactionSurveyFactory(complaint__department=front)
    response = manager_client.get(reverse("survey:results"))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.sent, figures.answered, figures.satisfied) == (3, 2, 1)
    content = response.content.decode()
    assert "Front desk" in content and "Slow" in content


@pytest.mark.parametrize("surveys", [2, 20])
def test_it_builds_the_results_page_in_a_bounded_number_of_queries(
    manager_client, django_assert_max_num_queries, surveys
):
    for n in range(surveys):
        SatisfactionSurveyFactory(answer="no" if n % 2 else "yes", answered_at=timezone.now())
    with django_assert_max_num_queries(14):
        manager_client.get(reverse("survey:results"))


def test_it_shows_the_customer_answer_and_the_difference_on_the_complaint(manager_client, manager_employee):
    sent = SatisfactionSurveyFactory(complaint__customer_satisfied=Satisfaction.YES, comment="Still broken")
    survey.survey_answer_record(survey=sent, answer="no")
    content = manager_client.get(
        reverse("complaints:complaint_detail", args=[sent.complaint_id])
    ).content.decode()
    assert 'data-testid="complaint-survey"' in content
    assert 'data-testid="survey-differs"' in content
    assert "Still broken" in content


def test_it_flags_not_satisfied_for_the_handlers_manager_on_the_home_page(client, db):
    head = EmployeeFactory(roles=["Manager"])
    department = DepartmentFactory(name="After-sales", head=head.user)
    handler = EmployeeFactory(department=department, roles=["Staff"])
    sent = SatisfactionSurveyFactory(complaint__handler=handler.user)
    survey.survey_answer_record(survey=sent, answer="no")
    client.force_login(head.user)
    content = client.get(reverse("home")).content.decode()
    assert 'data-testid="panel-unsatisfied"' in content and f"#{sent.complaint_id}" in content
    other_head = EmployeeFactory(roles=["Manager"])
    DepartmentFactory(name="Sales", head=other_head.user)
    client.force_login(other_head.user)
    assert 'data-testid="panel-unsatisfied"' not in client.get(reverse("home")).content.decode()


def test_it_just_thanks_again_for_a_second_click_on_the_same_answer(client, db):
    sent = SatisfactionSurveyFactory()
    _answer(client, sent, "yes")
    content = client.get(_link(sent, "yes")).content.decode()
    assert "You told us you are satisfied" in content and "it stays as it is" not in content


def test_it_lets_an_admin_send_a_failed_survey_again(client, db, django_capture_on_commit_callbacks):
    from django.core import mail

    admin = UserFactory(is_staff=True, is_superuser=True)
    failed = SatisfactionSurveyFactory(
        notification__status="failed", notification__sent_at=None, notification__attempts=7
    )
    client.force_login(admin)
    assert client.get(reverse("admin:complaints_satisfactionsurvey_changelist")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "resend", "_selected_action": [failed.notification_id]},
        )
    failed.notification.refresh_from_db()
    assert failed.notification.status == "sent" and len(mail.outbox) == 1
    assert mail.outbox[0].to == [failed.email]
