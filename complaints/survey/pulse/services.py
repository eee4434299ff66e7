"""The pulse survey's writes: the weekly draw, its emails, the customers' answers, the switch.

- **The draw** (:func:`pulse_wave_draw`, weekly from the beat): customers who bought in
  the last ``PULSE_PURCHASE_WINDOW_DAYS`` may be asked if they have an email address,
  gave consent, did not unsubscribe and were not asked in the last
  ``PULSE_MIN_DAYS_BETWEEN_ASKS`` days; the others are counted by reason. A fair random
  sample (:mod:`complaints.survey.pulse.rules`) of them gets one email each. The week is
  the wave's unique key, so the task run twice draws once.
- **The email** is a notification of the one outbox (claimed, retried, sent once), in
  the customer's language, with one signed link to the answer page (and five links
  that open it with a score chosen) and an unsubscribe link.
- **Answers.** Opening the link never records anything (mail scanners open links): the
  answer is a POST from the page. One answer per link, which the customer may change
  until the link expires (``PULSE_LINK_MAX_AGE_DAYS``).
"""

from __future__ import annotations

import datetime
import random
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from common.links import absolute_url
from complaints.survey import services as survey
from complaints.survey.models import SurveySettings
from complaints.survey.pulse import rules
from complaints.survey.pulse import selectors as pulse
from complaints.survey.pulse.models import PulseInvitation, PulseWave
from customers.models import Customer
from notifications.emails import notification_email, notification_language
from notifications.models import Notification
from notifications.services import email_create, notification_mark_failed, outstanding_emails

PULSE_EMAIL = "pulse_survey"
TOKEN_SALT = "complaints.survey.pulse"
COMMENT_MAX_LENGTH = 2000
# Rows per bulk write of a week's invitations.
BATCH = 1000


# --- the switch -------------------------------------------------------------------------


def pulse_enabled() -> bool:
    return survey.survey_settings().pulse_enabled


@transaction.atomic
def pulse_switch(*, actor, enabled: bool) -> SurveySettings:
    """Switch the weekly pulse survey on or off for the company."""
    found, _created = SurveySettings.objects.get_or_create(pk=1)
    found.pulse_enabled = enabled
    found.updated_by = actor
    found.updated_at = timezone.now()
    found.save(update_fields=["pulse_enabled", "updated_by", "updated_at"])
    return found


# --- links -------------------------------------------------------------------------------


def pulse_token(*, invitation_id: int) -> str:
    """The signed token of an invitation's link (no login: the link is the key)."""
    return signing.dumps({"p": invitation_id}, salt=TOKEN_SALT)


def pulse_token_read(token: str, *, max_age_days: int | None = None) -> int:
    """The invitation id of a valid token, or :class:`~complaints.survey.services.SurveyLinkError`."""
    days = max_age_days if max_age_days is not None else pulse.pulse_plan().link_days
    payload = survey.signed_token_read(token, salt=TOKEN_SALT, max_age=datetime.timedelta(days=days))
    if not isinstance(payload, dict) or not isinstance(payload.get("p"), int):
        raise survey.SurveyLinkError("invalid")
    return payload["p"]


def pulse_answer_url(*, invitation_id: int) -> str:
    return reverse("survey:pulse:answer", args=[pulse_token(invitation_id=invitation_id)])


def invitation_for_link(token: str) -> PulseInvitation:
    """The invitation a link opens, or :class:`SurveyLinkError`: ``invalid`` (changed, cut
    short, unknown) or ``expired`` (past the invitation's end, whatever the token says)."""
    found = pulse.invitation_get(pulse_token_read(token))
    if found is None:
        raise survey.SurveyLinkError("invalid")
    if found.expires_at <= timezone.now():
        raise survey.SurveyLinkError("expired")
    return found


# --- the weekly draw ---------------------------------------------------------------------


