"""Benchmark data and pages of the complaint log (see ``servicecraft/bench.py``).

At ``--size large`` this writes 1M complaints over three years across the bench
departments, so the list (keyset pagination, no COUNT) and the analysis page
(aggregates in the database) are timed on a realistic table.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from common.bench import BENCH_MANAGER, BENCH_STAFF, BenchPage, Size
from complaints.models import (
    ActionKind,
    Channel,
    Complaint,
    CorrectiveAction,
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


def bench_pages() -> list[BenchPage]:
    manager = get_user_model().objects.get(username=BENCH_MANAGER)
    first = complaint_page(user=manager, filters=ComplaintFilters(), size=50)
    department = Department.objects.filter(name__startswith="Bench department").order_by("id").first()
    pages = [
        BenchPage("complaints: list", "/complaints/"),
        BenchPage("complaints: list, next page (keyset)", f"/complaints/?after={first.next_cursor or ''}"),
        BenchPage("complaints: list, open and overdue", "/complaints/?status=open&overdue=on"),
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
    return pages + survey_bench.bench_pages()
