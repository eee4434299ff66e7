"""Demo pulse survey: half a year of weekly draws and their answers, so the measured complaint
rate is on the dashboard from the first run.

Each past week is drawn by the rules of the real draw (who may be asked, the sample size, at
most once in 90 days; :mod:`complaints.survey.pulse.rules`), its emails are recorded as sent,
and about four in ten customers answer — business customers more often, online customers
less. About 30 % had a problem; of those about 45 % told us, mostly on the spot, and the front
line logged most formal complaints but only a third of what it heard on the spot: those
complaints are added to the log ("demo-pulse-…"). Nothing is sent; a second run adds nothing.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from complaints.models import Channel, Complaint, Status
from complaints.survey.pulse import rules
from complaints.survey.pulse.models import ProblemAbout, PulseInvitation, PulseWave, ToldUs
from complaints.survey.pulse.selectors import PulsePlan, pulse_plan, week_start_of
from complaints.survey.pulse.services import PULSE_EMAIL, pulse_email_key, pulse_switch
from complaints.survey.services import company_language
from customers.models import Customer, EmailConsent, Purchase
from notifications.models import Notification
from people.models import Department

WEEKS = 26
SEED = 1313
P_PROBLEM = 0.3
TOLD_WEIGHTS = {ToldUs.NO: 0.55, ToldUs.ON_THE_SPOT: 0.33, ToldUs.FORMAL: 0.07, ToldUs.OTHER: 0.05}
P_LOGGED = {ToldUs.ON_THE_SPOT: 0.35, ToldUs.FORMAL: 0.9, ToldUs.OTHER: 0.1}
P_RESOLVED = 0.75
P_ANSWER = {"business": 0.6, "online": 0.3}
P_ANSWER_DEFAULT = 0.4
CHANNEL_OF = {
    ToldUs.ON_THE_SPOT: Channel.IN_PERSON,
    ToldUs.FORMAL: Channel.EMAIL,
    ToldUs.OTHER: Channel.SOCIAL,
}
SUMMARY_OF = {
    ProblemAbout.PEOPLE: "Customer unhappy with how staff treated them",
    ProblemAbout.SYSTEMS: "Payment failed at the till",
    ProblemAbout.PROCESSES: "Long wait at the counter",
    ProblemAbout.PRODUCTS: "Product did not work as described",
    ProblemAbout.CUSTOMERS: "Customer expected a different service",
}
COMMENTS = [
    "The queue at the counter was long.",
    "Nobody called me back as promised.",
    "Очень долго ждал ответа.",
    "The app charged me twice.",
    "Всё отлично, спасибо!",
]


def seed(*, today: datetime.date | None = None) -> None:
    if PulseWave.objects.exists():
        return
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    plan = pulse_plan()
    customers = {
        pk: (email, segment, language, consent)
        for pk, email, segment, language, consent in Customer.objects.filter(
            churned_on__isnull=True
        ).values_list("pk", "email", "segment", "language", "email_consent")
    }
    if not any(consent == EmailConsent.GIVEN for *_rest, consent in customers.values()):
        return
    first_day = week_start_of(today) - datetime.timedelta(weeks=WEEKS, days=plan.window_days)
    bought: dict[int, list[datetime.date]] = defaultdict(list)
    for customer_id, day in Purchase.objects.filter(date__gte=first_day).values_list("customer_id", "date"):
        bought[customer_id].append(day)
    departments = list(Department.objects.filter(customer_facing=True).order_by("pk"))
    last_asked: dict[int, datetime.datetime] = {}
    tz = timezone.get_current_timezone()
    for weeks_ago in range(WEEKS, 0, -1):
        monday = week_start_of(today) - datetime.timedelta(weeks=weeks_ago)
        drawn_at = timezone.make_aware(
            datetime.datetime.combine(monday + datetime.timedelta(days=1), datetime.time(10)), tz
        )
        counts, chosen = _draw(rng, plan, drawn_at, customers, bought, last_asked)
        _week(rng, plan, monday, drawn_at, counts, chosen, customers, departments)
    pulse_switch(actor=None, enabled=True)


def _draw(rng, plan: PulsePlan, drawn_at, customers, bought, last_asked) -> tuple[dict, list[int]]:
    """The week's counts (as the real draw keeps them) and the customers drawn."""
    day = drawn_at.date()
    since = day - datetime.timedelta(days=plan.window_days)
    pause = datetime.timedelta(days=plan.min_days_between)
    counts = dict.fromkeys(
        ("population", "skipped_no_email", "skipped_no_consent", "skipped_asked_recently"), 0
    )
    candidates = []
    for pk, (email, _segment, _language, consent) in customers.items():
        if not any(since < bought_on <= day for bought_on in bought.get(pk, ())):
            continue
        counts["population"] += 1
        if not email:
            counts["skipped_no_email"] += 1
        elif consent != EmailConsent.GIVEN:
            counts["skipped_no_consent"] += 1
        elif pk in last_asked and drawn_at - last_asked[pk] < pause:
            counts["skipped_asked_recently"] += 1
        else:
            candidates.append(pk)
    size = rules.sample_size(eligible=len(candidates), rate=plan.rate, size=plan.size)
    chosen = rules.draw({"": candidates}, {"": size}, rng)
    for pk in chosen:
        last_asked[pk] = drawn_at
    return {
        **counts,
        "eligible": len(candidates),
        "strata": {"": {"eligible": len(candidates), "sampled": size}},
    }, chosen


