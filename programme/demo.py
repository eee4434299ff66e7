"""Demo data of the programme: a charter the demo staff wrote in their own words (two
revisions), who led the programme when, a year of monthly actuals and targets (some off
track), golden-rules reviews of the last quarters, a corrective action whose
effectiveness was measured and confirmed, one waiting for its owner, and the last
quarter's review decisions. ``seed_demo`` runs it after the metrics' first snapshot.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from complaints import services as complaint_services
from complaints.models import ActionKind, Complaint, CorrectiveAction, RootCause
from people.models import Department
from programme import rules, services
from programme.figures import BY_KEY, FLOW, HIGHER, PERCENT
from programme.models import (
    CharterEntry,
    CharterRevision,
    GoldenRulesReview,
    MonthlyActual,
)

# author, kind, text, days ago, supporters
ENTRIES = [
    (
        "olga",
        "benefit",
        "Guests we greet by name come back, and bring their families: most of our Saturday visitors "
        "are regulars.",
        70,
        ["manager", "anna", "ivan", "pavel", "dmitry"],
    ),
    (
        "ivan",
        "benefit",
        "When we call back at the time we promised, the next call is a thank-you instead of a complaint.",
        68,
        ["anna", "olga", "manager"],
    ),
    (
        "pavel",
        "benefit",
        "A repair done right the first time saves the second visit: fuel, an engineer's morning and "
        "often a spare part.",
        65,
        ["dmitry", "sergey", "manager", "ivan"],
    ),
    (
        "anna",
        "benefit",
        "People choose us over the shop next door because we explain the warranty instead of hiding it.",
        60,
        ["olga", "ivan"],
    ),
    (
        "dmitry",
        "benefit",
        "Customers happy with after-sales buy the extended service plan: it pays for the service team.",
        58,
        ["pavel", "manager"],
    ),
    (
        "sergey",
        "benefit",
        "Fewer damaged parcels mean fewer returns piling up in the warehouse.",
        40,
        ["pavel"],
    ),
    (
        "dmitry",
        "fear",
        "It will cost a lot: training days, compensations, more people on the phones.",
        66,
        ["manager", "sergey"],
    ),
    ("manager", "fear", "We cannot control hundreds of conversations a day.", 64, ["dmitry", "hr"]),
    (
        "pavel",
        "fear",
        "Our customers only look at the price; they won't notice the difference.",
        62,
        ["sergey", "ivan", "dmitry"],
    ),
    ("sergey", "fear", "More forms for the warehouse and fewer parcels out of the door.", 35, []),
]
# A duplicate (author, text, days ago, supporters) merged into Ivan's call-back entry.
DUPLICATE = (
    "anna",
    "If we phone back on time, customers stop calling three times a day.",
    55,
    ["olga", "sergey"],
)
ANSWERS = {
    "It will cost a lot": (
        "Losing a loyal customer costs far more than the training: we watch the value at risk every month.",
        "value_at_risk",
    ),
    "We cannot control": (
        "We do not control conversations, we control promises: the share kept is on the programme page.",
        "promise_kept",
    ),
    "Our customers only look": (
        "If they notice, fewer of them leave: monthly churn will tell us either way.",
        "churn",
    ),
}

# Targets a company starting its programme sets whatever its figures are today (shares).
FIXED_TARGETS = {"promise_kept": 0.9, "ack_coverage": 0.9, "training_compliance": 0.9, "satisfaction": 0.75}
# The other figures' target is set against the demo's own actuals, so the demo shows every colour.
DEMO_STATUS = {
    "time_to_resolve": rules.ON_TRACK,
    "complaints_per_thousand": rules.ON_TRACK,
    "silent_leavers": rules.ON_TRACK,
    "churn": rules.OFF_TRACK,
    "value_at_risk": rules.AT_RISK,
    "staff_turnover": rules.AT_RISK,
}
# When there is nothing measured yet: a plausible target in the stored unit.
FALLBACK_TARGETS = {
    "promise_kept": 0.9,
    "time_to_resolve": 3.0,
    "complaints_per_thousand": 20.0,
    "silent_leavers": 40.0,
    "churn": 0.02,
    "value_at_risk": 50000.0,
    "ack_coverage": 0.95,
    "training_compliance": 0.9,
    "satisfaction": 0.8,
    "staff_turnover": 0.2,
}


def seed(*, today: datetime.date | None = None) -> None:
    if CharterEntry.objects.exists():
        return
    today = today or timezone.localdate()
    users = {user.username: user for user in get_user_model().objects.filter(is_active=True)}
    if "manager" not in users:
        return
    _charter(today, users)
    _leads(today, users)
    services.monthly_actuals_record(months=rules.months_back(today, 13), today=today)
    _targets(today, users)
    _effectiveness(today, users)
    _golden_rules(today, users)
    _decisions(today, users)


def _at(today: datetime.date, days_ago: int) -> datetime.datetime:
    day = today - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(11, 0)))


def _charter(today: datetime.date, users: dict) -> None:
    entries = {}
    for author, kind, text, days_ago, supporters in ENTRIES:
        entry = services.charter_entry_propose(
            author=users.get(author, users["manager"]), kind=kind, text=text
        )
        CharterEntry.objects.filter(pk=entry.pk).update(created_at=_at(today, days_ago))
        for name in supporters:
            if name in users:
                services.charter_entry_support(entry=entry, user=users[name])
        entries[text[:20]] = entry
    author, text, days_ago, supporters = DUPLICATE
    duplicate = services.charter_entry_propose(
        author=users.get(author, users["manager"]), kind="benefit", text=text
    )
    CharterEntry.objects.filter(pk=duplicate.pk).update(created_at=_at(today, days_ago))
    for name in supporters:
        if name in users:
            services.charter_entry_support(entry=duplicate, user=users[name])
    call_back = next(entry for key, entry in entries.items() if key.startswith("When we call back"))
    services.charter_entries_merge(source=duplicate, target=call_back, actor=users["manager"])

    first_benefits = [
        "Guests we greet by n",
        "When we call back at",
        "A repair done right ",
        "People choose us ove",
    ]
    for key in first_benefits:
        services.charter_entry_update(entry=entries[key], in_charter=True)
    for prefix, (answer, figure) in list(ANSWERS.items())[:2]:
        entry = next(entry for key, entry in entries.items() if key.startswith(prefix[:20]))
        services.charter_entry_update(entry=entry, in_charter=True, answer=answer, answer_figure=figure)
    first = services.charter_publish(
        actor=users["manager"], note="Our first charter, from the spring brainstorm."
    )
    CharterRevision.objects.filter(pk=first.pk).update(published_at=_at(today, 45))

    services.charter_entry_update(entry=entries["Customers happy with"], in_charter=True)
    answer, figure = ANSWERS["Our customers only look"]
    entry = next(entry for key, entry in entries.items() if key.startswith("Our customers only l"))
    services.charter_entry_update(entry=entry, in_charter=True, answer=answer, answer_figure=figure)
    second = services.charter_publish(
        actor=users.get("dmitry", users["manager"]),
        note="Added the after-sales plan, and the fear that customers won't notice (answered by churn).",
    )
    CharterRevision.objects.filter(pk=second.pk).update(published_at=_at(today, 12))


def _leads(today: datetime.date, users: dict) -> None:
    first = users.get("dmitry", users["manager"])
    services.programme_lead_appoint(
        user=first,
        actor=None,
        started_on=today - datetime.timedelta(days=3 * 365),
        note="Started the programme after a bad year of complaints.",
    )
    services.programme_lead_appoint(
        user=users["manager"],
        actor=None,
        started_on=today - datetime.timedelta(days=400),
        note="Took over when Dmitry moved to run after-sales.",
    )


def _judged(key: str, today: datetime.date) -> float | None:
    figure = BY_KEY[key]
    rows = MonthlyActual.objects.filter(figure=key, department__isnull=True, month__year=today.year).order_by(
        "month"
    )
    series = [(row.month, row.value, row.complete) for row in rows]
    return rules.judged_value(figure, series, status_months=3)


def _target_for(key: str, judged: float | None) -> float:
    """A round target that gives the figure its demo status."""
    figure = BY_KEY[key]
    if key in FIXED_TARGETS:
        return FIXED_TARGETS[key]
    if judged is None or judged == 0:
        return FALLBACK_TARGETS[key]
    status = DEMO_STATUS[key]
    higher = figure.better == HIGHER
    factor = {rules.ON_TRACK: 0.9, rules.AT_RISK: 1.05, rules.OFF_TRACK: 1.3}[status]
    value = judged * factor if higher else judged / factor
    if figure.unit == PERCENT:
        value = min(value, 0.99 if status != rules.OFF_TRACK else 1.0)
        return round(value, 3)
    if value >= 100:
        return float(round(value, -2))
    return round(value, 2 if value < 10 else 1)


def _targets(today: datetime.date, users: dict) -> None:
    owners = {"time_to_resolve": "dmitry", "training_compliance": "hr", "staff_turnover": "hr"}
    departments = {department.name: department for department in Department.objects.all()}
    for key, figure in BY_KEY.items():
        value = _target_for(key, _judged(key, today))
        owner = users.get(owners.get(key, "manager"), users["manager"])
        if not owner.groups.filter(name="Manager").exists():
            owner = users["manager"]
        department_values = {}
        if key == "promise_kept":
            department_values = {
                departments[name]: round(min(value + bonus, 1.0), 3)
                for name, bonus in (
                    ("Front desk", 0.05),
                    ("Call centre", 0.0),
                    ("After-sales service", -0.05),
                )
                if name in departments
            }
        services.target_save(
            actor=users["manager"],
            year=today.year,
            figure=key,
            direction=figure.better,
            value=value,
            owner=owner,
            note="Set at the January review." if figure.kind == FLOW else "",
            department_values=department_values,
        )


def _effectiveness(today: datetime.date, users: dict) -> None:
    """An action on call-backs completed 100 days ago, measured and confirmed effective; the
    demo's other done actions get their checks scheduled; one older one waits for its owner."""
    call_centre = Department.objects.filter(name="Call centre").first()
    complaints = list(
        Complaint.objects.filter(
            root_cause=RootCause.PROCESSES, department=call_centre, received_at__lt=_at(today, 130)
        ).order_by("-received_at")[:3]
    )
    owner = users.get("ivan", users["manager"])
    action = complaint_services.corrective_action_create(
        created_by=users["manager"],
        kind=ActionKind.FIX_PROCESS,
        description="Log every call-back request with a time slot in the complaint log, not on paper",
        owner=owner,
        due_on=today - datetime.timedelta(days=105),
        complaints=complaints,
    )
    # Completed 100 days ago: recorded as the completion would have been then.
    CorrectiveAction.objects.filter(pk=action.pk).update(
        created_at=_at(today, 130),
        status="done",
        completed_at=_at(today, 100),
        effectiveness_note="Call-back slots are in the log since the team meeting.",
    )
    action.refresh_from_db()
    check = services.effectiveness_check_schedule(action=action)
    check = services.effectiveness_check_measure(check_id=check.pk, today=today)
    if check is not None:
        services.effectiveness_check_confirm(
            check=check,
            actor=owner,
            outcome="effective",
            comment="Too few complaints to prove it yet, but customers no longer call three times a day and "
            "the team checks the slots every morning.",
        )
    # One of the other done actions was completed 95 days ago: its check waits for its owner.
    older = (
        CorrectiveAction.objects.filter(status="done", effectiveness_check__isnull=True)
        .order_by("pk")
        .first()
    )
    if older is not None:
        CorrectiveAction.objects.filter(pk=older.pk).update(
            created_at=_at(today, 125), completed_at=_at(today, 95)
        )
    services.effectiveness_checks_run(today=today)


