"""Reads of the programme, for its pages, the weekly report, the summary API and the home page.

Public API used elsewhere (keep these signatures stable): :func:`target_progress_in_scope`
(the report section and ``summary.json``'s ``targets``), :func:`home_panels`.

Every page reads stored rows (monthly actuals, checks, reviews) in a fixed number of
queries, whatever the number of complaints, customers or employees.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from common.dates import day_range
from common.programme import programme_setting
from complaints import selectors as complaints
from complaints.models import OPEN_ACTION_STATUSES, ActionStatus, Complaint, ComplaintEvent, CorrectiveAction
from people.home import HomePanel
from people.roles import MANAGER, has_role
from people.selectors import role_user_ids
from programme import rules
from programme.figures import BY_KEY, FIGURES, ProgrammeFigure
from programme.models import (
    CharterEntry,
    CharterRevision,
    CharterSupport,
    CheckStatus,
    EffectivenessCheck,
    GoldenRule,
    GoldenRulesReview,
    ManagementDecision,
    MonthlyActual,
    ProgrammeLead,
    Target,
    TargetDepartmentValue,
)
from standards import selectors as standards
from training import selectors as training

# --- the charter ---------------------------------------------------------------------------


def current_charter() -> CharterRevision | None:
    return CharterRevision.objects.select_related("published_by").order_by("-number").first()


def charter_revisions() -> QuerySet[CharterRevision]:
    return CharterRevision.objects.select_related("published_by").order_by("-number")


def charter_revision(number: int) -> CharterRevision | None:
    return charter_revisions().filter(number=number).first()


def brainstorm_entries(*, user, kind: str | None = None) -> QuerySet[CharterEntry]:
    """Open entries (not merged), most supported first, each with ``support_count``,
    ``merged_count`` and whether ``user`` supports it (``supported``): one query."""
    qs = (
        CharterEntry.objects.filter(merged_into__isnull=True)
        .select_related("author")
        .annotate(
            support_count=Count("supports", distinct=True),
            merged_count=Count("merged_entries", distinct=True),
            supported=Exists(CharterSupport.objects.filter(entry=OuterRef("pk"), user=user)),
        )
        .order_by("-support_count", "created_at", "pk")
    )
    return qs.filter(kind=kind) if kind else qs


def charter_entry(pk: int) -> CharterEntry | None:
    return (
        CharterEntry.objects.select_related("author", "merged_into")
        .annotate(support_count=Count("supports", distinct=True))
        .filter(pk=pk)
        .first()
    )


def merge_targets(entry: CharterEntry) -> QuerySet[CharterEntry]:
    """The open entries of the same kind ``entry`` may be merged into."""
    return CharterEntry.objects.filter(kind=entry.kind, merged_into__isnull=True).exclude(pk=entry.pk)


def charter_content_now() -> dict:
    """What a charter published now would say: the open entries marked for it (one query)."""
    entries = (
        CharterEntry.objects.filter(in_charter=True, merged_into__isnull=True)
        .annotate(support_count=Count("supports", distinct=True))
        .order_by("-support_count", "created_at", "pk")
    )
    content: dict[str, list] = {"benefits": [], "fears": []}
    for entry in entries:
        item = {"entry": entry.pk, "text": entry.text, "supporters": entry.support_count}
        if entry.kind == "fear":
            item |= {"answer": entry.answer, "figure": entry.answer_figure}
            content["fears"].append(item)
        else:
            content["benefits"].append(item)
    return content


# --- targets and progress --------------------------------------------------------------------


@dataclass
class ScopeProgress:
    """A target's progress for the company or one department."""

    department_id: int | None
    department_name: str
    target_value: float
    months: list[tuple[datetime.date, float | None, bool]]
    judged: float | None
    status: str

    @property
    def latest(self) -> tuple[datetime.date, float | None] | None:
        for month, value, _complete in reversed(self.months):
            if value is not None:
                return month, value
        return None


