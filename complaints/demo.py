"""Demo complaints: two years of a realistic log across the demo departments.

About three hundred complaints, their root causes close to the theory bands
(processes + systems + products ≈ 55 %, customers ≈ 22 %, people ≈ 23 %), most
resolved (a few late, a few with unhappy customers), the recent ones open and
some of those past their promise, plus corrective actions. Keyed by
``external_ref`` ("demo-…"): a second run adds nothing.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from complaints import rules, services
from complaints.conversation import demo as conversation_demo
from complaints.models import (
    ActionKind,
    ActionStatus,
    Channel,
    Complaint,
    ComplaintEvent,
    CorrectiveAction,
    EventKind,
    RootCause,
    Satisfaction,
    Severity,
    Status,
)
from complaints.survey import demo as survey_demo
from customers.models import Customer
from people.models import Department
from standards.models import Standard, StandardStatus

COUNT = 300
DAYS = 730
PREFIX = "demo-"

# Weights per root cause, close to the articles' bands.
CAUSE_WEIGHTS = {
    RootCause.PROCESSES: 25,
    RootCause.SYSTEMS: 15,
    RootCause.PRODUCTS: 15,
    RootCause.CUSTOMERS: 22,
    RootCause.PEOPLE: 23,
}

# (summary, cause note) per root cause.
STORIES = {
    RootCause.PEOPLE: [
        ("Operator was rude on the phone", "New operator, no script for angry callers"),
        ("Receptionist ignored the customer for ten minutes", "Greeting step of the standard not followed"),
        ("Engineer did not explain what he repaired", "Handover step skipped under time pressure"),
        ("Wrong tariff explained to the customer", "Operator not trained on the new tariffs"),
    ],
    RootCause.SYSTEMS: [
        ("Booking system lost the appointment", "Double booking after the calendar sync failed"),
        ("Invoice sent twice", "Billing job retried without an idempotency key"),
        ("Website showed the wrong opening hours", "CMS cache not cleared after the change"),
        ("SMS reminder never arrived", "Gateway quota exhausted"),
    ],
    RootCause.PROCESSES: [
        ("Courier arrived outside the agreed window", "Routes planned without the customer's window"),
        ("Refund took five weeks", "Refunds approved by one person only, who was on leave"),
        ("Customer transferred between departments four times", "No owner for cross-department questions"),
        ("Repair promised in 3 days, took 9", "Spare parts ordered only after diagnosis"),
        ("Nobody called back as promised", "Call-back requests kept on paper"),
    ],
    RootCause.PRODUCTS: [
        ("Device broke a week after purchase", "Known defect in the batch"),
        ("Instructions missing from the box", "Supplier changed the packaging"),
        ("Service package does not include what the ad said", "Product sheet out of date"),
    ],
    RootCause.CUSTOMERS: [
        ("Customer expected free delivery on a small order", "Threshold not visible at checkout"),
        ("Customer brought the wrong receipt", "Customer error; explained politely"),
        ("Customer expected a same-day repair", "Inflated expectation from a competitor's ad"),
        ("Customer missed the engineer's visit", "Customer was not at home"),
    ],
}

PRODUCTS = ["Home internet", "Washing machine repair", "Delivery", "Extended warranty", "TV installation"]
DEPARTMENT_HANDLERS = {
    "Front desk": ["olga", "manager"],
    "Call centre": ["ivan", "anna"],
    "After-sales service": ["pavel", "dmitry"],
    "Warehouse": ["sergey", "dmitry"],
}
CUSTOMERS = [
    "Irina Orlova",
    "Alexei Fedorov",
    "Natalia Belova",
    "Mikhail Lebedev",
    "Elena Kozlova",
    "Andrei Novikov",
    "Tatiana Pavlova",
    "Yuri Semenov",
    "Oksana Egorova",
    "Boris Vasiliev",
]


def seed(*, today: datetime.date | None = None) -> None:
    """Add the demo complaints and actions unless they are there already; the canned replies
    unless there are some (also in a database seeded before they existed)."""
    conversation_demo.seed()
    if Complaint.objects.filter(external_ref__startswith=PREFIX).exists():
        return
    today = today or timezone.localdate()
    rng = random.Random(20261125)
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=_all_usernames())}
    departments = {d.name: d for d in Department.objects.filter(name__in=DEPARTMENT_HANDLERS)}
    if not departments or "manager" not in users:
        return
    customers = _metrics_customers()
    complaints = [_complaint(i, rng, today, users, departments, customers) for i in range(COUNT)]
    Complaint.objects.bulk_create(complaints, batch_size=500)
    ComplaintEvent.objects.bulk_create(
        [event for complaint in complaints for event in _events(complaint, users["manager"])], batch_size=1000
    )
    _actions(rng, today, users, complaints)
    survey_demo.seed()


def _all_usernames() -> set[str]:
    return {name for names in DEPARTMENT_HANDLERS.values() for name in names} | {"manager"}


def _metrics_customers() -> list:

    return list(Customer.objects.order_by("id")[:200])


def _complaint(i, rng, today, users, departments, customers) -> Complaint:
    tz = timezone.get_current_timezone()
    # Slightly more complaints recently: the programme made complaining easier.
    age = int(DAYS * (rng.random() ** 1.3))
    received_on = today - datetime.timedelta(days=age)
    received_at = timezone.make_aware(
        datetime.datetime.combine(received_on, datetime.time(rng.randint(9, 19), rng.randint(0, 59))), tz
    )
    # Today's complaints came in before the demo was seeded, never later in the day.
    latest = timezone.now() - datetime.timedelta(minutes=5 + i % 55)
    received_at = min(received_at, latest)
    department_name = rng.choice(list(departments))
    handler = users.get(rng.choice(DEPARTMENT_HANDLERS[department_name]))
    cause = rng.choices(list(CAUSE_WEIGHTS), weights=list(CAUSE_WEIGHTS.values()))[0]
    summary, note = rng.choice(STORIES[cause])
    effort = rng.choice([1, 1, 2, 3, 3, 5, 7])
    promised_on = rules.promise_date_suggestion(received_on=received_on, expected_days=effort)
    customer = rng.choice(customers) if customers and rng.random() < 0.4 else None
    complaint = Complaint(
        external_ref=f"{PREFIX}{i:04d}",
        received_at=received_at,
        channel=rng.choices(Channel.values, weights=[40, 20, 20, 10, 7, 3])[0],
        customer=customer,
        customer_name=customer.name if customer else rng.choice(CUSTOMERS),
        customer_contact=f"+7 900 {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
        summary=summary,
        details="",
        department=departments[department_name],
        product=rng.choice(PRODUCTS),
        severity=rng.choices(Severity.values, weights=[30, 45, 20, 5])[0],
        logged_by=handler,
        handler=handler,
        expected_effort_days=effort,
        promised_on=promised_on,
    )
    if age > 21 or rng.random() < 0.4:
        # Mostly on time (promising 5/3 of the effort leaves room), a few late.
        took = effort + rng.choice([-1, 0, 0, 1, 2]) if rng.random() < 0.85 else effort * 3
        resolved_on = min(received_on + datetime.timedelta(days=max(took, 0)), today)
        complaint.resolved_at = min(
            received_at + (resolved_on - received_on) + datetime.timedelta(hours=3), timezone.now()
        )
        complaint.status = Status.CLOSED if age > 30 else Status.RESOLVED
        complaint.closed_at = complaint.resolved_at + datetime.timedelta(days=2) if age > 30 else None
        complaint.root_cause, complaint.cause_note = cause, note
        complaint.resolution = rng.choice(
            [
                "Apologised and fixed it",
                "Refunded the delivery fee",
                "Sent an engineer again",
                "Explained the rule",
            ]
        )
        complaint.customer_satisfied = rng.choices(Satisfaction.values, weights=[25, 60, 15])[0]
        if rng.random() < 0.15:
            complaint.compensation = Decimal(rng.choice([500, 1000, 1500, 3000]))
        if rng.random() < 0.1:
            complaint.promise_changes = 1
    else:
        complaint.status = rng.choice([Status.NEW, Status.IN_PROGRESS, Status.IN_PROGRESS])
        if complaint.status == Status.NEW and rng.random() < 0.5:
            complaint.handler = None
    return complaint


def _events(complaint: Complaint, manager) -> list[ComplaintEvent]:
    at = complaint.received_at
    events = [
        ComplaintEvent(
            complaint=complaint, at=at, actor=complaint.logged_by, kind=EventKind.CREATED, to_status="new"
        )
    ]
    if complaint.status == Status.NEW:
        return events
    step = datetime.timedelta(hours=1)
    events.append(
        ComplaintEvent(
            complaint=complaint,
            at=min(at + step, timezone.now()),
            actor=complaint.handler,
            kind=EventKind.STATUS,
            from_status=Status.NEW,
            to_status=Status.IN_PROGRESS,
        )
    )
    if complaint.resolved_at:
        events.append(
            ComplaintEvent(
                complaint=complaint,
                at=complaint.resolved_at,
                actor=complaint.handler,
                kind=EventKind.STATUS,
                from_status=Status.IN_PROGRESS,
                to_status=Status.RESOLVED,
            )
        )
    if complaint.closed_at:
        events.append(
            ComplaintEvent(
                complaint=complaint,
                at=complaint.closed_at,
                actor=manager,
                kind=EventKind.STATUS,
                from_status=Status.RESOLVED,
                to_status=Status.CLOSED,
            )
        )
    return events


def _actions(rng, today, users, complaints) -> None:
    manager = users["manager"]
    resolved = [c for c in complaints if c.root_cause]
    plans = [
        (
            ActionKind.FIX_PROCESS,
            RootCause.PROCESSES,
            "Keep call-back requests in the log, not on paper",
            "dmitry",
        ),
        (ActionKind.FIX_SYSTEM, RootCause.SYSTEMS, "Alert when the calendar sync fails", "manager"),
        (ActionKind.TRAIN_STAFF, RootCause.PEOPLE, "Role-play angry callers with new operators", "manager"),
        (ActionKind.FIX_PRODUCT, RootCause.PRODUCTS, "Check packaging of each new batch", "sergey"),
        (
            ActionKind.FIX_PROCESS,
            RootCause.CUSTOMERS,
            "Show the free-delivery threshold in the cart",
            "manager",
        ),
        (ActionKind.FIX_PROCESS, RootCause.PROCESSES, "Order common spare parts before diagnosis", "pavel"),
    ]
    for n, (kind, cause, description, owner) in enumerate(plans):
        related = [c for c in resolved if c.root_cause == cause][:4]
        action = CorrectiveAction.objects.create(
            kind=kind,
            description=description,
            owner=users.get(owner, manager),
            due_on=today + datetime.timedelta(days=rng.choice([-10, 7, 21, 45])),
            created_by=manager,
        )
        action.complaints.add(*related)
        if n < 2:
            action.status = ActionStatus.DONE
            action.completed_at = timezone.now()
            action.effectiveness_note = "No complaints of this kind in the following two months."
            action.save(update_fields=["status", "completed_at", "effectiveness_note"])
    _revise_a_standard(today, manager, [c for c in resolved if c.root_cause == RootCause.PEOPLE][4:7])


def _revise_a_standard(today, manager, complaints) -> None:
    """When the standards demo ran first: an open action that opened a draft of one of its standards."""

    standard = Standard.objects.filter(status=StandardStatus.PUBLISHED).order_by("code").first()
    if standard is None:
        return
    services.corrective_action_create(
        created_by=manager,
        kind=ActionKind.REVISE_STANDARD,
        description="Add a step for callers who are already angry: name, apologise, promise a call-back time",
        owner=standard.owner,
        due_on=today + datetime.timedelta(days=30),
        complaints=complaints,
        standard=standard,
    )
