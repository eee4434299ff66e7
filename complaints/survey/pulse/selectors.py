"""Reads of the pulse survey: who may be asked next, the weeks drawn, the answers.

Every read a page makes is a fixed number of aggregate queries whatever the number of
customers (the preview of the next draw counts in the database, grouped by segment);
only the weekly draw itself lists the ids of the customers who may be asked.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_celery_beat.models import PeriodicTask

from common.programme import programme_setting
from complaints.models import DONE_STATUSES, Complaint
from complaints.survey.pulse import rules
from complaints.survey.pulse.models import PulseInvitation, PulseWave
from customers.models import Customer, EmailConsent, EmailOptOut, Purchase


@dataclass(frozen=True)
class PulsePlan:
    """How the weekly draw samples (the programme figures ``PULSE_*``, see common.programme)."""

    window_days: int
    rate: float
    size: int | None
    min_days_between: int
    stratify_by: str
    link_days: int


def pulse_plan() -> PulsePlan:
    return PulsePlan(
        window_days=int(programme_setting("PULSE_PURCHASE_WINDOW_DAYS")),
        rate=float(programme_setting("PULSE_SAMPLE_RATE")),
        size=programme_setting("PULSE_SAMPLE_SIZE"),
        min_days_between=int(programme_setting("PULSE_MIN_DAYS_BETWEEN_ASKS")),
        stratify_by=programme_setting("PULSE_STRATIFY_BY"),
        link_days=int(programme_setting("PULSE_LINK_MAX_AGE_DAYS")),
    )


# The name of the weekly draw's task (complaints.survey.pulse.tasks), as the beat entry names it.
DRAW_TASK = "complaints.draw_pulse_survey"
# "Every <day> at <time>" per cron day of the week (0 and 7: Sunday); whole phrases, so that each
# language can decline the day as it needs.
EVERY_WEEKDAY = {
    0: gettext_lazy("every Sunday at %(time)s"),
    1: gettext_lazy("every Monday at %(time)s"),
    2: gettext_lazy("every Tuesday at %(time)s"),
    3: gettext_lazy("every Wednesday at %(time)s"),
    4: gettext_lazy("every Thursday at %(time)s"),
    5: gettext_lazy("every Friday at %(time)s"),
    6: gettext_lazy("every Saturday at %(time)s"),
}


def draw_schedule() -> str:
    """When the weekly draw runs, as the beat entry says (admins may change it): "every Tuesday
    at 10:00", or why it does not run."""
    entry = PeriodicTask.objects.filter(task=DRAW_TASK).select_related("crontab").first()
    if entry is None or entry.crontab is None:
        return _("never: the weekly draw is not scheduled (Admin → Periodic tasks)")
    if not entry.enabled:
        return _("never: the weekly draw is disabled in Admin → Periodic tasks")
    crontab = entry.crontab
    if crontab.day_of_week.isdigit() and crontab.hour.isdigit() and crontab.minute.isdigit():
        phrase = EVERY_WEEKDAY[int(crontab.day_of_week) % 7]
        return str(phrase) % {"time": f"{int(crontab.hour):02d}:{int(crontab.minute):02d}"}
    return str(crontab.human_readable)


