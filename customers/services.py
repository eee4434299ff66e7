"""Writes of the customers app: the customer and purchase imports and their upload jobs, and
the customers' consent to survey emails (opting out and back in, the unsubscribe link)."""

from __future__ import annotations

import datetime
import logging
import uuid
from decimal import Decimal
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from common.csv_import import ImportAlreadyRunning, already_importing_message, exclusive_import
from common.job_status import JobStatus
from common.locks import hold_transaction_lock
from common.programme import programme_setting
from customers import importing, selectors
from customers.models import NEW_CUSTOMER_PREFIX, Customer, EmailOptOut, ImportJob, ImportKind
from customers.signals import email_opted_out

logger = logging.getLogger(__name__)


def customers_import(
    *, path: str | Path, progress: importing.Progress | None = None
) -> importing.ImportResult:
    """Import a customers CSV: all rows or none, upserted by ``external_id``."""
    with exclusive_import(f"customers:{ImportKind.CUSTOMERS}"):
        return importing.import_csv(kind=ImportKind.CUSTOMERS, path=path, progress=progress)


def transactions_import(
    *, path: str | Path, progress: importing.Progress | None = None
) -> importing.ImportResult:
    """Import a transactions CSV; every customer it names must exist already."""
    with exclusive_import(f"customers:{ImportKind.TRANSACTIONS}"):
        return importing.import_csv(kind=ImportKind.TRANSACTIONS, path=path, progress=progress)


def import_job_create(*, kind: str, upload: UploadedFile, user) -> ImportJob:
    """Store an uploaded file and queue its import once the job row is committed.

    While an import of the same kind waits or runs, a second one (a double click, a
    colleague with the same file) raises :class:`ImportAlreadyRunning`: the page says so.
    """
    with exclusive_import(f"customers-upload:{kind}"):
        if selectors.running_import_job(kind=kind) is not None:
            raise ImportAlreadyRunning(kind)
        return _import_job_create(kind=kind, upload=upload, user=user)


def _import_job_create(*, kind: str, upload: UploadedFile, user) -> ImportJob:
    # The task calls this module's services: imported here so that neither module imports the other at load.
    from customers.tasks import run_import

    job = ImportJob.objects.create(
        kind=kind,
        file=upload,
        original_name=(upload.name or "")[:255],
        created_by=user,
        task_id=str(uuid.uuid4()),
    )
    transaction.on_commit(partial(run_import.apply_async, args=[job.pk], task_id=job.task_id))
    return job


def import_job_run(*, job_id: int, progress: importing.Progress | None = None) -> ImportJob | None:
    """Run a queued import. Claims the job first, so a duplicate delivery does nothing."""
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.PENDING).update(status=JobStatus.RUNNING)
    if claimed != 1:
        return None
    job = ImportJob.objects.get(pk=job_id)
    try:
        with exclusive_import(f"customers:{job.kind}"):
            result = importing.import_csv(kind=job.kind, path=job.file.path, progress=progress)
    except ImportAlreadyRunning:
        return _import_job_fail(job, already_importing_message())
    except Exception as error:
        # Whatever went wrong, nothing was written (the write is one transaction):
        # the page says so instead of spinning forever, and an eager run (no
        # broker) does not turn the upload into a server error.
        logger.exception("import %s failed", job_id)
        return _import_job_fail(job, f"{type(error).__name__}: {error}")
    job.status = JobStatus.DONE if result.ok else JobStatus.FAILED
    job.rows_total = result.rows
    job.rows_done = result.rows if result.ok else 0
    job.created, job.updated = result.created, result.updated
    job.errors = [error.as_dict() for error in result.errors]
    job.error_count = result.error_count
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "rows_total",
            "rows_done",
            "created",
            "updated",
            "errors",
            "error_count",
            "finished_at",
        ]
    )
    _import_file_delete_if_expired(job)
    return job


def _import_job_fail(job: ImportJob, message: str) -> ImportJob:
    job.status = JobStatus.FAILED
    job.errors = [{"line": 0, "column": "", "message": message[:500]}]
    job.error_count = 1
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "errors", "error_count", "finished_at"])
    _import_file_delete_if_expired(job)
    return job


def _import_file_delete_if_expired(job: ImportJob, *, now: datetime.datetime | None = None) -> bool:
    """Delete the uploaded file of a finished import once ``IMPORT_FILES_KEEP_DAYS`` have passed
    (0: at once): it holds customers' names and emails, which the database keeps anyway."""
    keep = datetime.timedelta(days=programme_setting("IMPORT_FILES_KEEP_DAYS"))
    if not job.file or job.finished_at is None or job.finished_at + keep > (now or timezone.now()):
        return False
    job.file.delete(save=False)
    job.file = ""
    job.save(update_fields=["file"])
    return True


