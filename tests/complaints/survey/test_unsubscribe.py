"""The unsubscribe link of every survey email: honoured by both surveys, safe from mail scanners."""

from __future__ import annotations

from django.core import mail
from django.utils import timezone

from complaints.survey import services as survey
from complaints.survey.models import SatisfactionSurvey
from complaints.survey.pulse.services import UNSUBSCRIBED
from customers.models import EmailOptOut
from customers.services import unsubscribe_token
from notifications.models import Notification
from notifications.services import notification_deliver
from tests.factories import ComplaintFactory, PulseInvitationFactory, SatisfactionSurveyFactory


def _url(email: str) -> str:
    return f"/survey/unsubscribe/{unsubscribe_token(email=email)}/"


def test_it_asks_before_unsubscribing_when_the_link_is_opened(client, db):
    response = client.get(_url("anna@example.com"))
    assert response.status_code == 200
    assert "Stop survey emails?" in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_it_unsubscribes_with_the_button_and_says_so(client, db):
    url = _url("anna@example.com")
    response = client.post(url, {"action": "unsubscribe"})
    assert response.status_code == 302 and response["Location"] == url
    assert EmailOptOut.objects.get().source == "link"
    page = client.get(url).content.decode()
    assert "You will get no more survey emails" in page and "anna@example.com" in page


def test_it_unsubscribes_with_a_mail_programs_one_click_post(client, db):
    response = client.post(_url("anna@example.com"), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert EmailOptOut.objects.get().source == "one_click"


def test_it_takes_the_unsubscribe_back(client, db):
    url = _url("anna@example.com")
    client.post(url, {"action": "unsubscribe"})
    client.post(url, {"action": "subscribe"})
    assert not EmailOptOut.objects.exists()


def test_it_shows_a_friendly_page_for_a_changed_link(client, db):
    response = client.post(_url("anna@example.com")[:-5] + "xyz/", {"action": "unsubscribe"})
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_it_sends_no_satisfaction_survey_to_an_address_that_unsubscribed(client, db):
    client.post(_url("Irina@Example.com"), {"action": "unsubscribe"})
    complaint = ComplaintFactory(
        status="resolved",
        root_cause="processes",
        resolved_at=timezone.now(),
        customer_contact="irina@example.com",
    )
    assert survey.survey_create_for_resolution(complaint_id=complaint.pk) is None
    assert not SatisfactionSurvey.objects.exists()


def test_it_drops_the_unsent_survey_emails_of_an_address_that_unsubscribes(client, db):
    pulse_waiting = PulseInvitationFactory(
        email="irina@example.com", notification__status="pending", notification__sent_at=None
    )
    survey_waiting = SatisfactionSurveyFactory(
        email="irina@example.com", notification__status="pending", notification__sent_at=None
    )
    someone_else = PulseInvitationFactory(notification__status="pending", notification__sent_at=None)
    client.post(_url("irina@example.com"), {"action": "unsubscribe"})
    for dropped in (pulse_waiting.notification, survey_waiting.notification):
        dropped.refresh_from_db()
        assert (dropped.status, dropped.last_error) == ("failed", UNSUBSCRIBED)
    assert not notification_deliver(notification_id=pulse_waiting.notification_id)
    assert notification_deliver(notification_id=someone_else.notification_id)
    assert [message.to for message in mail.outbox] == [[someone_else.email]]


def test_it_puts_the_unsubscribe_link_in_the_satisfaction_survey_email(db):
    sent = SatisfactionSurveyFactory(notification__status="pending", notification__sent_at=None)
    notification_deliver(notification_id=sent.notification_id)
    [message] = mail.outbox
    assert "/survey/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert Notification.objects.get(pk=sent.notification_id).status == "sent"
