"""Writes of the standards library: every change to standards and versions goes through here.

The rule that matters most lives in :func:`_ensure_draft`: a published version is
immutable. Editing a standard's content means starting a new draft from the
current version (:func:`standard_version_start_draft`) and publishing it.
Every change is written to the audit trail (:class:`AuditEvent`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.locks import hold_transaction_lock
from people.models import Department, Employee, Position
from standards import rules, selectors
from standards.models import (
    Acknowledgement,
    AcknowledgementDepartmentTotal,
    AcknowledgementStanding,
    AuditAction,
    AuditEvent,
    Choice,
    ComplianceCheck,
    ComplianceStepResult,
    KnowledgeCheckAttempt,
    Question,
    Standard,
    StandardReview,
    StandardStatus,
    StandardStep,
    StandardVersion,
    StepFlag,
    StepResult,
    VersionKind,
    VersionStatus,
)
from standards.signals import version_published


class VersionImmutableError(ValidationError):
    """Raised on any attempt to change a published version."""


class AcknowledgementRefusedError(ValidationError):
    """Raised when an acknowledgement cannot be recorded (superseded version, check not passed…)."""


@dataclass(frozen=True)
class StepInput:
    text: str
    customer_benefit: str = ""


@dataclass(frozen=True)
class QuestionInput:
    text: str
    # (answer, is_correct) pairs; at least two answers and one correct.
    choices: list[tuple[str, bool]] = field(default_factory=list)


def audit_record(
    *, standard: Standard, actor, action: str, version: StandardVersion | None = None, detail: str = ""
) -> None:
    AuditEvent.objects.create(
        standard=standard,
        version=version,
        actor=actor,
        action=action,
        detail=detail,
        created_at=timezone.now(),
    )


def _ensure_draft(version: StandardVersion) -> None:
    """A published version is immutable: its text is what people signed."""
    if not rules.version_is_editable(version):
        raise VersionImmutableError(
            _("Version %(label)s of %(code)s is published and cannot be changed; start a new draft instead.")
            % {"label": version.label, "code": version.standard.code}
        )


# --- standards ------------------------------------------------------------------


@transaction.atomic
def standard_create(
    *,
    code: str,
    title: str,
    owner,
    actor,
    category: str = "other",
    applies_to_all_customer_facing: bool = False,
    departments: Iterable[Department] = (),
    positions: Iterable[Position] = (),
    review_interval_months: int = 12,
    review_delegate=None,
) -> Standard:
    """Create a standard with an empty first draft (published later with :func:`standard_version_publish`)."""
    standard = Standard(
        code=code.strip().upper(),
        title=title,
        category=category,
        owner=owner,
        applies_to_all_customer_facing=applies_to_all_customer_facing,
        review_interval_months=review_interval_months,
        review_delegate=review_delegate,
    )
    standard.full_clean()
    standard.save()
    standard.departments.set(departments)
    standard.positions.set(positions)
    audit_record(standard=standard, actor=actor, action=AuditAction.CREATED, detail=standard.title)
    StandardVersion.objects.create(standard=standard, created_by=actor)
    return standard


@transaction.atomic
def standard_update(
    *,
    standard: Standard,
    actor,
    title: str,
    category: str,
    owner,
    applies_to_all_customer_facing: bool,
    departments: Iterable[Department],
    positions: Iterable[Position],
    review_interval_months: int,
    review_delegate=None,
) -> Standard:
    """Change a standard's details (not its content, which lives in versions)."""
    changed = []
    for name, value in [
        ("title", title),
        ("category", category),
        ("owner", owner),
        ("applies_to_all_customer_facing", applies_to_all_customer_facing),
        ("review_interval_months", review_interval_months),
        ("review_delegate", review_delegate),
    ]:
        if getattr(standard, name) != value:
            setattr(standard, name, value)
            changed.append(name)
    if "review_interval_months" in changed and standard.last_reviewed_at:
        standard.next_review_due = rules.next_review_due(
            last_reviewed_on=timezone.localdate(standard.last_reviewed_at),
            interval_months=review_interval_months,
        )
        changed.append("next_review_due")
    standard.full_clean()
    standard.save()
    departments, positions = list(departments), list(positions)
    if {d.pk for d in departments} != set(standard.departments.values_list("pk", flat=True)):
        standard.departments.set(departments)
        changed.append("departments")
    if {p.pk for p in positions} != set(standard.positions.values_list("pk", flat=True)):
        standard.positions.set(positions)
        changed.append("positions")
    if changed:
        audit_record(standard=standard, actor=actor, action=AuditAction.UPDATED, detail=", ".join(changed))
    if {"applies_to_all_customer_facing", "departments", "positions"} & set(changed):
        acknowledgement_standings_refresh(standard_ids=[standard.pk])
    return standard


