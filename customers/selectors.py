"""Reads of the customers app: the import jobs and their live progress; who opted out of emails;
the customer page (one customer, their purchases by month, their contacts) and the picker's matches."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from celery.result import AsyncResult
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Min, QuerySet, Sum
from django.db.models.functions import Collate, TruncMonth, Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from common.job_status import JobStatus
from customers.models import Customer, EmailOptOut, ImportJob, Purchase
from customers.page import ContactEntry, customer_visible_by_rule
from people.roles import MANAGER, STAFF, has_role

# Celery task state that carries an import's live progress (the job row only gets the
# outcome: the write runs inside one transaction, invisible until it commits).
PROGRESS_STATE = "PROGRESS"


def import_job(pk: int) -> ImportJob | None:
    return ImportJob.objects.filter(pk=pk).select_related("created_by").first()


def running_import_job(*, kind: str) -> ImportJob | None:
    """The import of ``kind`` waiting or running now. One older than Celery's hard time limit
    died with its worker: it is ignored, so that importing works again."""
    limit = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return (
        ImportJob.objects.filter(
            kind=kind, status__in=[JobStatus.PENDING, JobStatus.RUNNING], created_at__gte=limit
        )
        .order_by("-created_at")
        .first()
    )


def recent_import_jobs(limit: int = 10) -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by").order_by("-created_at")[:limit]


def _count(value) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def import_progress(job: ImportJob) -> dict:
    """Where an import stands: phase, rows and percent, from the task's live state while it runs.

    Validation is the first half of the bar and writing the second.
    """
    if job.status in (JobStatus.DONE, JobStatus.FAILED):
        return {"phase": job.status, "done": job.rows_done, "total": job.rows_total, "percent": 100}
    phase, done, total = "waiting", 0, 0
    # Eager tasks (no broker) finish before the page is shown: no live state to ask for.
    if job.task_id and not settings.CELERY_TASK_ALWAYS_EAGER:
        # One read of the task's state: each property of AsyncResult reads the backend again,
        # and a task that finished between two reads turned the progress page into a 500.
        meta = AsyncResult(job.task_id).backend.get_task_meta(job.task_id)
        info = meta.get("result")
        if meta.get("status") == PROGRESS_STATE and isinstance(info, dict):
            phase = str(info.get("phase") or "")
            done, total = _count(info.get("done")), _count(info.get("total"))
    fraction = done / total if total else 0
    percent = {"validating": fraction * 50, "writing": 50 + fraction * 50}.get(phase, 0)
    return {"phase": phase, "done": done, "total": total, "percent": round(min(percent, 99))}


# --- consent -------------------------------------------------------------------------------


def email_opted_out(email: str) -> bool:
    """Whether ``email`` asked for no more survey emails (every customer email checks it)."""
    return EmailOptOut.objects.filter(email=(email or "").strip().lower()).exists()


def opted_out_addresses(emails: Iterable[str]) -> set[str]:
    """The addresses among ``emails`` that opted out, in lower case (one query)."""
    wanted = {(email or "").strip().lower() for email in emails} - {""}
    return set(EmailOptOut.objects.filter(email__in=wanted).values_list("email", flat=True))


# --- the customer page -------------------------------------------------------------------

# The months of purchases the page lists (the newest ones that have any).
PURCHASE_MONTHS = 24


def customer_for_user(*, user, pk: int) -> Customer | None:
    """The customer if ``user`` may see them: managers see every customer, staff those an
    access rule of another app lets them see (the customers of complaints they may see)."""
    customer = Customer.objects.filter(pk=pk).first()
    if customer is None or has_role(user, MANAGER):
        return customer
    if has_role(user, STAFF) and customer_visible_by_rule(user=user, customer=customer):
        return customer
    return None


def customer_purchase_totals(customer: Customer) -> dict:
    """Count, sum, first and last date and number of months of the customer's purchases
    (one aggregate query)."""
    return customer.purchases.aggregate(
        count=Count("id"),
        total=Sum("amount"),
        first=Min("date"),
        last=Max("date"),
        months=Count(TruncMonth("date"), distinct=True),
    )


def customer_purchases_by_month(customer: Customer, *, months: int = PURCHASE_MONTHS) -> list[dict]:
    """The newest ``months`` months with purchases, newest first: ``month``, ``count``, ``total``
    (summed in the database)."""
    return list(
        Purchase.objects.filter(customer=customer)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(count=Count("id"), total=Sum("amount"))
        .order_by("-month")[:months]
    )


def customer_own_contacts(customer: Customer, *, limit: int) -> list[ContactEntry]:
    """The contacts this app records: the customer's unsubscribes from survey emails."""
    opt_outs = EmailOptOut.objects.filter(customer=customer).order_by("-created_at")[:limit]
    return [
        ContactEntry(
            at=opt_out.created_at,
            text=_("Unsubscribed %(email)s from survey emails (%(how)s)")
            % {"email": opt_out.email, "how": opt_out.get_source_display()},
        )
        for opt_out in opt_outs
    ]


