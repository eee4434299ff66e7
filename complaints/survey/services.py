"""The satisfaction survey after resolution: who gets it, its signed links, sending, answers.

A complaint handled is only a win if the customer says so (DOMAIN.md, "Complaints
are a gift"). When a complaint is resolved (``complaints.services.complaint_resolve``
enqueues :func:`survey_schedule_after_resolution`), its customer — if we have an
email address, and the survey is not switched off for the company or the
complaint's channel — gets one short email in the company's language with two
one-click answers.

- **Once.** The survey row is created under the unique key (complaint, round), so
  resolving, reopening and resolving again sends nothing new; only when
  ``SERVICECRAFT["SURVEY_RESEND_AFTER_DAYS"]`` is set does a re-resolution that
  many days after the last survey send a new round. The email is a notification
  addressed to the customer's email (the one outbox of :mod:`notifications`), so it
  has the claim, the retries and the admin's resend of every other email.
- **Links** carry a token signed with Django's signing (survey id + answer, salt
  :data:`TOKEN_SALT`) that expires after ``SURVEY_LINK_MAX_AGE_DAYS``; no login.
- **Unsubscribing.** Every survey email carries an unsubscribe link (and the
  List-Unsubscribe headers); an address that unsubscribed gets no survey, and its
  unsent ones are dropped (:func:`complaints.survey.pulse.services.survey_emails_cancel_for`).
- **Answers** are recorded once (a conditional update): a second click shows the
  recorded answer and changes nothing. The answer fills the complaint's "customer
  satisfied" unless a handler had recorded one, which is kept (the pages show the
  difference).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from common.links import absolute_url
from common.programme import programme_setting
from complaints.models import DONE_STATUSES, Complaint, Satisfaction
from complaints.selectors import analysis_cache_invalidate
from complaints.survey.models import SatisfactionSurvey, SurveyAnswer, SurveySettings
from customers.selectors import email_opted_out
from customers.services import unsubscribe_token
from notifications.emails import notification_email, notification_language
from notifications.models import Notification
from notifications.services import email_create, outstanding_emails

logger = logging.getLogger(__name__)

TOKEN_SALT = "complaints.survey"
COMMENT_MAX_LENGTH = 2000


def link_max_age() -> datetime.timedelta:
    days = programme_setting("SURVEY_LINK_MAX_AGE_DAYS")
    return datetime.timedelta(days=days)


def resend_after_days() -> int | None:
    return programme_setting("SURVEY_RESEND_AFTER_DAYS")


def company_language() -> str:
    """The language of the survey email: the site's language (LANGUAGE_CODE)."""
    return settings.LANGUAGE_CODE


# --- links -------------------------------------------------------------------------


class SurveyLinkError(Exception):
    """A link that cannot be used: ``expired`` or ``invalid`` (tampered, truncated, unknown)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def survey_token(*, survey_id: int, answer: str) -> str:
    """The signed, timestamped token of one answer link."""
    return signing.dumps({"s": survey_id, "a": answer}, salt=TOKEN_SALT)


def signed_token_read(token: str, *, salt: str, max_age: datetime.timedelta) -> object:
    """The payload of a token signed with ``salt`` no longer than ``max_age`` ago, or
    :class:`SurveyLinkError` (``expired``, or ``invalid`` when changed or cut short).

    Every survey link (after resolution, the pulse survey) is read through here."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise SurveyLinkError("expired") from None
    except signing.BadSignature:
        raise SurveyLinkError("invalid") from None


def survey_token_read(token: str) -> tuple[int, str]:
    """(survey id, answer) of a valid token, or :class:`SurveyLinkError`."""
    payload = signed_token_read(token, salt=TOKEN_SALT, max_age=link_max_age())
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("s"), int)
        or payload.get("a") not in SurveyAnswer.values
    ):
        raise SurveyLinkError("invalid")
    return payload["s"], payload["a"]


def survey_answer_url(*, survey_id: int, answer: str) -> str:
    return reverse("survey:answer", args=[survey_token(survey_id=survey_id, answer=answer)])