@dataclass
class TargetProgress:
    target: Target
    figure: ProgrammeFigure
    company: ScopeProgress
    departments: list[ScopeProgress] = field(default_factory=list)

    @property
    def scopes(self) -> list[ScopeProgress]:
        return [self.company, *self.departments]

    def scope(self, department_id: int | None) -> ScopeProgress:
        """The department's progress where it has its own value, else the company's."""
        for row in self.departments:
            if row.department_id == department_id:
                return row
        return self.company


@dataclass(frozen=True)
class DepartmentDigest:
    """What the programme page shows of one target's departments, so that the page does not
    grow with the company: how many are in each status, and the first ``limit`` of those off
    track, then at risk; every department month by month is on the target's own page."""

    total: int
    counts: dict[str, int]
    shown: list[ScopeProgress]
    not_shown: int


def department_digest(progress: TargetProgress, *, limit: int) -> DepartmentDigest:
    counts = dict.fromkeys(rules.STATUSES, 0)
    for row in progress.departments:
        counts[row.status] += 1
    attention = sorted(
        (row for row in progress.departments if row.status in rules.NEEDS_ATTENTION),
        key=lambda row: (rules.NEEDS_ATTENTION.index(row.status), row.department_name.casefold()),
    )
    return DepartmentDigest(
        total=len(progress.departments),
        counts=counts,
        shown=attention[:limit],
        not_shown=max(len(attention) - limit, 0),
    )


def targets() -> QuerySet[Target]:
    return Target.objects.select_related("owner").prefetch_related("department_values__department")


def targets_for_year(year: int) -> QuerySet[Target]:
    """The targets of ``year`` with their owners (not their department values)."""
    return Target.objects.select_related("owner").filter(year=year).order_by("figure")


def target_progress(*, year: int, today: datetime.date | None = None) -> list[TargetProgress]:
    """Every target of ``year`` with its monthly actuals and status (three queries), in the
    order of the figures. Months after ``today`` are left out."""
    return _progress_of(list(targets_for_year(year)), year=year, today=today or timezone.localdate())


def target_progress_in_scope(
    *, year: int, department_id: int | None = None, today: datetime.date | None = None
) -> list[TargetProgress]:
    """Every target of ``year`` with the company's monthly actuals and status and, given a
    ``department_id``, that department's (where it has a value of its own): what a page,
    report or summary about the company or one department reads (the home panel, the
    review pack, the reminders, the weekly report, ``summary.json``). Two queries for the
    company, three with a department, whatever the number of departments;
    ``item.scope(department_id)`` is the row to show."""
    return _progress_of(
        list(targets_for_year(year)),
        year=year,
        today=today or timezone.localdate(),
        department_ids=[] if department_id is None else [department_id],
    )


def target_progress_of(pk: int, *, today: datetime.date | None = None) -> TargetProgress | None:
    """One target's progress (its chart, its departments month by month), or None if there
    is no such target; three queries whatever the number of departments."""
    target = Target.objects.select_related("owner").filter(pk=pk).first()
    if target is None:
        return None
    [progress] = _progress_of([target], year=target.year, today=today or timezone.localdate())
    return progress


