"""The satisfaction survey: signed links, sent once per resolution, answers recorded once."""

from __future__ import annotations

import datetime
import re
import smtplib

import pytest
import time_machine
from django.core import mail, signing

from complaints import services
from complaints.models import Complaint, Satisfaction
from complaints.survey import services as survey
from complaints.survey.models import SatisfactionSurvey
from complaints.survey.tasks import send_outstanding_surveys
from notifications.services import notification_deliver
from notifications.tasks import deliver_notification
from tests.factories import ComplaintFactory, CustomerFactory, SatisfactionSurveyFactory, UserFactory

START = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def handler(db):
    return UserFactory(roles=["Manager"])


def _resolve(complaint, handler, capture):
    with capture(execute=True):
        services.complaint_resolve(
            complaint=complaint, actor=handler, root_cause="processes", resolution="Fixed."
        )


def _reopen(complaint, handler, capture):
    with capture(execute=True):
        services.complaint_reopen(complaint=complaint, actor=handler)


# --- links ---------------------------------------------------------------------------


def test_it_reads_back_a_signed_token():
    token = survey.survey_token(survey_id=42, answer="no")
    assert survey.survey_token_read(token) == (42, "no")


def test_it_refuses_a_tampered_token():
    token = survey.survey_token(survey_id=42, answer="no")
    forged = token.replace(token.split(":")[0], signing.b64_encode(b'{"s":43,"a":"no"}').decode())
    with pytest.raises(survey.SurveyLinkError) as error:
        survey.survey_token_read(forged)
    assert error.value.reason == "invalid"


def test_it_refuses_a_token_signed_for_something_else():
    token = signing.dumps({"s": 42, "a": "yes"}, salt="password-reset")
    with pytest.raises(survey.SurveyLinkError, match="invalid"):
        survey.survey_token_read(token)


def test_it_refuses_a_signed_token_with_an_unknown_answer():
    token = signing.dumps({"s": 42, "a": "maybe"}, salt=survey.TOKEN_SALT)
    with pytest.raises(survey.SurveyLinkError, match="invalid"):
        survey.survey_token_read(token)


def test_it_refuses_an_expired_token(settings):
    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "SURVEY_LINK_MAX_AGE_DAYS": 30}
    with time_machine.travel(START, tick=False):
        token = survey.survey_token(survey_id=42, answer="yes")
    with time_machine.travel(START + datetime.timedelta(days=29), tick=False):
        assert survey.survey_token_read(token) == (42, "yes")
    with (
        time_machine.travel(START + datetime.timedelta(days=31), tick=False),
        pytest.raises(survey.SurveyLinkError, match="expired"),
    ):
        survey.survey_token_read(token)


# --- who gets one, and how often --------------------------------------------------------


def test_it_sends_to_the_contact_given_on_the_complaint_before_the_customer_record(db):
    customer = CustomerFactory(email="record@example.com")
    complaint = ComplaintFactory(customer=customer, customer_contact="contact@example.com")
    assert survey.survey_email_for(complaint) == "contact@example.com"


def test_it_falls_back_to_the_customer_record_when_the_contact_is_a_phone(db):
    customer = CustomerFactory(email="record@example.com")
    complaint = ComplaintFactory(customer=customer, customer_contact="+7 495 123-45-67")
    assert survey.survey_email_for(complaint) == "record@example.com"


def test_it_uses_the_contact_when_it_is_an_email(db):
    assert (
        survey.survey_email_for(ComplaintFactory(customer_contact=" olga@example.com ")) == "olga@example.com"
    )
    assert survey.survey_email_for(ComplaintFactory(customer_contact="+7 495 123-45-67")) == ""


