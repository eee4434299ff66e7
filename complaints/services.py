"""Writes of the complaint log: every change of a complaint or an action goes through here.

Each status change, reassignment and promise change leaves a :class:`ComplaintEvent`
so the complaint's timeline says who did what and when.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from complaints import rules, selectors
from complaints.conversation.services import (
    complaint_acknowledge,
    complaint_handler_notify,
    complaint_unassigned_notify,
)
from complaints.models import (
    OPEN_ACTION_STATUSES,
    ActionKind,
    ActionStatus,
    Complaint,
    ComplaintEvent,
    CorrectiveAction,
    EventKind,
    Satisfaction,
    Status,
)
from complaints.signals import corrective_action_completed
from complaints.survey.tasks import prepare_satisfaction_survey
from customers.models import Customer
from customers.services import customer_create
from people.selectors import language_of
from standards.services import standard_version_start_draft


def _event(complaint: Complaint, *, actor, kind: str, at: datetime.datetime | None = None, **changes):
    # Every recorded change may move the analysis figures.
    selectors.analysis_cache_invalidate()
    return ComplaintEvent.objects.create(
        complaint=complaint, actor=actor, kind=kind, at=at or timezone.now(), **changes
    )


# --- the customer's value, copied onto their complaints ------------------------------------


def customer_value_of(customer: Customer | None) -> Decimal | None:
    """What ``Complaint.customer_value`` holds for a complaint linked to ``customer``: the
    customer's value as the last metrics recompute stored it (None without a customer)."""
    return customer.value if customer is not None else None


# Complaint ids per UPDATE of the refresh: at most a few seconds' write, so no complaint
# stays locked for long while a handler works on it.
VALUE_REFRESH_BATCH = 50_000


def complaint_customer_values_refresh(*, batch_size: int = VALUE_REFRESH_BATCH) -> int:
    """Copy every customer's value onto their complaints after a metrics recompute stored the
    values; returns how many complaints changed. Idempotent.

    Each batch of complaints (by id) is one set-based ``UPDATE … FROM`` in its own transaction
    that writes only the complaints whose copy differs: most nights that is a few (the
    customers who bought something), but when the segments' lifetime multipliers move (a new
    month of churn) every valued complaint changes, and rewriting half a million rows of a
    table with many indexes takes minutes, not seconds; batches keep each complaint's row
    lock short. A last statement clears a copy left on a complaint whose customer is gone.
    """
    quote = connection.ops.quote_name
    complaints, customers = quote(Complaint._meta.db_table), quote(Customer._meta.db_table)
    bounds = Complaint.objects.aggregate(low=Min("pk"), high=Max("pk"))
    changed = 0
    if bounds["low"] is not None:
        for start in range(bounds["low"], bounds["high"] + 1, batch_size):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {complaints} SET customer_value = customer.value "
                    f"FROM {customers} AS customer "
                    f"WHERE {complaints}.customer_id = customer.id "
                    f"AND {complaints}.id >= %s AND {complaints}.id < %s "
                    f"AND {complaints}.customer_value IS DISTINCT FROM customer.value",
                    [start, start + batch_size],
                )
                changed += cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {complaints} SET customer_value = NULL "
            "WHERE customer_id IS NULL AND customer_value IS NOT NULL"
        )
        changed += cursor.rowcount
    return changed


def complaint_customer_value_forget(sender, *, instance: Customer, **kwargs) -> None:
    """Receiver of the customer's ``pre_delete``: their complaints lose the link (SET_NULL)
    and so the copy of their value."""
    Complaint.objects.filter(customer_id=instance.pk).update(customer_value=None)