def _progress_of(
    targets: list[Target], *, year: int, today: datetime.date, department_ids: list[int] | None = None
) -> list[TargetProgress]:
    """The progress of ``targets`` for the company and the departments of ``department_ids``
    that have a value of their own (None: every department; []: the company alone)."""
    if not targets:
        return []
    months = [month for month in rules.months_of_year(year) if month <= today]
    # (figure, department) → month → (value, complete): plain tuples, as many as there are
    # departments × months, so no model instance is built per row.
    actuals: dict[tuple[str, int | None], dict[datetime.date, tuple[float | None, bool]]] = defaultdict(dict)
    rows = MonthlyActual.objects.filter(
        figure__in=[target.figure for target in targets],
        month__gte=datetime.date(year, 1, 1),
        month__lte=datetime.date(year, 12, 1),
    )
    if department_ids == []:
        rows = rows.filter(department__isnull=True)
    elif department_ids is not None:
        rows = rows.filter(Q(department__isnull=True) | Q(department_id__in=department_ids))
    for figure, department_id, month, value, complete in rows.order_by().values_list(
        "figure", "department_id", "month", "value", "complete"
    ):
        actuals[(figure, department_id)][month] = (value, complete)
    # target → its departments' (id, name, value), by name: tuples, as many as departments.
    department_values: dict[int, list[tuple[int, str, float]]] = defaultdict(list)
    if department_ids != []:
        values = TargetDepartmentValue.objects.filter(target__in=[target.pk for target in targets])
        if department_ids is not None:
            values = values.filter(department_id__in=department_ids)
        for target_id, department_id, name, value in values.values_list(
            "target_id", "department_id", "department__name", "value"
        ):
            department_values[target_id].append((department_id, name, value))
    status_months = int(programme_setting("PROGRAMME_TARGET_STATUS_MONTHS"))
    margin = float(programme_setting("PROGRAMME_TARGET_AT_RISK_MARGIN"))

    def scope(target: Target, department_id: int | None, name: str, value: float) -> ScopeProgress:
        rows = actuals.get((target.figure, department_id), {})
        series = [(month, *rows.get(month, (None, False))) for month in months]
        figure = BY_KEY[target.figure]
        judged = rules.judged_value(figure, series, status_months=status_months)
        status = rules.target_status(judged, target=value, direction=target.direction, margin=margin)
        return ScopeProgress(department_id, name, value, series, judged, status)

    order = {item.key: position for position, item in enumerate(FIGURES)}
    progress = []
    for target in sorted(targets, key=lambda t: order.get(t.figure, len(order))):
        progress.append(
            TargetProgress(
                target=target,
                figure=BY_KEY[target.figure],
                company=scope(target, None, _("Whole company"), target.value),
                departments=[
                    scope(target, department_id, name, value)
                    for department_id, name, value in department_values[target.pk]
                ],
            )
        )
    return progress


def status_counts(progress: list[TargetProgress]) -> dict[str, int]:
    counts = dict.fromkeys(rules.STATUSES, 0)
    for item in progress:
        counts[item.company.status] += 1
    return counts


def actuals_recorded_at() -> datetime.datetime | None:
    return MonthlyActual.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()


# --- who leads the programme --------------------------------------------------------------------


def programme_leads() -> QuerySet[ProgrammeLead]:
    return ProgrammeLead.objects.select_related("user", "appointed_by").order_by("-started_on", "-pk")


def current_lead() -> ProgrammeLead | None:
    return ProgrammeLead.objects.select_related("user").filter(is_current=True).first()


# --- the golden rules ----------------------------------------------------------------------------

RULES = [rule.value for rule in GoldenRule]


@dataclass(frozen=True)
class Evidence:
    """What the product knows about each golden rule for a quarter and scope (fractions, days)."""

    product_share: float | None
    complaints_classified: int
    stale_share: float | None
    stale_standards: int
    published_standards: int
    promise_kept: float | None
    response_days: float | None
    resolution_days: float | None

    def as_dict(self) -> dict:
        return dict(vars(self))


def first_response_median_days(
    *, start: datetime.date, end: datetime.date, department_id: int | None
) -> float | None:
    """Median days from receipt to the first change of status (taken into work, or resolved)
    of the complaints received in the period: how fast the company answers (two queries)."""
    lower, upper = day_range(start, end)
    received = Complaint.objects.filter(received_at__gte=lower, received_at__lt=upper)
    if department_id:
        received = received.filter(department_id=department_id)
    first_moves = (
        ComplaintEvent.objects.filter(complaint__in=received, kind="status")
        .values("complaint_id")
        .annotate(first=Min("at"), received=F("complaint__received_at"))
        .values_list("first", "received")
    )
    durations = sorted((first - received).total_seconds() / 86400 for first, received in first_moves)
    if not durations:
        return None
    middle = len(durations) // 2
    if len(durations) % 2:
        return durations[middle]
    return (durations[middle - 1] + durations[middle]) / 2