@transaction.atomic
def standard_retire(*, standard: Standard, actor) -> Standard:
    """Retire a standard: it leaves "My standards" and the reminders; its history stays."""
    standard.status = StandardStatus.RETIRED
    standard.save(update_fields=["status"])
    acknowledgement_standings_refresh(standard_ids=[standard.pk])
    audit_record(standard=standard, actor=actor, action=AuditAction.RETIRED)
    return standard


@transaction.atomic
def standard_reinstate(*, standard: Standard, actor) -> Standard:
    """Undo a retirement: the standard applies again with its current version (or goes back
    to draft if it never had one); acknowledgements already signed still count."""
    if standard.status != StandardStatus.RETIRED:
        return standard
    standard.status = StandardStatus.PUBLISHED if standard.current_version_id else StandardStatus.DRAFT
    standard.save(update_fields=["status"])
    acknowledgement_standings_refresh(standard_ids=[standard.pk])
    audit_record(standard=standard, actor=actor, action=AuditAction.REINSTATED)
    return standard


# --- versions -------------------------------------------------------------------


@transaction.atomic
def standard_version_start_draft(*, standard: Standard, author) -> StandardVersion:
    """The open draft of ``standard``: the existing one, or a new copy of the current version.

    Used by the editor and by complaints' corrective action "revise a standard".
    The copy carries the body, the steps and the knowledge check, so the author
    only changes what needs changing.
    """
    Standard.objects.select_for_update().get(pk=standard.pk)
    existing = StandardVersion.objects.filter(standard=standard, status=VersionStatus.DRAFT).first()
    if existing:
        return existing
    source = standard.current_version
    draft = StandardVersion.objects.create(
        standard=standard,
        created_by=author,
        based_on=source,
        body=source.body if source else "",
        pass_mark_percent=source.pass_mark_percent if source else 80,
    )
    if source:
        StandardStep.objects.bulk_create(
            StandardStep(version=draft, order=s.order, text=s.text, customer_benefit=s.customer_benefit)
            for s in source.steps.all()
        )
        for question in source.questions.prefetch_related("choices"):
            copy = Question.objects.create(version=draft, order=question.order, text=question.text)
            Choice.objects.bulk_create(
                Choice(question=copy, order=c.order, text=c.text, is_correct=c.is_correct)
                for c in question.choices.all()
            )
    audit_record(standard=standard, actor=author, action=AuditAction.DRAFT_STARTED, version=draft)
    return draft


@transaction.atomic
def standard_draft_update(
    *,
    version: StandardVersion,
    actor,
    body: str,
    change_summary: str,
    steps: list[StepInput],
    questions: list[QuestionInput] | None = None,
    pass_mark_percent: int | None = None,
) -> StandardVersion:
    """Replace a draft's content. Refuses a published version (:class:`VersionImmutableError`).

    ``questions=None`` leaves the knowledge check as it is; an empty list removes it.
    """
    version = StandardVersion.objects.select_for_update().select_related("standard").get(pk=version.pk)
    _ensure_draft(version)
    version.body = body
    version.change_summary = change_summary
    fields = ["body", "change_summary"]
    if pass_mark_percent is not None:
        version.pass_mark_percent = pass_mark_percent
        fields.append("pass_mark_percent")
    version.full_clean(exclude=["standard", "created_by", "based_on", "published_by"])
    version.save(update_fields=fields)
    version.steps.all().delete()
    StandardStep.objects.bulk_create(
        StandardStep(
            version=version, order=i, text=s.text.strip(), customer_benefit=s.customer_benefit.strip()
        )
        for i, s in enumerate((s for s in steps if s.text.strip()), start=1)
    )
    if questions is not None:
        version.questions.all().delete()
        for q_order, item in enumerate(questions, start=1):
            if len(item.choices) < 2 or not any(correct for _text, correct in item.choices):
                raise ValidationError(_("Each question needs at least two answers and one correct answer."))
            question = Question.objects.create(version=version, order=q_order, text=item.text)
            Choice.objects.bulk_create(
                Choice(question=question, order=c_order, text=text, is_correct=correct)
                for c_order, (text, correct) in enumerate(item.choices, start=1)
            )
    audit_record(standard=version.standard, actor=actor, action=AuditAction.DRAFT_EDITED, version=version)
    return version