@transaction.atomic
def complaint_create(
    *,
    logged_by,
    summary: str,
    channel: str,
    received_at: datetime.datetime | None = None,
    customer_name: str = "",
    customer_contact: str = "",
    customer=None,
    details: str = "",
    department=None,
    product: str = "",
    severity: str = "medium",
    handler=None,
    expected_effort_days: int | None = None,
    promised_on: datetime.date | None = None,
    internal_target_on: datetime.date | None = None,
    new_customer: bool = False,
    language: str = "",
) -> Complaint:
    """Log a complaint. Without a promise date but with an expected effort, the suggestion is used.

    The customer gets the acknowledgement email (:func:`complaint_acknowledge`); the handler
    is told the complaint is theirs, or, without a handler, the department's managers are
    told it has none (emails through the outbox, after the commit).

    ``new_customer``: create a customer record from the name and contact given (an email
    or a phone number) and link the complaint to it. ``language``: the one the customer wrote
    in, for the acknowledgement (else the customer record's).
    """
    received_at = received_at or timezone.now()
    if new_customer and customer is None:
        is_email = "@" in customer_contact
        customer = customer_create(
            name=customer_name,
            email=customer_contact if is_email else "",
            phone="" if is_email else customer_contact[:40],
        )
    if promised_on is None and expected_effort_days is not None:
        promised_on = rules.promise_date_suggestion(
            received_on=timezone.localdate(received_at), expected_days=expected_effort_days
        )
    complaint = Complaint(
        received_at=received_at,
        channel=channel,
        customer=customer,
        customer_value=customer_value_of(customer),
        customer_name=customer_name or (customer.name if customer is not None else ""),
        customer_contact=customer_contact,
        summary=summary,
        details=details,
        department=department,
        product=product,
        severity=severity,
        logged_by=logged_by,
        handler=handler,
        expected_effort_days=expected_effort_days,
        promised_on=promised_on,
        internal_target_on=internal_target_on,
    )
    if handler is not None and logged_by is not None and handler.pk == logged_by.pk:
        complaint.handler_opened_at = received_at
    complaint.full_clean(exclude=["customer", "department", "logged_by", "handler"])
    complaint.save()
    event = _event(
        complaint, actor=logged_by, kind=EventKind.CREATED, to_status=complaint.status, to_handler=handler
    )
    complaint_acknowledge(complaint=complaint, language=language)
    if handler is None:
        complaint_unassigned_notify(complaint=complaint, actor=logged_by)
    else:
        complaint_handler_notify(complaint=complaint, handler=handler, actor=logged_by, event_id=event.pk)
    return complaint


@transaction.atomic
def complaint_update(
    *,
    complaint: Complaint,
    actor,
    summary: str,
    details: str,
    channel: str,
    customer_name: str,
    customer_contact: str,
    department,
    product: str,
    severity: str,
    expected_effort_days: int | None,
    promised_on: datetime.date | None,
    internal_target_on: datetime.date | None,
    lesson_learned: str,
    customer=None,
) -> Complaint:
    """Edit a complaint's details; a moved promise is counted and put on the timeline."""
    old_promise = complaint.promised_on
    complaint.customer, complaint.customer_value = customer, customer_value_of(customer)
    complaint.summary, complaint.details, complaint.channel = summary, details, channel
    complaint.customer_name, complaint.customer_contact = customer_name, customer_contact
    complaint.department, complaint.product, complaint.severity = department, product, severity
    complaint.expected_effort_days = expected_effort_days
    complaint.internal_target_on = internal_target_on
    complaint.lesson_learned = lesson_learned
    fields = [*rules.EDITABLE_FIELDS, "customer_value"]
    complaint.save(update_fields=fields)
    selectors.analysis_cache_invalidate()
    if promised_on != old_promise:
        complaint_change_promise(complaint=complaint, actor=actor, promised_on=promised_on)
    return complaint


@transaction.atomic
def complaint_change_promise(*, complaint: Complaint, actor, promised_on: datetime.date | None) -> Complaint:
    """Move the date promised to the customer. Setting a first promise is not a change."""
    old = complaint.promised_on
    if old == promised_on:
        return complaint
    complaint.promised_on = promised_on
    fields = ["promised_on"]
    if old is not None:
        complaint.promise_changes += 1
        fields.append("promise_changes")
    complaint.save(update_fields=fields)
    _event(complaint, actor=actor, kind=EventKind.PROMISE, from_date=old, to_date=promised_on)
    return complaint