def import_files_delete_expired(*, now: datetime.datetime | None = None) -> int:
    """The daily cleanup: delete the files of finished imports kept past ``IMPORT_FILES_KEEP_DAYS``,
    and of imports that died with their worker (older than a task may run). Idempotent."""
    now = now or timezone.now()
    keep = datetime.timedelta(days=programme_setting("IMPORT_FILES_KEEP_DAYS"))
    stuck_before = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) - keep
    jobs = ImportJob.objects.exclude(file="").filter(
        Q(finished_at__lte=now - keep) | Q(finished_at__isnull=True, created_at__lt=stuck_before)
    )
    deleted = 0
    for job in jobs.iterator():
        if job.finished_at is None:
            job.finished_at = now - keep
        deleted += _import_file_delete_if_expired(job, now=now)
    return deleted


FIGURES_BATCH = 5000


def customer_figures_store(
    *, values: dict[int, float], p_alive: dict[int, float], computed_at: datetime.datetime
) -> None:
    """Store each customer's value and P(alive) from a metrics recompute (in batches).

    Customers the recompute did not value (no purchases in its window) are cleared, so a
    list sorted by value never shows a stale figure as current.
    """
    Customer.objects.exclude(pk__in=values.keys() | p_alive.keys()).exclude(
        value__isnull=True, p_alive__isnull=True
    ).update(value=None, p_alive=None, figures_computed_at=computed_at)
    ids = sorted(values.keys() | p_alive.keys())
    for offset in range(0, len(ids), FIGURES_BATCH):
        batch = [
            Customer(
                pk=pk,
                value=None if pk not in values else Decimal(str(round(values[pk], 2))),
                p_alive=p_alive.get(pk),
                figures_computed_at=computed_at,
            )
            for pk in ids[offset : offset + FIGURES_BATCH]
        ]
        Customer.objects.bulk_update(batch, ["value", "p_alive", "figures_computed_at"])


# --- consent: opting out of survey emails ---------------------------------------------------

UNSUBSCRIBE_SALT = "customers.unsubscribe"


class UnsubscribeLinkError(Exception):
    """An unsubscribe link that was changed or cut short."""


def unsubscribe_token(*, email: str) -> str:
    """The signed token of the unsubscribe link for ``email``.

    It never expires: a customer may unsubscribe from an email of last year. It carries
    the address (the customer's own, in an email sent to them) so that it works for
    addresses without a customer record too.
    """
    return signing.dumps({"e": email.strip().lower()}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> str:
    """The address of a valid unsubscribe token, or :class:`UnsubscribeLinkError`."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise UnsubscribeLinkError from None
    if not isinstance(payload, dict) or not isinstance(payload.get("e"), str) or "@" not in payload["e"]:
        raise UnsubscribeLinkError
    return payload["e"]


def customer_email_opt_out(*, email: str, source: str) -> bool:
    """Record that ``email`` wants no more survey emails; True if this call recorded it.

    Idempotent (the address is unique): a second click, or two at once, records one
    opt-out. The apps that email customers hear of it (``customers.signals.email_opted_out``)
    and drop their unsent survey emails to the address.
    """
    address = email.strip().lower()
    customer_id = (
        Customer.objects.filter(email__iexact=address).order_by("pk").values_list("pk", flat=True).first()
    )
    try:
        with transaction.atomic():
            EmailOptOut.objects.create(
                email=address, customer_id=customer_id, source=source, created_at=timezone.now()
            )
    except IntegrityError:
        return False
    email_opted_out.send(sender=EmailOptOut, email=address)
    return True


def customer_email_opt_in(*, email: str) -> bool:
    """Take an opt-out back (the customer clicked "subscribe again"); True if there was one."""
    deleted, _by_model = EmailOptOut.objects.filter(email=email.strip().lower()).delete()
    return bool(deleted)


# --- customers entered by staff ----------------------------------------------------------


def customer_create(*, name: str, email: str = "", phone: str = "") -> Customer:
    """A customer typed in by staff (e.g. with their first complaint), or who wrote a complaint
    in (:func:`customer_for_email`), numbered ``SC-…`` (:data:`NEW_CUSTOMER_PREFIX`; the rest
    is random, so two clerks never collide).

    A later import of the company's customers knows nothing of this number: the record
    stays as typed.
    """
    customer = Customer(
        external_id=f"{NEW_CUSTOMER_PREFIX}{uuid.uuid4().hex[:12].upper()}",
        name=name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        first_seen=timezone.localdate(),
    )
    customer.full_clean()
    customer.save()
    return customer


@transaction.atomic
def customer_for_email(*, email: str, name: str = "") -> Customer | None:
    """The customer whose complaint came from ``email`` (the public form's contact, an inbound
    mail's sender): the one customer with that address (case-insensitively); a new customer
    (:func:`customer_create`, named ``name`` or else the address's part before ``@``) when
    none has it; None when several have it — a guess would put the complaint on the wrong
    person — or when ``email`` is not a valid address.
    """
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        return None
    if len(email) > Customer._meta.get_field("email").max_length:
        return None
    # Two mails from a new sender, processed at the same moment, make one customer, not two.
    hold_transaction_lock(f"customer-email:{email.lower()}")
    found = selectors.customers_with_email(email)
    if found:
        return found[0] if len(found) == 1 else None
    name = " ".join((name or "").split()) or email.rpartition("@")[0]
    customer = customer_create(name=name[: Customer._meta.get_field("name").max_length], email=email)
    logger.info("customer %s created for the new address %r", customer.external_id, email)
    return customer