def week_start_of(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s week: a week's draw is keyed by it."""
    return day - datetime.timedelta(days=day.weekday())


# --- who may be asked --------------------------------------------------------------------

# Each customer who bought in the window is counted under the first reason that applies.
_NO_EMAIL = Q(email="")
_OPTED_OUT = ~_NO_EMAIL & Q(opted_out=True)
_NO_CONSENT = ~_NO_EMAIL & Q(opted_out=False) & ~Q(email_consent=EmailConsent.GIVEN)
_ASKED_RECENTLY = (
    ~_NO_EMAIL & Q(opted_out=False) & Q(email_consent=EmailConsent.GIVEN) & Q(asked_recently=True)
)
_ELIGIBLE = ~_NO_EMAIL & Q(opted_out=False) & Q(email_consent=EmailConsent.GIVEN) & Q(asked_recently=False)


def _population(*, today: datetime.date, now: datetime.datetime, plan: PulsePlan) -> QuerySet[Customer]:
    """Customers who bought in the last ``window_days`` and have not ended the relationship,
    with the flags that decide whether they may be asked."""
    since = today - datetime.timedelta(days=plan.window_days)
    asked_since = now - datetime.timedelta(days=plan.min_days_between)
    return (
        Customer.objects.filter(
            Exists(Purchase.objects.filter(customer=OuterRef("pk"), date__gt=since, date__lte=today))
        )
        .exclude(churned_on__lte=today)
        # "IN (subquery)" rather than a correlated EXISTS: PostgreSQL hashes the opted-out
        # addresses and the recently asked ids once, instead of probing per customer (which
        # also made the planner's cost estimate high enough to JIT-compile a 0.3 s query for 2 s).
        .annotate(email_lower=Lower("email"))
        .annotate(
            opted_out=ExpressionWrapper(
                Q(email_lower__in=EmailOptOut.objects.values("email")), output_field=BooleanField()
            ),
            asked_recently=ExpressionWrapper(
                Q(pk__in=PulseInvitation.objects.filter(created_at__gte=asked_since).values("customer_id")),
                output_field=BooleanField(),
            ),
        )
        .order_by()
    )


@dataclass(frozen=True)
class StratumPlan:
    stratum: str
    eligible: int
    sample: int


@dataclass(frozen=True)
class DrawPreview:
    """What a draw would do now: who bought, who is skipped and why, how many are asked."""

    population: int = 0
    no_email: int = 0
    opted_out: int = 0
    no_consent: int = 0
    asked_recently: int = 0
    eligible: int = 0
    sample: int = 0
    strata: list[StratumPlan] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return self.no_email + self.opted_out + self.no_consent + self.asked_recently


def draw_preview(
    *, today: datetime.date | None = None, now: datetime.datetime | None = None, plan: PulsePlan | None = None
) -> DrawPreview:
    """The next draw's numbers, counted in the database (one grouped query)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    plan = plan or pulse_plan()
    rows = (
        _population(today=today, now=now, plan=plan)
        .values("segment")
        .annotate(
            n_population=Count("pk"),
            n_no_email=Count("pk", filter=_NO_EMAIL),
            n_opted_out=Count("pk", filter=_OPTED_OUT),
            n_no_consent=Count("pk", filter=_NO_CONSENT),
            n_asked_recently=Count("pk", filter=_ASKED_RECENTLY),
            n_eligible=Count("pk", filter=_ELIGIBLE),
        )
    )
    totals = dict.fromkeys(("population", "no_email", "opted_out", "no_consent", "asked_recently"), 0)
    eligible_by_stratum: dict[str, int] = {}
    for row in rows:
        for key in totals:
            totals[key] += row[f"n_{key}"]
        stratum = rules.stratum_of(row["segment"], plan.stratify_by)
        eligible_by_stratum[stratum] = eligible_by_stratum.get(stratum, 0) + row["n_eligible"]
    eligible = sum(eligible_by_stratum.values())
    sample = rules.sample_size(eligible=eligible, rate=plan.rate, size=plan.size)
    sizes = rules.allocate(eligible_by_stratum, sample)
    return DrawPreview(
        **totals,
        eligible=eligible,
        sample=sample,
        strata=[
            StratumPlan(stratum, eligible_by_stratum[stratum], sizes.get(stratum, 0))
            for stratum in sorted(eligible_by_stratum)
        ],
    )


# The overview's preview is counted at most this often: over 100k customers the count takes
# about half a second, and a few minutes' delay does not change what a manager decides.
PREVIEW_CACHE_SECONDS = 300


def draw_preview_cached() -> tuple[DrawPreview, datetime.datetime]:
    """:func:`draw_preview` and when it was counted, from the cache when counted in the last
    :data:`PREVIEW_CACHE_SECONDS`."""
    key = f"complaints:pulse:preview:{timezone.localdate().isoformat()}"
    cached = cache.get(key)
    if cached is None:
        cached = (draw_preview(), timezone.now())
        cache.set(key, cached, PREVIEW_CACHE_SECONDS)
    return cached


def draw_candidates(*, today: datetime.date, now: datetime.datetime, plan: PulsePlan) -> dict[str, list[int]]:
    """{stratum: ids of the customers who may be asked} — for the weekly draw only."""
    candidates: dict[str, list[int]] = {}
    eligible = _population(today=today, now=now, plan=plan).filter(_ELIGIBLE).values_list("pk", "segment")
    for pk, segment in eligible.iterator(chunk_size=10_000):
        candidates.setdefault(rules.stratum_of(segment, plan.stratify_by), []).append(pk)
    return candidates


# --- the weeks drawn, the answers ----------------------------------------------------------


def invitation_get(pk: int) -> PulseInvitation | None:
    return PulseInvitation.objects.select_related("customer").filter(pk=pk).first()


def recent_waves(limit: int = 12) -> QuerySet[PulseWave]:
    """The last weeks drawn, newest first, with how many emails went out and how many answered."""
    return PulseWave.objects.annotate(
        sent=Count("invitations", filter=Q(invitations__notification__status="sent")),
        answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False)),
    ).order_by("-week_start")[:limit]


@dataclass(frozen=True)
class SegmentResponse:
    segment: str
    sent: int
    answered: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.sent if self.sent else None


def response_by_segment(*, since: datetime.datetime) -> list[SegmentResponse]:
    """Emails sent and answered per segment since ``since`` (who answers is not who was asked)."""
    rows = (
        PulseInvitation.objects.filter(created_at__gte=since, notification__status="sent")
        .values("segment")
        .annotate(sent=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
        .order_by("segment")
    )
    return [SegmentResponse(row["segment"], row["sent"], row["answered"]) for row in rows]


def _complaint_heard(*, resolved: bool = False) -> Exists:
    """A complaint of the invited customer logged in the time the question is about or while
    the link worked (staff may log it days after hearing it) — linked to the customer record,
    or only carrying the address the invitation went to."""
    complaints = Complaint.objects.filter(
        Q(customer_id=OuterRef("customer_id")) | Q(customer_contact__iexact=OuterRef("email")),
        received_at__gte=OuterRef("asked_about_since"),
        received_at__lt=OuterRef("expires_at"),
    )
    if resolved:
        complaints = complaints.filter(status__in=DONE_STATUSES)
    return Exists(complaints)


ANSWER_COLUMNS = (
    "customer_id",
    "segment",
    "answered_at",
    "satisfaction",
    "problem",
    "told",
    "recommend",
    "logged",
    "resolved",
)


def answers_for_figures(*, since: datetime.datetime) -> list[tuple]:
    """One tuple per answer given since ``since`` (columns :data:`ANSWER_COLUMNS`), for the
    metrics recompute: ``logged`` says whether a complaint of the customer is in the log for
    the time the question was about, ``resolved`` whether such a complaint was resolved."""
    return list(
        PulseInvitation.objects.filter(answered_at__gte=since)
        .annotate(logged=_complaint_heard(), resolved=_complaint_heard(resolved=True))
        .order_by("answered_at", "pk")
        .values_list(*ANSWER_COLUMNS)
    )


def answers_for_export() -> Iterator[PulseInvitation]:
    """Every answered invitation, oldest first, with its week and customer (streamed)."""
    return (
        PulseInvitation.objects.filter(answered_at__isnull=False)
        .select_related("wave", "customer")
        .order_by("answered_at", "pk")
        .iterator(chunk_size=2000)
    )


def answered_between(*, start: datetime.datetime, end: datetime.datetime) -> dict:
    """Invitations created and answers given in [start, end): the weekly report's counts."""
    return PulseInvitation.objects.aggregate(
        asked=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        answered=Count("pk", filter=Q(answered_at__gte=start, answered_at__lt=end)),
        with_problem=Count("pk", filter=Q(answered_at__gte=start, answered_at__lt=end, problem=True)),
        told=Count(
            "pk",
            filter=Q(answered_at__gte=start, answered_at__lt=end, problem=True) & ~Q(told__in=["", "no"]),
        ),
    )