def _week(rng, plan: PulsePlan, monday, drawn_at, counts, chosen, customers, departments) -> None:
    wave = PulseWave.objects.create(
        week_start=monday,
        created_at=drawn_at,
        seed=SEED,
        sample_rate=plan.rate,
        sampled=len(chosen),
        **counts,
    )
    invitations = PulseInvitation.objects.bulk_create(
        [_invitation(rng, plan, wave, drawn_at, pk, customers[pk]) for pk in chosen]
    )
    emails = Notification.objects.bulk_create(
        [
            Notification(
                to_email=invitation.email,
                language=invitation.language,
                kind=PULSE_EMAIL,
                key=pulse_email_key(invitation),
                status=Notification.Status.SENT,
                attempts=1,
                created_at=drawn_at,
                sent_at=drawn_at + datetime.timedelta(minutes=2),
            )
            for invitation in invitations
        ]
    )
    for invitation, email in zip(invitations, emails, strict=True):
        invitation.notification = email
    PulseInvitation.objects.bulk_update(invitations, ["notification"])
    Complaint.objects.bulk_create(
        [
            _complaint(rng, invitation, departments)
            for invitation in invitations
            if invitation.told in P_LOGGED and rng.random() < P_LOGGED[invitation.told]
        ]
    )


def _invitation(rng, plan: PulsePlan, wave, drawn_at, pk: int, customer) -> PulseInvitation:
    email, segment, language, _consent = customer
    invitation = PulseInvitation(
        wave=wave,
        customer_id=pk,
        email=email,
        language=language or company_language(),
        segment=segment,
        created_at=drawn_at,
        asked_about_since=drawn_at - datetime.timedelta(days=plan.window_days),
        expires_at=drawn_at + datetime.timedelta(days=plan.link_days),
    )
    if rng.random() >= P_ANSWER.get(segment, P_ANSWER_DEFAULT):
        return invitation
    problem = rng.random() < P_PROBLEM
    invitation.answered_at = drawn_at + datetime.timedelta(hours=rng.randint(1, 96))
    invitation.changed_at = invitation.answered_at
    invitation.problem = problem
    invitation.satisfaction = rng.choice([1, 2, 2, 3, 3, 4]) if problem else rng.choice([3, 4, 4, 5, 5, 5])
    if problem:
        invitation.told = rng.choices(list(TOLD_WEIGHTS), weights=list(TOLD_WEIGHTS.values()))[0]
        invitation.about = rng.choice(ProblemAbout.values)
    if rng.random() < 0.6:
        invitation.recommend = rng.randint(0, 7) if problem else rng.randint(6, 10)
    if rng.random() < 0.15:
        invitation.comment = rng.choice(COMMENTS)
    return invitation


def _complaint(rng, invitation: PulseInvitation, departments) -> Complaint:
    received_at = invitation.created_at - datetime.timedelta(days=rng.randint(1, 25), hours=rng.randint(0, 8))
    resolved = rng.random() < P_RESOLVED
    return Complaint(
        external_ref=f"demo-pulse-{invitation.pk}",
        received_at=received_at,
        channel=CHANNEL_OF[invitation.told],
        customer_id=invitation.customer_id,
        customer_contact=invitation.email,
        summary=SUMMARY_OF.get(invitation.about, "Customer reported a problem"),
        department=rng.choice(departments) if departments else None,
        status=Status.RESOLVED if resolved else Status.IN_PROGRESS,
        root_cause=invitation.about if resolved else "",
        resolution="Apologised and fixed it." if resolved else "",
        resolved_at=received_at + datetime.timedelta(days=rng.randint(1, 5)) if resolved else None,
    )