def _golden_rules(today: datetime.date, users: dict) -> None:
    after_sales = Department.objects.filter(name="After-sales service").first()
    front_desk = Department.objects.filter(name="Front desk").first()
    quarter = rules.Quarter.of(today).previous
    scores = [(4, 3, 3, 4), (3, 3, 2, 4), (3, 2, 2, 3)]
    for offset, (product, standards, timeliness, system) in enumerate(scores):
        for username, department in (("manager", front_desk), ("dmitry", after_sales)):
            if username not in users:
                continue
            review = services.golden_rules_review_submit(
                reviewer=users[username],
                quarter=quarter,
                department=department,
                scores={
                    "product_quality": product,
                    "current_standards": min(5, standards + (1 if username == "dmitry" else 0)),
                    "timeliness": timeliness,
                    "complaint_system": system,
                },
                comment="Call-backs on time now; the greeting standard needs its review."
                if offset == 0
                else "",
            )
            GoldenRulesReview.objects.filter(pk=review.pk).update(submitted_at=_at(quarter.end, -5))
        quarter = quarter.previous


def _decisions(today: datetime.date, users: dict) -> None:
    quarter = rules.Quarter.of(today).previous
    services.management_decision_record(
        actor=users["manager"],
        quarter=quarter,
        text="Review the greeting standard before the summer season.",
    )
    services.management_decision_record(
        actor=users["manager"],
        quarter=quarter,
        text="Train the new call-centre operators on promising conservatively.",
        action_kind=ActionKind.TRAIN_STAFF,
        action_owner=users.get("anna", users["manager"]),
        action_due_on=today + datetime.timedelta(days=30),
    )