@transaction.atomic
def complaint_assign(*, complaint: Complaint, actor, handler) -> Complaint:
    """Give the complaint to ``handler`` (or nobody); recorded on the timeline. The new handler
    is emailed (unless they took it themselves) and counts it as not opened yet."""
    if complaint.handler_id == (handler.pk if handler else None):
        return complaint
    old = complaint.handler
    complaint.handler = handler
    taken_by_self = handler is not None and actor is not None and handler.pk == actor.pk
    complaint.handler_opened_at = timezone.now() if taken_by_self else None
    complaint.save(update_fields=["handler", "handler_opened_at"])
    event = _event(complaint, actor=actor, kind=EventKind.ASSIGNED, from_handler=old, to_handler=handler)
    complaint_handler_notify(complaint=complaint, handler=handler, actor=actor, event_id=event.pk)
    return complaint


def _set_status(complaint: Complaint, *, actor, status: str, fields: list[str]) -> None:
    old = complaint.status
    if status not in rules.TRANSITIONS[old]:
        raise ValidationError(
            _("A complaint cannot go from “%(old)s” to “%(new)s”.")
            % {"old": Status(old).label, "new": Status(status).label}
        )
    complaint.status = status
    complaint.save(update_fields=["status", *fields])
    _event(complaint, actor=actor, kind=EventKind.STATUS, from_status=old, to_status=status)


@transaction.atomic
def complaint_start(*, complaint: Complaint, actor) -> Complaint:
    """Take a new complaint into work; whoever starts an unassigned one becomes its handler."""
    if complaint.handler_id is None:
        complaint_assign(complaint=complaint, actor=actor, handler=actor)
    _set_status(complaint, actor=actor, status=Status.IN_PROGRESS, fields=[])
    return complaint


@transaction.atomic
def complaint_resolve(
    *,
    complaint: Complaint,
    actor,
    root_cause: str,
    resolution: str,
    cause_note: str = "",
    five_whys: str = "",
    compensation: Decimal | None = None,
    customer_satisfied: str = Satisfaction.NOT_ASKED,
    lesson_learned: str = "",
) -> Complaint:
    """Resolve a complaint. A root cause is required: without one nothing is learnt."""
    if not root_cause:
        raise ValidationError({"root_cause": _("Choose the root cause before resolving the complaint.")})
    complaint.root_cause, complaint.cause_note, complaint.five_whys = root_cause, cause_note, five_whys
    complaint.resolution, complaint.compensation = resolution, compensation
    complaint.customer_satisfied = customer_satisfied
    if lesson_learned:
        complaint.lesson_learned = lesson_learned
    complaint.resolved_at = timezone.now()
    if complaint.handler_id is None:
        complaint_assign(complaint=complaint, actor=actor, handler=actor)
    _set_status(
        complaint,
        actor=actor,
        status=Status.RESOLVED,
        fields=[
            "root_cause",
            "cause_note",
            "five_whys",
            "resolution",
            "compensation",
            "customer_satisfied",
            "lesson_learned",
            "resolved_at",
        ],
    )
    # Once the resolution is committed, ask the customer (once) whether they are satisfied.
    complaint_id = complaint.pk
    transaction.on_commit(lambda: prepare_satisfaction_survey.delay(complaint_id))
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor) -> Complaint:
    complaint.closed_at = timezone.now()
    _set_status(complaint, actor=actor, status=Status.CLOSED, fields=["closed_at"])
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, actor) -> Complaint:
    """Back to work: the customer came back, or the fix did not hold. The root cause stays as a hint."""
    complaint.resolved_at = None
    complaint.closed_at = None
    _set_status(complaint, actor=actor, status=Status.IN_PROGRESS, fields=["resolved_at", "closed_at"])
    return complaint