def golden_rules_evidence(*, quarter: rules.Quarter, department_id: int | None) -> Evidence:
    """The evidence pre-filled next to each golden rule: the share of complaints with a
    product cause, the share of stale standards (company-wide: standards span departments),
    promises kept, and the complaint response and resolution times (medians)."""
    start, end = quarter.start, min(quarter.end, timezone.localdate())
    causes = complaints.root_cause_counts(start=start, end=end, department_id=department_id)
    classified = sum(causes.values())
    published = standards.published_standards().count()
    stale = standards.stale_standard_count()
    resolution = complaints.median_time_to_resolution(start=start, end=end, department_id=department_id)
    return Evidence(
        product_share=causes.get("products", 0) / classified if classified else None,
        complaints_classified=classified,
        stale_share=stale / published if published else None,
        stale_standards=stale,
        published_standards=published,
        promise_kept=complaints.on_time_promise_rate(start=start, end=end, department_id=department_id),
        response_days=first_response_median_days(start=start, end=end, department_id=department_id),
        resolution_days=None if resolution is None else resolution.total_seconds() / 86400,
    )


def golden_rules_reviews(*, quarter: rules.Quarter) -> QuerySet[GoldenRulesReview]:
    return (
        GoldenRulesReview.objects.filter(year=quarter.year, quarter=quarter.number)
        .select_related("department", "reviewer")
        .order_by(F("department__name").asc(nulls_first=True), "reviewer__last_name")
    )


def golden_rules_review_of(*, reviewer, quarter: rules.Quarter, department_id: int | None):
    return GoldenRulesReview.objects.filter(
        year=quarter.year, quarter=quarter.number, reviewer=reviewer, department_id=department_id
    ).first()


@dataclass
class ReviewHistoryRow:
    quarter: rules.Quarter
    # scope key ("all" or department id) → {rule: mean score}
    cells: dict[str, dict[str, float]]


