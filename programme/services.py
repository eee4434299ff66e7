"""Writes of the programme: the charter and its brainstorm, targets and their monthly
actuals, the programme lead, golden-rules reviews, effectiveness checks and the
management review's decisions. Corrective actions belong to the complaints app: they are
created and annotated only through :mod:`complaints.services`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from common.programme import programme_setting
from complaints import services as complaint_services
from complaints.models import CorrectiveAction, RootCause
from metrics.analysis import AVERAGE_DAYS_PER_MONTH, poisson_rate_ratio
from people.models import Department
from people.selectors import department_list, language_of
from programme import actuals, rules, selectors
from programme.figures import BY_KEY, PERCENT
from programme.models import (
    CharterEntry,
    CharterRevision,
    CharterSupport,
    CheckStatus,
    EffectivenessCheck,
    EntryKind,
    GoldenRulesReview,
    ManagementDecision,
    MonthlyActual,
    Outcome,
    ProgrammeLead,
    Target,
    TargetDepartmentValue,
    Verdict,
)

# --- the charter and its brainstorm ---------------------------------------------------------


def charter_entry_propose(*, author, kind: str, text: str) -> CharterEntry:
    """Add a benefit or a fear to the brainstorm, in its author's words."""
    text = text.strip()
    if kind not in EntryKind.values:
        raise ValidationError({"kind": _("Choose a benefit or a fear.")})
    if len(text) < 10:
        raise ValidationError({"text": _("Say it in a sentence: at least ten characters.")})
    entry = CharterEntry(kind=kind, text=text, author=author)
    entry.full_clean(exclude=["author"])
    entry.save()
    return entry


def charter_entry_support(*, entry: CharterEntry, user) -> bool:
    """Support an entry; once per person (the database's unique key decides a race).
    Returns whether a support was added."""
    if entry.is_merged:
        raise ValidationError(_("This entry was merged into another one: support that one."))
    try:
        with transaction.atomic():
            CharterSupport.objects.create(entry=entry, user=user)
    except IntegrityError:
        return False
    return True


def charter_entry_withdraw_support(*, entry: CharterEntry, user) -> bool:
    return CharterSupport.objects.filter(entry=entry, user=user).delete()[0] > 0


@transaction.atomic
def charter_entry_update(
    *, entry: CharterEntry, in_charter: bool, answer: str = "", answer_figure: str = ""
) -> CharterEntry:
    """A manager's choices for one entry: in the next charter or not; for a fear, the answer
    and the figure that will show whether the fear was right."""
    if entry.is_merged:
        raise ValidationError(_("This entry was merged into another one."))
    if answer_figure and answer_figure not in BY_KEY:
        raise ValidationError({"answer_figure": _("Unknown figure.")})
    entry.in_charter = in_charter
    if entry.kind == EntryKind.FEAR:
        entry.answer, entry.answer_figure = answer.strip(), answer_figure
    entry.save(update_fields=["in_charter", "answer", "answer_figure"])
    return entry


@transaction.atomic
def charter_entries_merge(*, source: CharterEntry, target: CharterEntry, actor) -> CharterEntry:
    """Merge a duplicate into ``target``: its supporters support ``target`` (once each), the
    entries merged into it follow, and it stays on record as merged."""
    source, target = (
        CharterEntry.objects.select_for_update().get(pk=source.pk),
        CharterEntry.objects.select_for_update().get(pk=target.pk),
    )
    if source.pk == target.pk:
        raise ValidationError(_("An entry cannot be merged into itself."))
    if source.kind != target.kind:
        raise ValidationError(_("A benefit and a fear cannot be merged."))
    if source.is_merged or target.is_merged:
        raise ValidationError(_("Merge into an entry that is not merged itself."))
    already = set(CharterSupport.objects.filter(entry=target).values_list("user_id", flat=True))
    CharterSupport.objects.filter(entry=source, user_id__in=already).delete()
    CharterSupport.objects.filter(entry=source).update(entry=target)
    CharterEntry.objects.filter(merged_into=source).update(merged_into=target)
    source.merged_into, source.merged_by, source.merged_at = target, actor, timezone.now()
    source.in_charter = False
    source.save(update_fields=["merged_into", "merged_by", "merged_at", "in_charter"])
    return target