@transaction.atomic
def complaint_record_satisfaction(*, complaint: Complaint, actor, customer_satisfied: str) -> Complaint:
    """After resolution: did the customer accept it? "No" flags the complaint.

    An open complaint has no resolution to accept yet: refused with a ValidationError.
    """
    if complaint.is_open:
        raise ValidationError(_("Record whether the customer is satisfied once the complaint is resolved."))
    complaint.customer_satisfied = customer_satisfied
    complaint.save(update_fields=["customer_satisfied"])
    return complaint


# --- corrective actions ----------------------------------------------------------------


@transaction.atomic
def corrective_action_create(
    *,
    created_by,
    kind: str,
    description: str,
    owner,
    due_on: datetime.date,
    complaints: list[Complaint] | tuple[Complaint, ...] = (),
    standard=None,
    course=None,
) -> CorrectiveAction:
    """Create an action for one or several complaints.

    "Revise a standard" needs the standard and opens (or reuses) a draft version
    for the standard's owner; the action is done when that version is published.
    "Train staff" may name the course.
    """
    if kind not in ActionKind.values:
        raise ValidationError({"kind": _("Unknown kind of action.")})
    if kind == ActionKind.REVISE_STANDARD and standard is None:
        raise ValidationError({"standard": _("Choose the standard to revise.")})
    draft = None
    if kind == ActionKind.REVISE_STANDARD:
        draft = standard_version_start_draft(standard=standard, author=standard.owner)
    action = CorrectiveAction.objects.create(
        kind=kind,
        description=description,
        owner=owner,
        due_on=due_on,
        created_by=created_by,
        standard=standard if kind == ActionKind.REVISE_STANDARD else None,
        standard_version=draft,
        course=course if kind == ActionKind.TRAIN_STAFF else None,
    )
    if complaints:
        action.complaints.add(*complaints)
    return action


def corrective_actions_complete_on_publication(*, version, **kwargs) -> None:
    """Receiver of ``standards.signals.version_published``: close the actions it fulfils."""
    corrective_actions_complete_published()


def corrective_actions_complete_published() -> int:
    """Mark done every open "revise a standard" action whose draft version is now published.

    Idempotent: each action is claimed with a conditional UPDATE (still open), so running
    it twice, or two workers at once, completes each action once. Called when a version
    is published and by the periodic task, so no publication is missed. The action's
    effectiveness note says which version completed it (an action is never closed with
    an empty note), and ``corrective_action_completed`` is sent for it.
    Returns how many actions were completed.
    """
    candidates = CorrectiveAction.objects.filter(
        kind=ActionKind.REVISE_STANDARD,
        status__in=OPEN_ACTION_STATUSES,
        standard_version__status="published",
    ).select_related("standard_version", "standard")
    completed = 0
    for action in candidates:
        with transaction.atomic():
            now = timezone.now()
            with translation.override(language_of(action.owner_id)):
                note = _("Done: version %(label)s of %(code)s was published on %(date)s.") % {
                    "label": action.standard_version.label,
                    "code": action.standard.code if action.standard else "",
                    "date": formats.date_format(
                        timezone.localdate(action.standard_version.published_at or now), "SHORT_DATE_FORMAT"
                    ),
                }
            claimed = CorrectiveAction.objects.filter(pk=action.pk, status__in=OPEN_ACTION_STATUSES).update(
                status=ActionStatus.DONE,
                completed_at=now,
                effectiveness_note=_note_appended(action.effectiveness_note, note),
            )
            if claimed:
                action.refresh_from_db()
                corrective_action_completed.send(sender=CorrectiveAction, action=action)
                completed += 1
    return completed


@transaction.atomic
def corrective_action_update(
    *, action: CorrectiveAction, description: str, owner, due_on: datetime.date, status: str
) -> CorrectiveAction:
    """Edit an open action; moving it to done goes through :func:`corrective_action_complete`."""
    action.description, action.owner, action.due_on = description, owner, due_on
    if status in OPEN_ACTION_STATUSES:
        action.status = status
    action.save(update_fields=["description", "owner", "due_on", "status"])
    return action