def golden_rules_history(*, quarters: int = 8, today: datetime.date | None = None) -> tuple[list, list]:
    """The mean score per rule, per scope and quarter, for the last ``quarters`` quarters
    (one query). Returns (scopes [(key, name)], rows newest first)."""
    today = today or timezone.localdate()
    newest = rules.Quarter.of(today)
    wanted = [newest]
    while len(wanted) < quarters:
        wanted.append(wanted[-1].previous)
    condition = Q()
    for quarter in wanted:
        condition |= Q(year=quarter.year, quarter=quarter.number)
    sums: dict[tuple[rules.Quarter, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}
    for review in GoldenRulesReview.objects.filter(condition).select_related("department"):
        key = str(review.department_id) if review.department_id else "all"
        names[key] = review.department.name if review.department else _("Whole company")
        for rule in RULES:
            sums[(rules.Quarter(review.year, review.quarter), key)][rule].append(review.score(rule))
    scopes = sorted(names.items(), key=lambda item: (item[0] != "all", item[1]))
    rows = []
    for quarter in wanted:
        cells = {
            key: {rule: sum(scores) / len(scores) for rule, scores in sums[(quarter, key)].items()}
            for key, _name in scopes
            if (quarter, key) in sums
        }
        rows.append(ReviewHistoryRow(quarter, cells))
    return scopes, rows


def managers_without_review(*, quarter: rules.Quarter) -> list[int]:
    """Ids of active managers who filed no golden-rules review for ``quarter`` (two queries)."""
    filed = set(
        GoldenRulesReview.objects.filter(year=quarter.year, quarter=quarter.number).values_list(
            "reviewer_id", flat=True
        )
    )
    return [user_id for user_id in role_user_ids(MANAGER) if user_id not in filed]


# --- did the action work? ----------------------------------------------------------------------


def complaint_count(
    *, causes: list[str], department_ids: list[int], start: datetime.date, end: datetime.date
) -> int:
    """Complaints received in the period with one of ``causes`` (in ``department_ids`` when any)."""
    lower, upper = day_range(start, end)
    qs = Complaint.objects.filter(received_at__gte=lower, received_at__lt=upper, root_cause__in=causes)
    if department_ids:
        qs = qs.filter(department_id__in=department_ids)
    return qs.count()


def unclassified_count(*, department_ids: list[int], start: datetime.date, end: datetime.date) -> int:
    """Complaints received in the period (in ``department_ids`` when any) with no root cause yet."""
    lower, upper = day_range(start, end)
    qs = Complaint.objects.filter(received_at__gte=lower, received_at__lt=upper, root_cause="")
    if department_ids:
        qs = qs.filter(department_id__in=department_ids)
    return qs.count()


def action_causes_and_departments(action: CorrectiveAction) -> tuple[list[str], list[int]]:
    """The root causes and departments of the complaints behind an action (one query)."""
    rows = list(action.complaints.values_list("root_cause", "department_id"))
    causes = sorted({cause for cause, _department in rows if cause})
    departments = sorted({department for _cause, department in rows if department})
    return causes, departments


def effectiveness_checks(*, status: str = "") -> QuerySet[EffectivenessCheck]:
    qs = EffectivenessCheck.objects.select_related(
        "action", "action__owner", "confirmed_by", "follow_up_action"
    ).order_by("-due_on", "-pk")
    return qs.filter(status=status) if status else qs


def effectiveness_check(pk: int) -> EffectivenessCheck | None:
    return (
        EffectivenessCheck.objects.select_related(
            "action", "action__owner", "confirmed_by", "follow_up_action"
        )
        .filter(pk=pk)
        .first()
    )


def checks_awaiting(*, user) -> QuerySet[EffectivenessCheck]:
    """Measured checks of ``user``'s actions that wait for their verdict."""
    return (
        EffectivenessCheck.objects.filter(status=CheckStatus.MEASURED, action__owner=user)
        .select_related("action")
        .order_by("due_on", "pk")
    )


def done_actions_without_check() -> QuerySet[CorrectiveAction]:
    return CorrectiveAction.objects.filter(status=ActionStatus.DONE, effectiveness_check__isnull=True)


def checks_due(*, today: datetime.date) -> list[int]:
    return list(
        EffectivenessCheck.objects.filter(status=CheckStatus.SCHEDULED, due_on__lte=today)
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )


def checks_awaiting_all() -> QuerySet[EffectivenessCheck]:
    return (
        EffectivenessCheck.objects.filter(status=CheckStatus.MEASURED)
        .select_related("action", "action__owner")
        .order_by("due_on", "pk")
    )


# --- the management review pack -----------------------------------------------------------------


@dataclass
class ReviewPack:
    quarter: rules.Quarter
    progress: list[TargetProgress]
    analysis: complaints.ComplaintAnalysis
    actions_created: int
    actions_completed: int
    actions_open: int
    actions_past_due: int
    checks: list[EffectivenessCheck]
    stale_standards: int
    published_standards: int
    ack_coverage: int | None
    training_compliance: float | None
    reviews: list[GoldenRulesReview]
    decisions: list[ManagementDecision]

    @property
    def target_rows(self) -> list[tuple[TargetProgress, list[float | None]]]:
        """Each target with the company's value in each month of the quarter."""
        rows = []
        for item in self.progress:
            values = {month: value for month, value, _complete in item.company.months}
            rows.append((item, [values.get(month) for month in self.quarter.months]))
        return rows


def review_pack(*, quarter: rules.Quarter, today: datetime.date | None = None) -> ReviewPack:
    """Everything the quarterly management review looks at (ISO 9001 §9.3, ISO 10002 §8.7):
    targets against actuals, complaints against the theory bands, the corrective actions and
    whether they worked, standards and training, the golden-rules scores and the decisions.
    A fixed number of queries whatever the size of the data."""
    today = today or timezone.localdate()
    start, end = quarter.start, min(quarter.end, today)
    lower, upper = day_range(start, quarter.end)
    actions = CorrectiveAction.objects.aggregate(
        created=Count("id", filter=Q(created_at__gte=lower, created_at__lt=upper)),
        completed=Count(
            "id", filter=Q(completed_at__gte=lower, completed_at__lt=upper, status=ActionStatus.DONE)
        ),
        open=Count("id", filter=Q(status__in=OPEN_ACTION_STATUSES)),
        past_due=Count("id", filter=Q(status__in=OPEN_ACTION_STATUSES, due_on__lt=today)),
    )
    checks = list(
        effectiveness_checks().filter(
            Q(measured_at__gte=lower, measured_at__lt=upper) | Q(due_on__gte=start, due_on__lte=quarter.end)
        )
    )
    return ReviewPack(
        quarter=quarter,
        progress=target_progress_in_scope(year=quarter.year, today=min(quarter.end, today)),
        analysis=complaints.complaint_analysis(start=start, end=end),
        actions_created=actions["created"],
        actions_completed=actions["completed"],
        actions_open=actions["open"],
        actions_past_due=actions["past_due"],
        checks=checks,
        stale_standards=standards.stale_standard_count(today=today),
        published_standards=standards.published_standards().count(),
        ack_coverage=standards.acknowledgement_coverage().percent,
        # Today's compliance from the stored standings (one grouped count), not the rule
        # applied to every person again: the pack's figure is "where we stand now".
        training_compliance=training.stored_compliance().summary.percent,
        reviews=list(golden_rules_reviews(quarter=quarter)),
        decisions=list(
            ManagementDecision.objects.filter(year=quarter.year, quarter=quarter.number).select_related(
                "decided_by", "action", "action__owner"
            )
        ),
    )


# --- home -------------------------------------------------------------------------------------


def home_panels(user) -> list[HomePanel]:
    """Everyone: the charter. Action owners: checks waiting for their verdict. Managers: the
    year's targets and a golden-rules review that is due."""
    panels = [
        HomePanel(
            title=_("Why we do this: the programme charter"),
            template="programme/snippets/panel_charter.html",
            context={"charter": current_charter(), "can_manage": has_role(user, MANAGER)},
            priority=-20,
        )
    ]
    awaiting = list(checks_awaiting(user=user)[:5])
    if awaiting:
        panels.append(
            HomePanel(
                title=_("Did it work? Your actions' effectiveness checks"),
                template="programme/snippets/panel_checks.html",
                context={"checks": awaiting},
                priority=15,
            )
        )
    if has_role(user, MANAGER):
        today = timezone.localdate()
        progress = target_progress_in_scope(year=today.year, today=today)
        quarter = rules.quarter_to_review(
            today, grace_days=int(programme_setting("PROGRAMME_REVIEW_GRACE_DAYS"))
        )
        review_due = (
            quarter is not None
            and not GoldenRulesReview.objects.filter(
                year=quarter.year, quarter=quarter.number, reviewer=user
            ).exists()
        )
        panels.append(
            HomePanel(
                title=_("This year's targets"),
                template="programme/snippets/panel_targets.html",
                context={
                    "counts": status_counts(progress),
                    "off_track": [item for item in progress if item.company.status == rules.OFF_TRACK][:5],
                    "year": today.year,
                    "review_quarter": quarter if review_due else None,
                    "review_due_on": rules.review_due_on(
                        quarter, grace_days=int(programme_setting("PROGRAMME_REVIEW_GRACE_DAYS"))
                    )
                    if review_due
                    else None,
                },
                priority=5,
            )
        )
    return panels


# --- summary.json ----------------------------------------------------------------------------


def summary_targets(*, snapshot=None, period: str = "", department_id: int | None = None) -> list[dict]:
    """``targets`` of ``/metrics/api/summary.json``: this year's targets with the latest
    actual and the status (a department's own value where it has one; see docs/metrics.md)."""
    today = timezone.localdate()
    progress = target_progress_in_scope(year=today.year, department_id=department_id, today=today)
    rows = []
    for item in progress:
        scope = item.scope(department_id)
        latest = scope.latest
        rows.append(
            {
                "figure": item.figure.key,
                "label": item.figure.label,
                "unit": item.figure.unit,
                "year": item.target.year,
                "direction": item.target.direction,
                "department_id": scope.department_id,
                "target": scope.target_value,
                "judged_value": scope.judged,
                "latest_month": latest[0].isoformat() if latest else None,
                "latest_value": latest[1] if latest else None,
                "status": scope.status,
            }
        )
    return rows