def _checklist_confirmed(checklist: Mapping[str, bool]) -> dict[str, bool]:
    missing = [str(label) for key, label in rules.CHECKLIST_ITEMS if not checklist.get(key)]
    if missing:
        raise ValidationError(
            _("Confirm every item of the checklist: %(items)s") % {"items": "; ".join(missing)}
        )
    return {key: True for key, _label in rules.CHECKLIST_ITEMS}


@transaction.atomic
def standard_version_publish(
    *, version: StandardVersion, publisher, checklist: Mapping[str, bool], kind: str = VersionKind.MAJOR
) -> StandardVersion:
    """Publish a draft: it becomes the current version and can never change again.

    A major version (the default) asks everyone affected to acknowledge it again,
    with a deadline counted from today; a minor one keeps the acknowledgements and
    the deadline of the major version it belongs to. The first version is always
    major. Publishing restarts the review clock and closes the anti-standard flags
    raised on the previous version's steps.
    """
    standard = Standard.objects.select_for_update().get(pk=version.standard_id)
    version = StandardVersion.objects.select_for_update().get(pk=version.pk)
    _ensure_draft(version)
    if standard.status == StandardStatus.RETIRED:
        raise ValidationError(_("A retired standard cannot get a new version."))
    confirmed = _checklist_confirmed(checklist)
    steps = list(version.steps.order_by("order").values_list("text", "customer_benefit"))
    if not steps:
        raise ValidationError(_("A standard needs at least one step before it is published."))
    now = timezone.now()
    previous = standard.current_version
    if previous is None or kind == VersionKind.MAJOR:
        kind = VersionKind.MAJOR
        version.major_number = (previous.major_number if previous else 0) + 1
        version.minor_number = 0
        version.major_published_on = timezone.localdate(now)
    else:
        version.major_number = previous.major_number
        version.minor_number = previous.minor_number + 1
        version.major_published_on = previous.major_published_on
    version.kind = kind
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    version.published_by = publisher
    version.checklist = confirmed
    version.content_hash = rules.version_content_hash(
        code=standard.code, label=version.label, body=version.body, steps=steps
    )
    version.save()
    standard.current_version = version
    standard.status = StandardStatus.PUBLISHED
    standard.last_reviewed_at = now
    standard.next_review_due = rules.next_review_due(
        last_reviewed_on=timezone.localdate(now), interval_months=standard.review_interval_months
    )
    standard.save(update_fields=["current_version", "status", "last_reviewed_at", "next_review_due"])
    acknowledgement_standings_refresh(standard_ids=[standard.pk])
    if previous:
        StepFlag.objects.filter(step__version=previous, resolved_at__isnull=True).update(
            resolved_at=now, resolved_by=publisher, resolution=_("Addressed by version %s") % version.label
        )
    audit_record(
        standard=standard,
        actor=publisher,
        action=AuditAction.PUBLISHED,
        version=version,
        detail=f"{version.label} ({kind})",
    )
    transaction.on_commit(lambda: version_published.send(sender=StandardVersion, version=version))
    return version


def can_review(user, standard: Standard) -> bool:
    """The owner, or the manager the owner delegated reviews to, may record a review."""
    return user.is_superuser or user.pk in {standard.owner_id, standard.review_delegate_id}