# --- the customer picker -----------------------------------------------------------------

PICKER_LIMIT = 10
PICKER_MIN_LENGTH = 2
PICKER_MAX_LENGTH = 100
# Sorts after every character: the upper end of a prefix range.
_LAST_CHARACTER = "\U0010ffff"
PICKER_FIELDS = ("name", "email", "external_id", "phone")


def picker_query(text: str) -> str:
    """The typed text as the picker searches it: one line, no NUL, spaces collapsed, capped."""
    cleaned = " ".join((text or "").replace("\x00", " ").split())
    return cleaned[:PICKER_MAX_LENGTH]


def _prefix_key(column: str):
    # PostgreSQL compares in byte order under "C" (an index on the same expression answers the
    # range, see migration 0006); SQLite's byte order is its BINARY collation.
    collation = "C" if connection.vendor == "postgresql" else "BINARY"
    return Collate(Upper(column), collation)


def customer_matches(text: str, *, limit: int = PICKER_LIMIT) -> list[Customer]:
    """Up to ``limit`` customers whose number is ``text``, or whose name, email, number or
    phone starts with it (case-insensitively); the exact number first, then by name.

    One query per column, each an index range scan of at most ``limit`` rows, whatever
    the number of customers. Under :data:`PICKER_MIN_LENGTH` characters: nothing.
    """
    query = picker_query(text)
    if len(query) < PICKER_MIN_LENGTH:
        return []
    found: dict[int, Customer] = {}
    exact = Customer.objects.filter(external_id=query).first()
    if exact is not None:
        found[exact.pk] = exact
    lower = query.upper()
    upper = lower + _LAST_CHARACTER
    prefixed: list[Customer] = []
    for column in PICKER_FIELDS:
        rows = (
            Customer.objects.annotate(key=_prefix_key(column))
            .filter(key__gte=lower, key__lt=upper)
            .order_by("key", "id")[:limit]
        )
        prefixed.extend(rows)
    for customer in sorted(prefixed, key=lambda c: (c.name.upper(), c.pk)):
        found.setdefault(customer.pk, customer)
    return list(found.values())[:limit]


def customer_by_number(number: str) -> Customer | None:
    return Customer.objects.filter(external_id=(number or "").strip()).first()


def customers_with_email(email: str, *, limit: int = 2) -> list[Customer]:
    """Up to ``limit`` customers whose email is ``email`` (compared case-insensitively), oldest
    record first: enough to tell "none" from "one" from "several" (the default two). One index
    lookup on PostgreSQL (the picker's ``UPPER(email)`` index)."""
    wanted = (email or "").strip().upper()
    if not wanted:
        return []
    return list(Customer.objects.annotate(key=_prefix_key("email")).filter(key=wanted).order_by("id")[:limit])


def customer_by_email(email: str) -> Customer | None:
    """The one customer whose email is ``email`` (compared case-insensitively); None when no
    customer, or more than one, has it — a guess between two records would put a complaint on
    the wrong person."""
    found = customers_with_email(email)
    return found[0] if len(found) == 1 else None