def test_it_emails_the_customer_once_the_complaint_is_resolved(handler, django_capture_on_commit_callbacks):
    complaint = ComplaintFactory(customer_contact="olga@example.com", customer_name="Olga Petrova")
    _resolve(complaint, handler, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["olga@example.com"]
    assert message.subject == "Are you satisfied with how we resolved your complaint?"
    assert "Dear Olga Petrova," in message.body
    found = SatisfactionSurvey.objects.select_related("notification").get(complaint=complaint)
    assert found.notification.status == "sent"
    assert found.notification.to_email == "olga@example.com"
    tokens = re.findall(r"/survey/answer/([^/\s]+)/", message.body)
    assert [survey.survey_token_read(token) for token in tokens] == [(found.pk, "yes"), (found.pk, "no")]
    assert "/survey/answer/" in message.alternatives[0][0]


def test_it_sends_nothing_before_the_resolution_is_committed(handler, django_capture_on_commit_callbacks):
    complaint = ComplaintFactory(customer_contact="olga@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.complaint_resolve(
            complaint=complaint, actor=handler, root_cause="people", resolution="Sorry."
        )
    assert len(callbacks) == 1
    assert not mail.outbox and not SatisfactionSurvey.objects.exists()


def test_it_sends_once_when_resolved_reopened_and_resolved_again_the_same_day(
    handler, django_capture_on_commit_callbacks
):
    complaint = ComplaintFactory(customer_contact="olga@example.com")
    _resolve(complaint, handler, django_capture_on_commit_callbacks)
    _reopen(complaint, handler, django_capture_on_commit_callbacks)
    _resolve(complaint, handler, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert SatisfactionSurvey.objects.filter(complaint=complaint).count() == 1


def test_it_never_resends_by_default(handler, django_capture_on_commit_callbacks):
    complaint = ComplaintFactory(customer_contact="olga@example.com")
    with time_machine.travel(START, tick=False):
        _resolve(complaint, handler, django_capture_on_commit_callbacks)
        _reopen(complaint, handler, django_capture_on_commit_callbacks)
    with time_machine.travel(START + datetime.timedelta(days=40), tick=False):
        _resolve(complaint, handler, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_it_resends_after_a_re_resolution_when_the_setting_allows(
    handler, django_capture_on_commit_callbacks, settings
):
    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "SURVEY_RESEND_AFTER_DAYS": 1}
    complaint = ComplaintFactory(customer_contact="olga@example.com")
    with time_machine.travel(START, tick=False):
        _resolve(complaint, handler, django_capture_on_commit_callbacks)
        _reopen(complaint, handler, django_capture_on_commit_callbacks)
    with time_machine.travel(START + datetime.timedelta(hours=20), tick=False):
        _resolve(complaint, handler, django_capture_on_commit_callbacks)
        _reopen(complaint, handler, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    with time_machine.travel(START + datetime.timedelta(days=3), tick=False):
        _resolve(complaint, handler, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert list(complaint.surveys.order_by("round").values_list("round", flat=True)) == [1, 2]


def test_it_sends_nothing_without_an_email_address(handler, django_capture_on_commit_callbacks):
    complaint = ComplaintFactory(customer_contact="+7 495 123-45-67")
    _resolve(complaint, handler, django_capture_on_commit_callbacks)
    assert not mail.outbox and not SatisfactionSurvey.objects.exists()


def test_it_sends_nothing_when_the_company_switched_it_off(handler, django_capture_on_commit_callbacks):
    survey.survey_settings_save(actor=handler, enabled=False, disabled_channels=[])
    _resolve(
        ComplaintFactory(customer_contact="olga@example.com"), handler, django_capture_on_commit_callbacks
    )
    assert not mail.outbox


def test_it_sends_nothing_for_a_channel_switched_off(handler, django_capture_on_commit_callbacks):
    survey.survey_settings_save(actor=handler, enabled=True, disabled_channels=["social"])
    _resolve(
        ComplaintFactory(customer_contact="a@example.com", channel="social"),
        handler,
        django_capture_on_commit_callbacks,
    )
    assert not mail.outbox
    _resolve(
        ComplaintFactory(customer_contact="b@example.com", channel="email"),
        handler,
        django_capture_on_commit_callbacks,
    )
    assert [m.to for m in mail.outbox] == [["b@example.com"]]


def test_it_sends_nothing_when_the_complaint_was_reopened_before_the_job_ran(handler):
    complaint = ComplaintFactory(customer_contact="olga@example.com", status="in_progress")
    assert survey.survey_create_for_resolution(complaint_id=complaint.pk) is None


def test_it_writes_the_email_in_the_company_language(handler, django_capture_on_commit_callbacks, settings):
    settings.LANGUAGE_CODE = "ru"
    _resolve(
        ComplaintFactory(customer_contact="olga@example.com"), handler, django_capture_on_commit_callbacks
    )
    assert SatisfactionSurvey.objects.get().language == "ru"
    assert mail.outbox[0].body  # rendered under translation.override("ru")


# --- delivery --------------------------------------------------------------------------------


def test_it_delivers_a_survey_only_once_through_the_outbox(db):
    pending = SatisfactionSurveyFactory(notification__status="pending", notification__sent_at=None)
    assert notification_deliver(notification_id=pending.notification_id) is True
    assert notification_deliver(notification_id=pending.notification_id) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [pending.email]
    assert "Are you satisfied" in mail.outbox[0].subject


def test_it_gives_the_claim_back_when_smtp_fails(db, monkeypatch):
    pending = SatisfactionSurveyFactory(notification__status="pending", notification__sent_at=None)

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        notification_deliver(notification_id=pending.notification_id)
    pending.notification.refresh_from_db()
    assert pending.notification.status == "pending"
    assert "gone" in pending.notification.last_error
    monkeypatch.undo()
    assert notification_deliver(notification_id=pending.notification_id) is True


def test_it_marks_a_survey_failed_after_the_last_retry(db, monkeypatch, settings):
    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "EMAIL_RETRIES": 0}
    pending = SatisfactionSurveyFactory(notification__status="pending", notification__sent_at=None)
    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        lambda self, messages: (_ for _ in ()).throw(smtplib.SMTPDataError(554, "no")),
    )
    assert deliver_notification.apply(args=[pending.notification_id]).get() is False
    pending.notification.refresh_from_db()
    assert pending.notification.status == "failed"


# --- answers ---------------------------------------------------------------------------------


def test_it_fills_customer_satisfied_with_the_answer(db):
    sent = SatisfactionSurveyFactory()
    assert survey.survey_answer_record(survey=sent, answer="no") is True
    assert Complaint.objects.get(pk=sent.complaint_id).customer_satisfied == Satisfaction.NO
    assert sent.answer == "no" and sent.answered_at is not None


def test_it_records_the_first_answer_only(db):
    sent = SatisfactionSurveyFactory()
    survey.survey_answer_record(survey=sent, answer="yes")
    assert survey.survey_answer_record(survey=sent, answer="no") is False
    sent.refresh_from_db()
    assert sent.answer == "yes"
    assert Complaint.objects.get(pk=sent.complaint_id).customer_satisfied == Satisfaction.YES


def test_it_keeps_what_the_handler_recorded(db):
    sent = SatisfactionSurveyFactory(complaint__customer_satisfied=Satisfaction.YES)
    survey.survey_answer_record(survey=sent, answer="no")
    assert Complaint.objects.get(pk=sent.complaint_id).customer_satisfied == Satisfaction.YES
    assert SatisfactionSurvey.objects.get(pk=sent.pk).answer == "no"


def test_it_keeps_the_first_comment(db):
    sent = SatisfactionSurveyFactory()
    assert survey.survey_comment_record(survey=sent, comment="  Took too long.  ") is True
    assert survey.survey_comment_record(survey=sent, comment="Second thoughts") is False
    assert SatisfactionSurvey.objects.get(pk=sent.pk).comment == "Took too long."


# --- the sweep ---------------------------------------------------------------------------------


def test_it_sweeps_up_a_survey_whose_task_was_lost(handler, django_capture_on_commit_callbacks):
    complaint = ComplaintFactory(customer_contact="olga@example.com")
    with django_capture_on_commit_callbacks(execute=False):
        services.complaint_resolve(
            complaint=complaint, actor=handler, root_cause="people", resolution="Sorry."
        )
    assert survey.complaints_resolved_without_survey() == [complaint.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert send_outstanding_surveys() == 1
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_outstanding_surveys() == 0
    assert len(mail.outbox) == 1


def test_it_sweeps_up_an_email_left_pending(db, django_capture_on_commit_callbacks):
    pending = SatisfactionSurveyFactory(notification__status="pending", notification__sent_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_outstanding_surveys() == 1
    pending.notification.refresh_from_db()
    assert pending.notification.status == "sent"


def test_it_installs_the_sweep_in_the_beat_schedule(db):
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task="complaints.send_outstanding_surveys").exists()