@transaction.atomic
def standard_review_record(
    *, standard: Standard, reviewer, note: str, checklist: Mapping[str, bool]
) -> StandardReview:
    """Record "reviewed, still current": restarts the review clock without a new version."""
    if not can_review(reviewer, standard):
        raise PermissionDenied(_("Only the owner or their delegate may review this standard."))
    if standard.current_version_id is None or standard.status != StandardStatus.PUBLISHED:
        raise ValidationError(_("Only a published standard can be reviewed."))
    if not note.strip():
        raise ValidationError(_("Say what you checked in a short note."))
    now = timezone.now()
    review = StandardReview.objects.create(
        standard=standard,
        version_id=standard.current_version_id,
        reviewer=reviewer,
        note=note,
        checklist=_checklist_confirmed(checklist),
        reviewed_at=now,
    )
    standard.last_reviewed_at = now
    standard.next_review_due = rules.next_review_due(
        last_reviewed_on=timezone.localdate(now), interval_months=standard.review_interval_months
    )
    standard.save(update_fields=["last_reviewed_at", "next_review_due"])
    audit_record(standard=standard, actor=reviewer, action=AuditAction.REVIEWED, detail=note)
    return review


# --- anti-standard flags ----------------------------------------------------------


@transaction.atomic
def step_flag_create(*, step: StandardStep, user, note: str) -> StepFlag:
    """Flag a step as an anti-standard candidate; the owner sees it in their flagged list."""
    if not note.strip():
        raise ValidationError(_("Say why this step may protect the company rather than help the customer."))
    flag = StepFlag.objects.create(step=step, flagged_by=user, note=note.strip())
    audit_record(
        standard=step.version.standard,
        actor=user,
        action=AuditAction.STEP_FLAGGED,
        version=step.version,
        detail=f"{step.order}. {note.strip()}",
    )
    return flag


@transaction.atomic
def step_flag_resolve(*, flag: StepFlag, user, resolution: str) -> StepFlag:
    updated = StepFlag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=user, resolution=resolution
    )
    flag.refresh_from_db()
    if updated:
        audit_record(
            standard=flag.step.version.standard,
            actor=user,
            action=AuditAction.FLAG_RESOLVED,
            version=flag.step.version,
            detail=resolution,
        )
    return flag


# --- knowledge checks and acknowledgements --------------------------------------------


def knowledge_check_submit(
    *, employee: Employee, version: StandardVersion, answers: Mapping[int, int | None]
) -> KnowledgeCheckAttempt:
    """Score an attempt (question id → chosen answer id) and keep it, passed or not."""
    correct_by_question = dict(
        Choice.objects.filter(question__version=version, is_correct=True).values_list("question_id", "id")
    )
    total = Question.objects.filter(version=version).count()
    correct = sum(1 for qid, cid in correct_by_question.items() if answers.get(qid) == cid)
    score, passed = rules.knowledge_check_passed(
        correct=correct, total=total, pass_mark_percent=version.pass_mark_percent
    )
    return KnowledgeCheckAttempt.objects.create(
        employee=employee,
        version=version,
        answers={str(k): v for k, v in answers.items()},
        score_percent=score,
        passed=passed,
    )


def acknowledgement_meaning(*, version: StandardVersion, printed_name: str) -> str:
    return _(
        "I, %(name)s, have read and understood version %(label)s of %(code)s “%(title)s” "
        "and will apply it when serving customers."
    ) % {
        "name": printed_name,
        "label": version.label,
        "code": version.standard.code,
        "title": version.standard.title,
    }