def unsubscribe_url(*, email: str) -> str:
    """The absolute address of the page where ``email`` stops the survey emails: in the body
    and the List-Unsubscribe header of every survey email."""
    return absolute_url(reverse("survey:unsubscribe", args=[unsubscribe_token(email=email)]))


def survey_headers(message: EmailMultiAlternatives, *, email: str) -> EmailMultiAlternatives:
    """Give a survey email the List-Unsubscribe headers (RFC 2369, and RFC 8058's one click)."""
    message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe_url(email=email)}>"
    message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


# --- who gets a survey ------------------------------------------------------------------


def survey_settings() -> SurveySettings:
    found, _created = SurveySettings.objects.get_or_create(pk=1)
    return found


@transaction.atomic
def survey_settings_save(*, actor, enabled: bool, disabled_channels: list[str]) -> SurveySettings:
    """Switch the survey on or off for the company, and off for some channels."""
    found, _created = SurveySettings.objects.update_or_create(
        pk=1,
        defaults={
            "enabled": enabled,
            "disabled_channels": sorted(set(disabled_channels)),
            "updated_by": actor,
            "updated_at": timezone.now(),
        },
    )
    return found


def survey_email_for(complaint: Complaint) -> str:
    """Where the survey goes: the contact given on the complaint if it is an email address,
    else the linked customer record's email; "" if neither.

    The person who complained gets it, not the holder of the customer number they quoted
    (a complaint by Elena quoting Kirill's number asks Elena).
    """
    candidates = [complaint.customer_contact, complaint.customer.email if complaint.customer_id else ""]
    for candidate in candidates:
        candidate = (candidate or "").strip()
        if not candidate:
            continue
        try:
            validate_email(candidate)
        except ValidationError:
            continue
        return candidate
    return ""


def survey_create_for_resolution(*, complaint_id: int) -> SatisfactionSurvey | None:
    """The survey row for the complaint's current resolution, or None when none is due.

    None when: the complaint is not resolved (reopened meanwhile), the customer has
    no email address or unsubscribed it, the survey is off for the company or the
    channel, or a survey was already created and the resend rule does not allow
    another one.
    """
    complaint = Complaint.objects.select_related("customer").filter(pk=complaint_id).first()
    if complaint is None or complaint.status not in DONE_STATUSES:
        return None
    if not survey_settings().sends_for(complaint.channel):
        return None
    email = survey_email_for(complaint)
    if not email or email_opted_out(email):
        return None
    last = complaint.surveys.order_by("-round").first()
    round_number = 1
    if last is not None:
        days = resend_after_days()
        if days is None or timezone.now() - last.created_at < datetime.timedelta(days=days):
            return None
        round_number = last.round + 1
    try:
        with transaction.atomic():
            survey = SatisfactionSurvey.objects.create(
                complaint=complaint, round=round_number, email=email, language=company_language()
            )
            survey.notification_id = email_create(
                kind=SURVEY_EMAIL, key=survey_email_key(survey), to_email=email, language=survey.language
            )
            survey.save(update_fields=["notification"])
            return survey
    except IntegrityError:
        # Another worker created this round first: it sends it.
        return None


# --- the email -----------------------------------------------------------------------------

SURVEY_EMAIL = "complaint_survey"


def survey_email_key(survey: SatisfactionSurvey) -> str:
    """The email's unique key: one email per survey round of a complaint."""
    return f"complaint:{survey.complaint_id}:round:{survey.round}"


def survey_emails_record_sent(surveys: list[SatisfactionSurvey], *, sent_at) -> None:
    """Attach a sent email to each of ``surveys`` (not saved yet): for demo and bench data,
    which arrive with their history instead of going through the outbox."""
    emails = Notification.objects.bulk_create(
        [
            Notification(
                to_email=survey.email,
                language=survey.language,
                kind=SURVEY_EMAIL,
                key=survey_email_key(survey),
                period="",
                status=Notification.Status.SENT,
                attempts=1,
                created_at=survey.created_at,
                sent_at=sent_at(survey),
            )
            for survey in surveys
        ],
        batch_size=2000,
    )
    if emails and emails[0].pk is None:  # a backend that does not return ids (not ours)
        raise RuntimeError("bulk_create did not return the ids of the emails")
    for survey, email in zip(surveys, emails, strict=True):
        survey.notification = email