def pulse_wave_draw(
    *, today: datetime.date | None = None, seed: int | None = None, force: bool = False
) -> PulseWave | None:
    """Draw this week's sample and create its invitations and emails; None when the pulse
    survey is off (unless ``force``) or this week was drawn already.

    ``seed`` makes the draw reproducible (the wave keeps the seed it used). The emails
    are created here and delivered after the commit by the caller (the task).
    """
    if not force and not pulse_enabled():
        return None
    now = timezone.now()
    today = today or timezone.localdate(now)
    week = pulse.week_start_of(today)
    if PulseWave.objects.filter(week_start=week).exists():
        return None
    plan = pulse.pulse_plan()
    seed = secrets.randbits(62) if seed is None else seed
    # The skipped counts (grouped in the database), then the ids of those who may be asked.
    counts = pulse.draw_preview(today=today, now=now, plan=plan)
    candidates = pulse.draw_candidates(today=today, now=now, plan=plan)
    eligible = {stratum: len(ids) for stratum, ids in candidates.items()}
    sizes = rules.allocate(
        eligible, rules.sample_size(eligible=sum(eligible.values()), rate=plan.rate, size=plan.size)
    )
    chosen = rules.draw(candidates, sizes, random.Random(seed))
    try:
        with transaction.atomic():
            wave = PulseWave.objects.create(
                week_start=week,
                created_at=now,
                seed=seed,
                stratified_by=plan.stratify_by,
                sample_rate=None if plan.size is not None else plan.rate,
                sample_size=plan.size,
                population=counts.population,
                skipped_no_email=counts.no_email,
                skipped_opted_out=counts.opted_out,
                skipped_no_consent=counts.no_consent,
                skipped_asked_recently=counts.asked_recently,
                eligible=sum(eligible.values()),
                sampled=len(chosen),
                strata={
                    stratum: {"eligible": eligible[stratum], "sampled": sizes.get(stratum, 0)}
                    for stratum in sorted(eligible)
                },
            )
            _invite(wave=wave, customer_ids=chosen, now=now, plan=plan)
    except IntegrityError:
        # Another worker drew this week first: it sends its emails.
        return None
    return wave


def _invite(*, wave: PulseWave, customer_ids: list[int], now: datetime.datetime, plan) -> None:
    since = now - datetime.timedelta(days=plan.window_days)
    expires = now + datetime.timedelta(days=plan.link_days)
    for offset in range(0, len(customer_ids), BATCH):
        customers = Customer.objects.filter(pk__in=customer_ids[offset : offset + BATCH]).order_by("pk")
        invitations = PulseInvitation.objects.bulk_create(
            [
                PulseInvitation(
                    wave=wave,
                    customer=customer,
                    email=customer.email,
                    language=customer.language or survey.company_language(),
                    segment=customer.segment,
                    created_at=now,
                    asked_about_since=since,
                    expires_at=expires,
                )
                for customer in customers
            ]
        )
        if invitations and invitations[0].pk is None:  # a backend that does not return ids (not ours)
            raise RuntimeError("bulk_create did not return the ids of the invitations")
        for invitation in invitations:
            invitation.notification_id = email_create(
                kind=PULSE_EMAIL,
                key=pulse_email_key(invitation),
                to_email=invitation.email,
                language=invitation.language,
            )
        PulseInvitation.objects.bulk_update(invitations, ["notification"])


def pulse_email_key(invitation: PulseInvitation) -> str:
    """The email's unique key: one email per invitation."""
    return f"pulse:{invitation.pk}"


def wave_emails(wave: PulseWave) -> list[int]:
    """The ids of a week's emails, to deliver after the commit."""
    return list(
        wave.invitations.filter(notification__isnull=False)
        .order_by("pk")
        .values_list("notification_id", flat=True)
    )


def pulse_emails_outstanding() -> list[int]:
    """Pulse emails waiting to be sent (their task was lost), for the hourly sweep."""
    since = timezone.now() - datetime.timedelta(days=survey.OUTSTANDING_DAYS)
    return list(
        outstanding_emails().filter(kind=PULSE_EMAIL, created_at__gte=since).values_list("pk", flat=True)
    )