def acknowledgement_record(
    *, employee: Employee, version: StandardVersion, user, printed_name: str
) -> Acknowledgement:
    """Record an employee's signature on the current version of a standard.

    Refused (:class:`AcknowledgementRefusedError`) for someone else's profile, for a
    draft or superseded version, and before a pass of the version's knowledge check.
    Signing twice (a double click, two tabs), or signing a minor version of a major
    version already signed, returns the existing acknowledgement: the database
    allows one per employee and version.
    """
    if employee.user_id != user.pk:
        raise PermissionDenied(_("You can only acknowledge standards for yourself."))
    version = StandardVersion.objects.select_related("standard").get(pk=version.pk)
    standard = version.standard
    if version.status != VersionStatus.PUBLISHED or standard.status != StandardStatus.PUBLISHED:
        raise AcknowledgementRefusedError(
            _("This version is not published; there is nothing to acknowledge.")
        )
    if standard.current_version_id != version.pk:
        raise AcknowledgementRefusedError(
            _(
                "Version %(label)s of %(code)s has been replaced by a newer version; "
                "read and acknowledge that one."
            )
            % {"label": version.label, "code": standard.code}
        )
    if not selectors.standards_applying_to(employee).filter(pk=standard.pk).exists():
        raise AcknowledgementRefusedError(
            _("%(code)s does not apply to your department or position; there is nothing to acknowledge.")
            % {"code": standard.code}
        )
    # An acknowledgement of this major version (e.g. 2.0 while 2.1 is current) still covers it.
    existing = Acknowledgement.objects.filter(
        employee=employee, version__standard=standard, version__major_number=version.major_number
    ).first()
    if existing:
        return existing
    attempt = None
    if version.questions.exists():
        attempt = selectors.passed_knowledge_check(employee, version)
        if attempt is None:
            raise AcknowledgementRefusedError(
                _("Pass the knowledge check before you acknowledge this standard.")
            )
    printed_name = printed_name.strip()
    if not printed_name:
        raise AcknowledgementRefusedError(_("Type your full name to sign."))
    if not rules.printed_name_matches(printed_name, employee.full_name):
        raise AcknowledgementRefusedError(
            _("The name must be yours, as on your account: %(name)s.") % {"name": employee.full_name}
        )
    try:
        with transaction.atomic():
            acknowledgement = Acknowledgement.objects.create(
                employee=employee,
                version=version,
                signed_by=user,
                printed_name=printed_name,
                content_hash=version.content_hash,
                meaning=acknowledgement_meaning(version=version, printed_name=printed_name),
                signed_at=timezone.now(),
                attempt=attempt,
            )
            acknowledgement_standings_refresh(
                standard_ids=[standard.pk], groups=[(employee.department_id, employee.position_id)]
            )
            return acknowledgement
    except IntegrityError:
        # The other click won the race; its acknowledgement is the one.
        return Acknowledgement.objects.get(employee=employee, version=version)


# --- compliance checks ------------------------------------------------------------


@dataclass(frozen=True)
class StepObservation:
    step: StandardStep
    result: str
    note: str = ""


@transaction.atomic
def compliance_check_record(
    *,
    standard: Standard,
    employee: Employee,
    observer,
    observations: list[StepObservation],
    observed_on: datetime.date | None = None,
    note: str = "",
) -> ComplianceCheck:
    """Record an observation of ``employee`` against the current steps of ``standard``."""
    version = standard.current_version
    if version is None:
        raise ValidationError(_("The standard has no published version to check against."))
    step_ids = set(version.steps.values_list("id", flat=True))
    if {o.step.pk for o in observations} != step_ids or len(observations) != len(step_ids):
        raise ValidationError(_("Record a result for every step of the current version."))
    done = sum(1 for o in observations if o.result == StepResult.DONE)
    applicable = sum(1 for o in observations if o.result != StepResult.NOT_APPLICABLE)
    check = ComplianceCheck.objects.create(
        standard=standard,
        version=version,
        employee=employee,
        department_id=employee.department_id,
        observer=observer,
        observed_on=observed_on or timezone.localdate(),
        note=note,
        steps_done=done,
        steps_applicable=applicable,
    )
    ComplianceStepResult.objects.bulk_create(
        ComplianceStepResult(check_record=check, step=o.step, result=o.result, note=o.note)
        for o in observations
    )
    return check


# --- handover when people leave (people.handover) ---------------------------------------


@transaction.atomic
def standards_owner_reassign(*, standard_ids: list[int], owner, actor) -> int:
    """Give these standards to ``owner`` (a handover); each change is in the standard's audit trail."""
    moved = 0
    for standard in Standard.objects.filter(pk__in=standard_ids).select_related("owner"):
        if standard.owner_id == owner.pk:
            continue
        previous = standard.owner.get_full_name() or standard.owner.get_username()
        standard.owner = owner
        standard.save(update_fields=["owner"])
        audit_record(
            standard=standard,
            actor=actor,
            action=AuditAction.UPDATED,
            detail=f"owner: {previous} → {owner.get_full_name() or owner.get_username()}",
        )
        moved += 1
    return moved


@transaction.atomic
def standards_review_delegate_reassign(*, standard_ids: list[int], delegate, actor) -> int:
    """Let ``delegate`` record the reviews of these standards, or nobody (``None``) but their owners."""
    moved = 0
    for standard in Standard.objects.filter(pk__in=standard_ids):
        standard.review_delegate = delegate
        standard.save(update_fields=["review_delegate"])
        name = (delegate.get_full_name() or delegate.get_username()) if delegate else "—"
        audit_record(
            standard=standard, actor=actor, action=AuditAction.UPDATED, detail=f"review delegate: {name}"
        )
        moved += 1
    return moved