def charter_changes(previous: dict | None, content: dict) -> list[dict]:
    """What changed from the previous revision's content: entries added, removed, and fears
    whose answer or figure changed."""
    changes = []
    for section, kind in (("benefits", EntryKind.BENEFIT), ("fears", EntryKind.FEAR)):
        before = {item["entry"]: item for item in (previous or {}).get(section, [])}
        after = {item["entry"]: item for item in content.get(section, [])}
        for pk, item in after.items():
            if pk not in before:
                changes.append({"change": "added", "kind": kind, "entry": pk, "text": item["text"]})
            elif (item.get("answer"), item.get("figure")) != (
                before[pk].get("answer"),
                before[pk].get("figure"),
            ):
                changes.append({"change": "answer_changed", "kind": kind, "entry": pk, "text": item["text"]})
        for pk, item in before.items():
            if pk not in after:
                changes.append({"change": "removed", "kind": kind, "entry": pk, "text": item["text"]})
    return changes


@transaction.atomic
def charter_publish(*, actor, note: str = "") -> CharterRevision:
    """Publish the charter as the entries marked for it say now: a new revision, with who,
    when and what changed. Every fear in it needs an answer; an unchanged charter is not
    published again."""
    content = selectors.charter_content_now()
    if not content["benefits"] and not content["fears"]:
        raise ValidationError(_("Mark at least one entry for the charter before publishing it."))
    unanswered = [item["text"] for item in content["fears"] if not item["answer"]]
    if unanswered:
        raise ValidationError(
            _("Answer every fear in the charter first (say which figure will show it): %(fears)s")
            % {"fears": "; ".join(text[:60] for text in unanswered)}
        )
    # Serialise publications: the revision numbers follow each other.
    previous = CharterRevision.objects.select_for_update().order_by("-number").first()
    changes = charter_changes(previous.content if previous else None, content)
    if previous is not None and not changes:
        raise ValidationError(
            _("Nothing changed since revision %(number)s: nothing to publish.") % {"number": previous.number}
        )
    try:
        with transaction.atomic():
            return CharterRevision.objects.create(
                number=(previous.number if previous else 0) + 1,
                published_by=actor,
                content=content,
                changes=changes,
                note=note.strip(),
            )
    except IntegrityError:
        # The very first revision, published twice at the same moment: the other one stands.
        raise ValidationError(
            _("Someone published the charter at the same moment: look at it first.")
        ) from None


# --- targets --------------------------------------------------------------------------------


def _check_target_value(figure_key: str, value: float, field: str) -> None:
    figure = BY_KEY[figure_key]
    if value < 0:
        raise ValidationError({field: _("A target cannot be negative.")})
    if figure.unit == PERCENT and value > 1:
        raise ValidationError({field: _("A share cannot be above 100 %.")})


@transaction.atomic
def target_save(
    *,
    actor,
    year: int,
    figure: str,
    direction: str,
    value: float,
    owner,
    note: str = "",
    department_values: Mapping[Department, float] | None = None,
    target: Target | None = None,
) -> Target:
    """Set a yearly target (one per figure and year). Values are stored as the figures are:
    shares as fractions. Department values only for figures that exist per department."""
    if figure not in BY_KEY:
        raise ValidationError({"figure": _("Unknown figure.")})
    if direction not in ("higher", "lower"):
        raise ValidationError({"direction": _("Choose whether higher or lower is better.")})
    _check_target_value(figure, value, "value")
    department_values = dict(department_values or {})
    if department_values and not BY_KEY[figure].per_department:
        raise ValidationError(_("This figure exists for the whole company only."))
    for department, department_value in department_values.items():
        _check_target_value(figure, department_value, f"department_{department.pk}")
    duplicate = Target.objects.filter(year=year, figure=figure).exclude(pk=target.pk if target else None)
    if duplicate.exists():
        raise ValidationError(
            {"figure": _("This figure has a target for %(year)s already.") % {"year": year}}
        )
    target = target or Target(created_by=actor)
    target.year, target.figure, target.direction = year, figure, direction
    target.value, target.owner, target.note = value, owner, note.strip()
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        # Set by someone else between the check above and now (the unique key decides).
        raise ValidationError(
            {"figure": _("This figure has a target for %(year)s already.") % {"year": year}}
        ) from None
    target.department_values.exclude(department__in=list(department_values)).delete()
    for department, department_value in department_values.items():
        TargetDepartmentValue.objects.update_or_create(
            target=target, department=department, defaults={"value": department_value}
        )
    return target


def target_delete(*, target: Target) -> None:
    target.delete()


@transaction.atomic
def targets_reassign(*, target_ids: list[int], owner) -> int:
    return Target.objects.filter(pk__in=target_ids).update(owner=owner)