# --- the email ---------------------------------------------------------------------------


def pulse_email_parts(context: dict) -> tuple[str, str, str]:
    """(subject, text, HTML) of the pulse email in the active language; the preview shows the same."""
    return (
        gettext("How was your experience with us?"),
        render_to_string("emails/pulse_survey.txt", context),
        render_to_string("emails/pulse_survey.html", context),
    )


def pulse_email_context(*, customer_name: str, answer_url: str, unsubscribe: str, expires_at) -> dict:
    return {
        "customer_name": customer_name,
        "answer_url": answer_url,
        "score_urls": [(score, f"{answer_url}?satisfaction={score}") for score in range(1, 6)],
        "window_days": pulse.pulse_plan().window_days,
        "valid_until": timezone.localdate(expires_at),
        "unsubscribe_url": unsubscribe,
    }


def pulse_message(notification: Notification) -> EmailMultiAlternatives:
    """The pulse email of one invitation, in the customer's language."""
    invitation = PulseInvitation.objects.select_related("customer").get(notification=notification)
    with translation.override(notification_language(notification)):
        context = pulse_email_context(
            customer_name=invitation.customer.name if invitation.customer_id else "",
            answer_url=absolute_url(pulse_answer_url(invitation_id=invitation.pk)),
            unsubscribe=survey.unsubscribe_url(email=invitation.email),
            expires_at=invitation.expires_at,
        )
        message = notification_email(notification, *pulse_email_parts(context))
    return survey.survey_headers(message, email=invitation.email)


def survey_emails_cancel_for(*, email: str, **kwargs) -> list[int]:
    """An address unsubscribed: its survey emails (after resolution and pulse) not sent yet are
    dropped — marked failed with the reason, where admins see them. Receives
    ``customers.signals.email_opted_out``."""
    unsent = list(
        outstanding_emails()
        .filter(kind__in=[survey.SURVEY_EMAIL, PULSE_EMAIL], to_email__iexact=email)
        .values_list("pk", flat=True)
    )
    for notification_id in unsent:
        notification_mark_failed(notification_id=notification_id, error=UNSUBSCRIBED)
    return unsent


# The reason an unsent survey email is dropped, shown to admins on the email.
UNSUBSCRIBED = "not sent: the address unsubscribed from survey emails"


# --- answers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PulseAnswer:
    """One customer's answer, as checked by the answer form."""

    satisfaction: int
    problem: bool
    told: str = ""
    about: str = ""
    comment: str = ""
    recommend: int | None = None


def pulse_answer_save(*, invitation_id: int, answer: PulseAnswer) -> PulseInvitation:
    """Record or change the answer of one invitation; raises ``SurveyLinkError("expired")``
    past the link's end.

    The row is locked while it is written, so two submissions at once (a double click,
    two tabs) leave one answer — the later one — and the time of the first. Without a
    problem, "did you tell us" and "what was it about" are cleared.
    """
    now = timezone.now()
    with transaction.atomic():
        invitation = PulseInvitation.objects.select_for_update().get(pk=invitation_id)
        if invitation.expires_at <= now:
            raise survey.SurveyLinkError("expired")
        first = invitation.answered_at is None
        invitation.satisfaction = answer.satisfaction
        invitation.problem = answer.problem
        invitation.told = answer.told if answer.problem else ""
        invitation.about = answer.about if answer.problem else ""
        invitation.comment = answer.comment.strip()[:COMMENT_MAX_LENGTH]
        invitation.recommend = answer.recommend
        invitation.answered_at = invitation.answered_at or now
        invitation.changed_at = now
        invitation.changes += 0 if first else 1
        invitation.save(
            update_fields=[
                "satisfaction",
                "problem",
                "told",
                "about",
                "comment",
                "recommend",
                "answered_at",
                "changed_at",
                "changes",
            ]
        )
    return invitation
