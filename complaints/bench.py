"""Benchmark data and pages of the complaint log (see ``servicecraft/bench.py``).

At ``--size large`` this writes 1M complaints over three years across the bench
departments, so the list (keyset pagination, no COUNT) and the analysis page
(aggregates in the database) are timed on a realistic table. One open complaint gets a long
conversation (notes, replies, the customer's answers, their files and the status and
handler changes of three weeks), so its page is timed with a thread as long as a hard case
gets.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from common.bench import BENCH_MANAGER, BENCH_STAFF, BenchPage, Size
from complaints.attachments.models import Attachment, AttachmentSource
from complaints.conversation.models import ComplaintMessage, MessageKind
from complaints.intake import bench as intake_bench
from complaints.models import (
    ActionKind,
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
from complaints.selectors import ComplaintFilters, complaint_page
from complaints.survey import bench as survey_bench
from customers.models import Customer
from people.models import Department, Employee

BATCH = 10_000
DAYS = 3 * 365
CAUSES = RootCause.values
CAUSE_WEIGHTS = [23, 15, 25, 15, 22]  # people, systems, processes, products, customers


def build_dataset(*, size: Size, rng: random.Random) -> None:
    _build_complaints(size=size, rng=rng)
    build_long_thread(rng=rng)
    survey_bench.build_dataset(size=size, rng=rng)


def _build_complaints(*, size: Size, rng: random.Random) -> None:
    """``size.complaints`` complaints (about 2 % open, a third of those overdue) and a few actions."""
    handlers = list(
        Employee.objects.filter(user__username__startswith="bench-").values_list("user_id", "department_id")
    )

    customer_ids = list(Customer.objects.order_by("id").values_list("id", flat=True)[:100_000])
    now = timezone.now()
    today = timezone.localdate()
    made = 0
    while made < size.complaints:
        batch = min(BATCH, size.complaints - made)
        Complaint.objects.bulk_create(
            [_complaint(made + i, rng, now, today, handlers, customer_ids) for i in range(batch)],
            batch_size=BATCH,
        )
        made += batch
    if connection.vendor == "postgresql":
        # Fresh statistics so the planner sees a million rows, not an empty table.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE complaints_complaint")
    User = get_user_model()
    manager = User.objects.get(username=BENCH_MANAGER)
    CorrectiveAction.objects.bulk_create(
        [
            CorrectiveAction(
                kind=rng.choice(ActionKind.values[2:]),
                description=f"Bench action {i}",
                owner=manager,
                due_on=today + datetime.timedelta(days=rng.randint(-60, 90)),
            )
            for i in range(max(size.complaints // 1000, 10))
        ],
        batch_size=BATCH,
    )


def _complaint(n, rng, now, today, handlers, customer_ids) -> Complaint:
    received_at = now - datetime.timedelta(seconds=rng.randint(0, DAYS * 86400))
    handler_id, department_id = rng.choice(handlers)
    effort = rng.choice((1, 2, 3, 5))
    received_on = received_at.date()
    promised_on = received_on + datetime.timedelta(days=(effort * 5 + 2) // 3)
    is_open = ((now - received_at).days < 10 and rng.random() < 0.6) or rng.random() < 0.005
    complaint = Complaint(
        external_ref=f"bench-{n}",
        received_at=received_at,
        channel=rng.choice(Channel.values),
        customer_id=rng.choice(customer_ids) if customer_ids and rng.random() < 0.5 else None,
        customer_name=f"Customer {n % 50_000}",
        summary=f"Bench complaint {n}",
        department_id=department_id,
        severity=rng.choice(Severity.values),
        handler_id=handler_id,
        logged_by_id=handler_id,
        expected_effort_days=effort,
        promised_on=promised_on,
        status=rng.choice((Status.NEW, Status.IN_PROGRESS)) if is_open else Status.CLOSED,
    )
    if not is_open:
        complaint.root_cause = rng.choices(CAUSES, weights=CAUSE_WEIGHTS)[0]
        complaint.resolved_at = received_at + datetime.timedelta(hours=rng.randint(2, 24 * 12))
        complaint.closed_at = complaint.resolved_at
        complaint.resolution = "Resolved"
        complaint.customer_satisfied = rng.choice(Satisfaction.values)
    return complaint


# The long thread: messages over three weeks, every fourth with a file, and the status,
# handler and promise changes a hard case goes through.
THREAD_MESSAGES = 40
THREAD_DAYS = 21
THREAD_KINDS = (MessageKind.CUSTOMER, MessageKind.REPLY, MessageKind.NOTE)
THREAD_FILES = (("photo-{n}.jpg", "image/jpeg"), ("receipt-{n}.pdf", "application/pdf"))
THREAD_SENTENCES = (
    "The order arrived two days late and the box was damaged.",
    "We have asked the warehouse for the delivery photos.",
    "The customer called again and asked when the refund comes.",
    "I checked the account: the second charge is a duplicate.",
    "Please find the photos of the parcel attached.",
    "The courier confirms the parcel was left at the door.",
    "We offered a replacement or a full refund; waiting for the answer.",
    "Thank you, the replacement is fine, but I would like it by Friday.",
)


def build_long_thread(*, rng: random.Random) -> Complaint | None:
    """Give the newest open complaint with a customer a long conversation (idempotent: a
    complaint that has one already is left alone). Returns that complaint."""
    complaint = (
        Complaint.objects.filter(status__in=(Status.NEW, Status.IN_PROGRESS), customer__isnull=False)
        .order_by("-received_at", "-id")
        .first()
    )
    if complaint is None or complaint.messages.exists():
        return complaint
    User = get_user_model()
    manager = User.objects.get(username=BENCH_MANAGER)
    staff = User.objects.get(username=BENCH_STAFF)
    step = datetime.timedelta(days=THREAD_DAYS) / THREAD_MESSAGES
    start = timezone.now() - datetime.timedelta(days=THREAD_DAYS)
    address = f"customer{complaint.pk}@example.com"
    messages = [
        ComplaintMessage(complaint=complaint, kind=MessageKind.ACKNOWLEDGEMENT, at=start, address=address)
    ]
    for number in range(1, THREAD_MESSAGES):
        kind = THREAD_KINDS[number % len(THREAD_KINDS)]
        body = " ".join(rng.sample(THREAD_SENTENCES, k=rng.randint(2, 5)))
        messages.append(
            ComplaintMessage(
                complaint=complaint,
                kind=kind,
                at=start + step * number,
                author=None if kind == MessageKind.CUSTOMER else rng.choice((manager, staff)),
                address=address if kind != MessageKind.NOTE else "",
                body=body,
                message_id=f"<bench-thread-{complaint.pk}-{number}@example.com>"
                if kind == MessageKind.CUSTOMER
                else "",
            )
        )
    messages = ComplaintMessage.objects.bulk_create(messages)
    Attachment.objects.bulk_create(
        [
            Attachment(
                complaint=complaint,
                message=message,
                name=name.format(n=number),
                content_type=content_type,
                size=rng.randint(40_000, 3_000_000),
                sha256=f"{number:064x}",
                file=f"complaint-attachments/bench/{complaint.pk}-{number}",
                uploaded_at=message.at,
                source=AttachmentSource.EMAIL
                if message.kind == MessageKind.CUSTOMER
                else AttachmentSource.STAFF,
            )
            for number, message in enumerate(messages[1::4], start=1)
            for name, content_type in (THREAD_FILES[number % len(THREAD_FILES)],)
        ]
    )
    ComplaintEvent.objects.bulk_create(
        [
            ComplaintEvent(
                complaint=complaint,
                at=start + step * number,
                actor=manager,
                kind=kind,
                **changes,
            )
            for number, (kind, changes) in enumerate(
                (
                    (EventKind.ASSIGNED, {"from_handler": manager, "to_handler": staff}),
                    (EventKind.STATUS, {"from_status": Status.NEW, "to_status": Status.IN_PROGRESS}),
                    (
                        EventKind.PROMISE,
                        {"from_date": start.date(), "to_date": start.date() + datetime.timedelta(days=7)},
                    ),
                    (EventKind.ASSIGNED, {"from_handler": staff, "to_handler": manager}),
                    (
                        EventKind.PROMISE,
                        {
                            "from_date": start.date() + datetime.timedelta(days=7),
                            "to_date": start.date() + datetime.timedelta(days=21),
                        },
                    ),
                    (EventKind.ASSIGNED, {"from_handler": manager, "to_handler": staff}),
                ),
                start=1,
            )
        ]
    )
    return complaint


def _longest_thread() -> int | None:
    """The complaint with the most messages (the one :func:`build_long_thread` made)."""
    return (
        ComplaintMessage.objects.values("complaint_id")
        .annotate(count=Count("id"))
        .order_by("-count", "complaint_id")
        .values_list("complaint_id", flat=True)
        .first()
    )


def bench_pages() -> list[BenchPage]:
    manager = get_user_model().objects.get(username=BENCH_MANAGER)
    first = complaint_page(user=manager, filters=ComplaintFilters(), size=50)
    by_value = complaint_page(user=manager, filters=ComplaintFilters(), size=50, sort="value")
    department = Department.objects.filter(name__startswith="Bench department").order_by("id").first()
    pages = [
        BenchPage("complaints: list", "/complaints/"),
        BenchPage("complaints: list, next page (keyset)", f"/complaints/?after={first.next_cursor or ''}"),
        BenchPage("complaints: list, open and overdue", "/complaints/?status=open&overdue=on"),
        BenchPage("complaints: list, most valuable customers first", "/complaints/?sort=value&dir=desc"),
        BenchPage(
            "complaints: list, most valuable first, next page",
            f"/complaints/?sort=value&dir=desc&after={by_value.next_cursor or ''}",
        ),
        BenchPage(
            "complaints: list, open, most valuable customers first",
            "/complaints/?status=open&sort=value&dir=desc",
        ),
        BenchPage("complaints: list, staff (own + department)", "/complaints/", username=BENCH_STAFF),
        BenchPage("complaints: analysis (12 months)", "/complaints/analysis/"),
        BenchPage("complaints: corrective actions", "/complaints/actions/"),
        BenchPage(
            "complaints: customer picker, by name", "/complaints/customer-picker/?customer_search=bench+cust"
        ),
        BenchPage(
            "complaints: customer picker, by number", "/complaints/customer-picker/?customer_search=B00012"
        ),
        BenchPage(
            "complaints: customer picker, by phone",
            "/complaints/customer-picker/?customer_search=%2B7+900+00",
        ),
    ]
    if department:
        pages.insert(
            2, BenchPage("complaints: list, one department", f"/complaints/?department={department.pk}")
        )
        pages.append(
            BenchPage(
                "complaints: list, one department, most valuable first",
                f"/complaints/?department={department.pk}&sort=value&dir=desc",
            )
        )
    thread = _longest_thread()
    if thread:
        pages.append(BenchPage("complaints: one complaint (longest thread)", f"/complaints/{thread}/"))
    return pages + intake_bench.bench_pages() + survey_bench.bench_pages()