def monthly_actuals_record(*, months: Iterable[datetime.date], today: datetime.date | None = None) -> int:
    """Store every figure's value for these months, for the company and each department.

    Idempotent: a month's rows are replaced in one transaction. Returns the rows written.
    """
    today = today or timezone.localdate()
    department_ids = list(department_list().values_list("pk", flat=True))
    written = 0
    for first in sorted({rules.month_start(month) for month in months}):
        if first > today:
            continue
        month = actuals.month_for(first, today=today, department_ids=department_ids)
        now = timezone.now()
        rows = []
        for key, fetch in actuals.FETCHERS.items():
            for scope, value in fetch(month).items():
                rows.append(
                    MonthlyActual(
                        figure=key,
                        month=first,
                        department_id=None if scope == "all" else int(scope),
                        value=None if value is None else float(value),
                        complete=month.complete,
                        computed_at=now,
                    )
                )
        try:
            with transaction.atomic():
                MonthlyActual.objects.filter(month=first).delete()
                MonthlyActual.objects.bulk_create(rows)
        except IntegrityError:
            # Another run recorded the month at the same moment, from the same figures.
            continue
        written += len(rows)
    return written


# Months the nightly record looks back on: the current year's and the last twelve.
ACTUALS_LOOKBACK_MONTHS = 13


def monthly_actuals_refresh(*, today: datetime.date | None = None) -> int:
    """The nightly record: the month in progress, and every month of the look-back that has
    no complete record yet (last month the first night after it ended; all of them the first
    time). Returns the rows written."""
    today = today or timezone.localdate()
    wanted = set(rules.months_back(today, ACTUALS_LOOKBACK_MONTHS)) | {
        month for month in rules.months_of_year(today.year) if month <= today
    }
    complete = set(MonthlyActual.objects.filter(complete=True).values_list("month", flat=True).distinct())
    months = {month for month in wanted if month not in complete} | {rules.month_start(today)}
    return monthly_actuals_record(months=months, today=today)


# --- the programme lead --------------------------------------------------------------------


@transaction.atomic
def programme_lead_appoint(
    *, user, actor, started_on: datetime.date | None = None, note: str = ""
) -> ProgrammeLead:
    """Make ``user`` the programme lead from ``started_on`` (today); the previous lead's time
    ends the day before. The history is kept: who led the programme when."""
    started_on = started_on or timezone.localdate()
    current = ProgrammeLead.objects.select_for_update().filter(is_current=True).first()
    if current is not None:
        if current.user_id == user.pk:
            raise ValidationError(_("%(name)s leads the programme already.") % {"name": _name(user)})
        if started_on < current.started_on:
            raise ValidationError(
                {
                    "started_on": _("The new lead cannot start before the current one did (%(date)s).")
                    % {"date": formats.date_format(current.started_on, "SHORT_DATE_FORMAT")}
                }
            )
        # A lead replaced on their first day led it for that day.
        current.ended_on = max(current.started_on, started_on - datetime.timedelta(days=1))
        current.is_current = False
        current.save(update_fields=["ended_on", "is_current"])
    try:
        with transaction.atomic():
            return ProgrammeLead.objects.create(
                user=user, started_on=started_on, appointed_by=actor, note=note.strip()
            )
    except IntegrityError:
        # Two first appointments at the same moment: one current lead, the other is refused.
        raise ValidationError(
            _("Someone appointed a lead at the same moment: look at the programme page.")
        ) from None


def programme_lead_reassign(*, object_ids: list[int], successor, actor) -> int:
    """The handover: the successor leads the programme from today."""
    programme_lead_appoint(user=successor, actor=actor, note=_("Took over at a handover."))
    return len(object_ids)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


# --- the golden rules ------------------------------------------------------------------------


@transaction.atomic
def golden_rules_review_submit(
    *,
    reviewer,
    quarter: rules.Quarter,
    department: Department | None,
    scores: Mapping[str, int],
    comment: str = "",
) -> GoldenRulesReview:
    """File (or correct) a manager's review of one quarter and scope. The evidence the
    product showed is stored with the scores, so a later reading sees what they saw."""
    for rule in selectors.RULES:
        if scores.get(rule) not in (1, 2, 3, 4, 5):
            raise ValidationError({rule: _("Score each golden rule from 1 to 5.")})
    evidence = selectors.golden_rules_evidence(
        quarter=quarter, department_id=department.pk if department else None
    ).as_dict()
    review, _created = GoldenRulesReview.objects.update_or_create(
        year=quarter.year,
        quarter=quarter.number,
        reviewer=reviewer,
        department=department,
        defaults={
            **{rule: scores[rule] for rule in selectors.RULES},
            "comment": comment.strip(),
            "evidence": evidence,
            "submitted_at": timezone.now(),
        },
    )
    return review