@transaction.atomic
def corrective_action_complete(
    *, action: CorrectiveAction, effectiveness_note: str, cancelled: bool = False
) -> CorrectiveAction:
    """Close an action as done (or cancelled), saying whether it worked.

    The note is required: no action is closed without a word on its effectiveness. A
    done action sends ``corrective_action_completed`` (the programme schedules its check).
    """
    if not effectiveness_note.strip():
        raise ValidationError(
            {"effectiveness_note": _("Say whether it worked, and how you know, before closing the action.")}
        )
    action.status = ActionStatus.CANCELLED if cancelled else ActionStatus.DONE
    action.effectiveness_note = effectiveness_note
    action.completed_at = timezone.now()
    action.save(update_fields=["status", "effectiveness_note", "completed_at"])
    if not cancelled:
        corrective_action_completed.send(sender=CorrectiveAction, action=action)
    return action


def _note_appended(note: str, text: str) -> str:
    return f"{note.rstrip()}\n\n{text}" if note.strip() else text


@transaction.atomic
def corrective_action_note_append(*, action: CorrectiveAction, text: str) -> CorrectiveAction:
    """Add a paragraph to the action's effectiveness note (the programme's check results
    and the owner's verdict), keeping what it said before."""
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    action.effectiveness_note = _note_appended(action.effectiveness_note, text)
    action.save(update_fields=["effectiveness_note"])
    return action


@transaction.atomic
def corrective_actions_reassign(*, action_ids: list[int], owner) -> int:
    """Give these actions to ``owner`` (a handover when the previous owner leaves)."""
    return CorrectiveAction.objects.filter(pk__in=action_ids).update(owner=owner)


@transaction.atomic
def complaints_reassign(*, complaint_ids: list[int], handler, actor) -> int:
    """Give these complaints to ``handler``; each reassignment is on its complaint's timeline."""
    moved = 0
    for complaint in Complaint.objects.filter(pk__in=complaint_ids).select_related("handler"):
        if complaint.handler_id != handler.pk:
            complaint_assign(complaint=complaint, actor=actor, handler=handler)
            moved += 1
    return moved


@dataclass(frozen=True)
class BulkOutcome:
    """What a bulk action did: how many complaints changed, and each one skipped with why."""

    done: int
    skipped: list[tuple[int, str]]


def complaints_bulk_assign(*, complaint_ids: list[int], handler, actor) -> BulkOutcome:
    """Give these complaints to ``handler`` as one by one (event and notification each);
    those the handler has already are skipped."""
    done, skipped = 0, []
    for complaint in Complaint.objects.filter(pk__in=complaint_ids).select_related("handler").order_by("pk"):
        if complaint.handler_id == handler.pk:
            skipped.append((complaint.pk, _("already assigned to them")))
            continue
        complaint_assign(complaint=complaint, actor=actor, handler=handler)
        done += 1
    return BulkOutcome(done=done, skipped=skipped + _missing(complaint_ids))


def complaints_bulk_close(*, complaint_ids: list[int], actor) -> BulkOutcome:
    """Close these complaints as one by one; each whose status does not allow closing (only a
    resolved complaint closes) is skipped with the reason. Each close is its own transaction,
    so one refusal does not undo the others."""
    done, skipped = 0, []
    for complaint in Complaint.objects.filter(pk__in=complaint_ids).order_by("pk"):
        if Status.CLOSED not in rules.TRANSITIONS[complaint.status]:
            skipped.append(
                (
                    complaint.pk,
                    _("a complaint that is “%(status)s” cannot be closed")
                    % {"status": complaint.get_status_display()},
                )
            )
            continue
        complaint_close(complaint=complaint, actor=actor)
        done += 1
    return BulkOutcome(done=done, skipped=skipped + _missing(complaint_ids))


def _missing(complaint_ids: list[int]) -> list[tuple[int, str]]:
    found = set(Complaint.objects.filter(pk__in=complaint_ids).values_list("pk", flat=True))
    return [(pk, _("no such complaint")) for pk in complaint_ids if pk not in found]