def survey_message(notification: Notification) -> EmailMultiAlternatives:
    """The survey email: the question, two one-click answers, in the survey's language."""
    survey = SatisfactionSurvey.objects.select_related("complaint", "complaint__customer").get(
        notification=notification
    )
    with translation.override(notification_language(notification)):
        context = {
            "customer_name": survey.complaint.customer_display,
            "received_on": timezone.localdate(survey.complaint.received_at),
            "satisfied_url": absolute_url(
                survey_answer_url(survey_id=survey.pk, answer=SurveyAnswer.SATISFIED)
            ),
            "not_satisfied_url": absolute_url(
                survey_answer_url(survey_id=survey.pk, answer=SurveyAnswer.NOT_SATISFIED)
            ),
            "valid_days": link_max_age().days,
            "unsubscribe_url": unsubscribe_url(email=notification.to_email),
        }
        message = notification_email(
            notification,
            gettext("Are you satisfied with how we resolved your complaint?"),
            render_to_string("emails/complaint_survey.txt", context),
            render_to_string("emails/complaint_survey.html", context),
        )
    return survey_headers(message, email=notification.to_email)


def survey_email_sent(*, kind: str, **kwargs) -> None:
    """A survey email went out: "sent" is a figure of the survey results and the dashboard."""
    if kind == SURVEY_EMAIL:
        analysis_cache_invalidate()


# The sweep looks this far back: a survey not sent within two weeks is not worth sending.
OUTSTANDING_DAYS = 14
# Resolutions this recent without a survey row are prepared again (their task was lost).
RECENT_RESOLUTION_DAYS = 2


def surveys_outstanding() -> list[int]:
    """Ids of the survey emails waiting to be sent, or claimed by a worker whose lease has run out."""
    since = timezone.now() - datetime.timedelta(days=OUTSTANDING_DAYS)
    return list(
        outstanding_emails().filter(kind=SURVEY_EMAIL, created_at__gte=since).values_list("pk", flat=True)
    )


def complaints_resolved_without_survey() -> list[int]:
    """Complaints resolved in the last two days that have no survey row (e.g. the task was lost).

    Preparing them again is harmless: the rules decide, and the unique key keeps it once.
    """
    since = timezone.now() - datetime.timedelta(days=RECENT_RESOLUTION_DAYS)
    return list(
        Complaint.objects.filter(status__in=DONE_STATUSES, resolved_at__gte=since, surveys__isnull=True)
        .exclude(customer_contact="", customer__isnull=True)
        .values_list("pk", flat=True)
    )


# --- answers -------------------------------------------------------------------------------


def survey_get(*, survey_id: int) -> SatisfactionSurvey | None:
    return SatisfactionSurvey.objects.select_related("complaint").filter(pk=survey_id).first()


def survey_answer_record(*, survey: SatisfactionSurvey, answer: str) -> bool:
    """Record the customer's answer if none is recorded yet; True if this call recorded it.

    The complaint's "customer satisfied" takes the answer only while it is "not
    asked": what a handler recorded stays, and the difference is shown.
    """
    now = timezone.now()
    with transaction.atomic():
        recorded = SatisfactionSurvey.objects.filter(pk=survey.pk, answer="").update(
            answer=answer, answered_at=now
        )
        if recorded:
            Complaint.objects.filter(
                pk=survey.complaint_id, customer_satisfied=Satisfaction.NOT_ASKED
            ).update(customer_satisfied=answer)
    if recorded:
        # The answer moves the survey figures and, through "customer satisfied", the analysis.
        analysis_cache_invalidate()
    survey.refresh_from_db(fields=["answer", "answered_at"])
    return bool(recorded)


def survey_comment_record(*, survey: SatisfactionSurvey, comment: str) -> bool:
    """Keep the customer's comment (once); True if this call stored it."""
    comment = comment.strip()[:COMMENT_MAX_LENGTH]
    if not comment:
        return False
    stored = SatisfactionSurvey.objects.filter(pk=survey.pk, comment="").update(
        comment=comment, commented_at=timezone.now()
    )
    survey.refresh_from_db(fields=["comment", "commented_at"])
    return bool(stored)