# --- stored acknowledgement coverage ------------------------------------------------------


@transaction.atomic
def acknowledgement_standings_refresh(
    *,
    standard_ids: Iterable[int] | None = None,
    groups: Iterable[selectors.Group] | None = None,
    today: datetime.date | None = None,
) -> int:
    """Bring the stored coverage (:class:`~standards.models.AcknowledgementStanding`) of
    ``standard_ids`` in the (department, position) ``groups`` — of every standard or
    group when ``None`` — up to date; returns how many rows were written.

    The rows in scope are deleted and written again from
    :func:`standards.selectors.acknowledgement_coverage_from_facts`, so a refresh and
    a rebuild agree by construction and running it twice writes the same rows. A
    retired or unpublished standard in scope loses its rows.
    """
    # One refresh at a time: each deletes and writes rows that another, reading before the
    # first commits, would not see, and would write a second time (two people of a department
    # signing at the same moment).
    hold_transaction_lock("acknowledgement-standings")
    rows = AcknowledgementStanding.objects.all()
    if standard_ids is not None:
        standard_ids = list(standard_ids)
        if not standard_ids:
            return 0
        rows = rows.filter(standard_id__in=standard_ids)
    if groups is not None:
        groups = list(set(groups))
        if not groups:
            return 0
        rows = rows.filter(selectors.group_filter(groups))
    rows.delete()
    now = timezone.now()
    written = AcknowledgementStanding.objects.bulk_create(
        [
            AcknowledgementStanding(
                standard_id=row.standard_id,
                version_id=row.version_id,
                department_id=row.department_id,
                position_id=row.position_id,
                group_size=row.group_size,
                audience=row.audience,
                acknowledged=row.acknowledged,
                updated_at=now,
            )
            for row in selectors.acknowledgement_coverage_from_facts(
                standard_ids=standard_ids, groups=groups, today=today
            )
        ],
        batch_size=1000,
    )
    _department_totals_refresh(
        department_ids=None if groups is None else {department_id for department_id, _position in groups},
        now=now,
    )
    return len(written)


def _department_totals_refresh(*, department_ids: set[int | None] | None, now: datetime.datetime) -> None:
    """Sum the stored standings of ``department_ids`` (of every department when ``None``;
    ``None`` among them is the people without one) into their
    :class:`~standards.models.AcknowledgementDepartmentTotal` rows, written again."""
    totals = AcknowledgementDepartmentTotal.objects.all()
    standings = AcknowledgementStanding.objects.all()
    if department_ids is not None:
        scope = selectors.department_filter(department_ids)
        totals, standings = totals.filter(scope), standings.filter(scope)
    totals.delete()
    AcknowledgementDepartmentTotal.objects.bulk_create(
        [
            AcknowledgementDepartmentTotal(
                department_id=row["department_id"],
                audience=row["owed"],
                acknowledged=row["signed"],
                updated_at=now,
            )
            for row in standings.values("department_id")
            .annotate(owed=Sum("audience"), signed=Sum("acknowledged"))
            .order_by()
        ]
    )


@transaction.atomic
def acknowledgement_standings_rebuild(*, today: datetime.date | None = None) -> int:
    """Throw the stored coverage away and compute it again from the facts alone (after a
    restore, rows written behind the services); returns how many rows were written."""
    AcknowledgementStanding.objects.all().delete()
    return acknowledgement_standings_refresh(today=today)


def acknowledgement_standings_on_employees_changed(*, employee_ids: list[int], **kwargs) -> None:
    """Receiver of ``people.signals.employees_changed``: refresh the groups those people
    are in now, and the groups they left — found as the groups whose stored size no
    longer matches the number of active people in them."""
    today = timezone.localdate()
    groups = set(Employee.objects.filter(pk__in=employee_ids).values_list("department_id", "position_id"))
    sizes = selectors.acknowledgement_group_sizes(today=today)
    for department_id, position_id, group_size in selectors.stored_group_sizes():
        if sizes.get((department_id, position_id), 0) != group_size:
            groups.add((department_id, position_id))
    acknowledgement_standings_refresh(groups=groups, today=today)