# --- did the action work? --------------------------------------------------------------------


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def effectiveness_check_schedule(*, action: CorrectiveAction) -> EffectivenessCheck:
    """Schedule the check of a completed action (once; the action's OneToOne key decides a
    race) and say on the action when it will be measured."""
    days = int(programme_setting("PROGRAMME_EFFECTIVENESS_CHECK_DAYS"))
    completed_on = timezone.localdate(action.completed_at) if action.completed_at else timezone.localdate()
    due_on = rules.check_due_on(completed_on, days=days)
    try:
        with transaction.atomic():
            check = EffectivenessCheck.objects.create(action=action, completed_on=completed_on, due_on=due_on)
    except IntegrityError:
        return EffectivenessCheck.objects.get(action=action)
    with translation.override(language_of(action.owner_id)):
        text = _(
            "Effectiveness check on %(date)s: complaints of the same root cause and department in the "
            "%(days)s days after completion against the %(days)s days before the action."
        ) % {"date": _date(due_on), "days": days}
    complaint_services.corrective_action_note_append(action=action, text=text)
    return check


def effectiveness_check_on_completion(sender, *, action: CorrectiveAction, **kwargs) -> None:
    """Receiver of ``complaints.signals.corrective_action_completed``."""
    effectiveness_check_schedule(action=action)


def effectiveness_checks_schedule_missing() -> int:
    """Schedule the check of every done action without one (actions completed before the
    programme app, or while a receiver failed); idempotent."""
    scheduled = 0
    for action in selectors.done_actions_without_check().order_by("pk"):
        effectiveness_check_schedule(action=action)
        scheduled += 1
    return scheduled


def effectiveness_check_measure(
    *, check_id: int, today: datetime.date | None = None
) -> EffectivenessCheck | None:
    """Measure a due check: claimed with a conditional UPDATE (scheduled → measured), so two
    workers never measure one check; the result goes on the check and on the action, and
    the owner is asked (in the digest) to confirm it. None when there was nothing to claim."""
    today = today or timezone.localdate()
    with transaction.atomic():
        claimed = EffectivenessCheck.objects.filter(
            pk=check_id, status=CheckStatus.SCHEDULED, due_on__lte=today
        ).update(status=CheckStatus.MEASURED, measured_at=timezone.now())
        if not claimed:
            return None
        check = EffectivenessCheck.objects.select_related("action").get(pk=check_id)
        action = check.action
        causes, departments = selectors.action_causes_and_departments(action)
        windows = rules.effectiveness_windows(
            created_on=timezone.localdate(action.created_at),
            completed_on=check.completed_on,
            days=max(1, (check.due_on - check.completed_on).days),
        )
        before = (
            selectors.complaint_count(
                causes=causes, department_ids=departments, start=windows.before_start, end=windows.before_end
            )
            if causes
            else 0
        )
        after = (
            selectors.complaint_count(
                causes=causes, department_ids=departments, start=windows.after_start, end=windows.after_end
            )
            if causes
            else 0
        )
        months = windows.days / AVERAGE_DAYS_PER_MONTH
        ratio = poisson_rate_ratio(
            before_count=before, before_months=months, after_count=after, after_months=months
        )
        check.before_start, check.before_end = windows.before_start, windows.before_end
        check.after_start, check.after_end = windows.after_start, windows.after_end
        check.root_causes, check.department_ids = causes, departments
        check.before_count, check.after_count = before, after
        check.unclassified_after = selectors.unclassified_count(
            department_ids=departments, start=windows.after_start, end=windows.after_end
        )
        check.rate_before, check.rate_after = ratio.before_rate, ratio.after_rate
        check.ratio, check.ratio_low, check.ratio_high = ratio.ratio, ratio.low, ratio.high
        check.verdict = rules.effectiveness_verdict(
            has_basis=bool(causes), total=before + after, low=ratio.low, high=ratio.high
        )
        check.save()
        with translation.override(language_of(action.owner_id)):
            text = effectiveness_result_text(check)
        complaint_services.corrective_action_note_append(action=action, text=text)
    return check


def effectiveness_result_text(check: EffectivenessCheck) -> str:
    """The measured result in one paragraph, in the active language."""
    if check.verdict == Verdict.NO_BASIS:
        return _(
            "Effectiveness check (%(date)s): none of the action's complaints has a root cause, so there "
            "is nothing to count. Waiting for the owner's verdict."
        ) % {"date": _date(check.due_on)}
    causes = ", ".join(str(RootCause(cause).label) for cause in check.root_causes)
    text = _(
        "Effectiveness check (%(date)s): complaints with root cause %(causes)s: %(before)s in the %(days)s "
        "days before the action, %(after)s in the %(days)s days after its completion."
    ) % {
        "date": _date(check.due_on),
        "causes": causes,
        "before": check.before_count,
        "after": check.after_count,
        "days": (check.after_end - check.after_start).days + 1,
    }
    if check.ratio is not None:
        text += " " + _("Rate ratio %(ratio)s (95 %% interval %(low)s–%(high)s).") % {
            "ratio": formats.number_format(check.ratio, 2),
            "low": formats.number_format(check.ratio_low or 0, 2),
            "high": "∞" if check.ratio_high is None else formats.number_format(check.ratio_high, 2),
        }
    text += " " + _("Result: %(verdict)s. Waiting for the owner's verdict.") % {
        "verdict": Verdict(check.verdict).label
    }
    return text


def effectiveness_checks_run(*, today: datetime.date | None = None) -> int:
    """The daily job: schedule what is missing, measure what is due. Returns checks measured."""
    today = today or timezone.localdate()
    effectiveness_checks_schedule_missing()
    return sum(
        1
        for check_id in selectors.checks_due(today=today)
        if effectiveness_check_measure(check_id=check_id, today=today)
    )


@transaction.atomic
def effectiveness_check_confirm(
    *,
    check: EffectivenessCheck,
    actor,
    outcome: str,
    comment: str = "",
    follow_up_description: str = "",
    follow_up_owner=None,
    follow_up_due_on: datetime.date | None = None,
) -> EffectivenessCheck:
    """The owner's (or a manager's) verdict on a measured check. "Not effective" reopens the
    action as a new one (same kind, complaints, standard or course) through the complaints
    services; the verdict is added to the action's effectiveness note."""
    check = EffectivenessCheck.objects.select_for_update().select_related("action").get(pk=check.pk)
    if check.status != CheckStatus.MEASURED:
        raise ValidationError(_("This check is not waiting for a verdict."))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Say whether the action was effective.")})
    action = check.action
    follow_up = None
    if outcome == Outcome.NOT_EFFECTIVE:
        if follow_up_owner is None or follow_up_due_on is None:
            raise ValidationError(_("Give the new action an owner and a due date."))
        description = follow_up_description.strip() or action.description
        follow_up = complaint_services.corrective_action_create(
            created_by=actor,
            kind=action.kind,
            description=description,
            owner=follow_up_owner,
            due_on=follow_up_due_on,
            complaints=list(action.complaints.all()),
            standard=action.standard,
            course=action.course,
        )
    check.status, check.outcome, check.comment = CheckStatus.CONFIRMED, outcome, comment.strip()
    check.confirmed_by, check.confirmed_at, check.follow_up_action = actor, timezone.now(), follow_up
    check.save(
        update_fields=["status", "outcome", "comment", "confirmed_by", "confirmed_at", "follow_up_action"]
    )
    with translation.override(language_of(action.owner_id)):
        if follow_up is None:
            text = _("Confirmed effective by %(name)s on %(date)s.")
        else:
            text = _("Confirmed not effective by %(name)s on %(date)s; reopened as action #%(number)s.")
        text = text % {
            "name": _name(actor),
            "date": _date(timezone.localdate()),
            "number": follow_up and follow_up.pk,
        }
        if check.comment:
            text += " " + check.comment
    complaint_services.corrective_action_note_append(action=action, text=text)
    return check


def effectiveness_confirmations_reassign(*, object_ids: list[int], successor, actor) -> int:
    """The handover: the actions whose checks wait for a verdict get a new owner."""
    action_ids = list(
        EffectivenessCheck.objects.filter(pk__in=object_ids).values_list("action_id", flat=True)
    )
    return complaint_services.corrective_actions_reassign(action_ids=action_ids, owner=successor)


# --- the management review --------------------------------------------------------------------


@transaction.atomic
def management_decision_record(
    *,
    actor,
    quarter: rules.Quarter,
    text: str,
    action_kind: str = "",
    action_owner=None,
    action_due_on: datetime.date | None = None,
    action_standard=None,
) -> ManagementDecision:
    """Record a decision of the quarter's review; with a kind, owner and due date it becomes
    a corrective action at once."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the decision down.")})
    action = None
    if action_kind:
        if action_owner is None or action_due_on is None:
            raise ValidationError(_("A decision that becomes an action needs an owner and a due date."))
        action = complaint_services.corrective_action_create(
            created_by=actor,
            kind=action_kind,
            description=text,
            owner=action_owner,
            due_on=action_due_on,
            standard=action_standard,
        )
    return ManagementDecision.objects.create(
        year=quarter.year, quarter=quarter.number, text=text, decided_by=actor, action=action
    )
