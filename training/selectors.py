"""Reads of the training app: who stands where under the rule, sessions, conflicts.

Other apps (the reminders and the weekly report) read training only through the
functions here. Everything that covers many employees runs a fixed number of
queries: the attended sessions are aggregated per employee in the database
(``Max``/``Count`` with filters) and the rule (``training.rules``) runs in Python
on those few dates per person.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from common.dates import start_of_day
from common.versioned_cache import cache_forget, cached_in
from people.home import HomePanel
from people.models import Department, Employee, Position
from people.roles import HR, MANAGER, has_role
from people.selectors import employee_for_user
from standards.selectors import MajorVersionCatalogue, major_version_catalogue
from training import rules
from training.models import (
    BOOKED,
    SEAT_HOLDING,
    CalendarFeed,
    Course,
    Enrolment,
    EnrolmentStatus,
    Session,
    SessionStatus,
    TrainingStanding,
)
from training.rules import Period, TrainingPolicy, TrainingStatus

# --- time helpers -----------------------------------------------------------------


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _in_period(period: Period, prefix: str = "training_enrolments__") -> Q:
    return Q(
        **{
            f"{prefix}session__starts_at__gte": start_of_day(period.start),
            f"{prefix}session__starts_at__lt": start_of_day(period.end + datetime.timedelta(days=1)),
        }
    )


def counted(prefix: str = "") -> Q:
    """Enrolments that count for the rule: attended, in a session that was not
    cancelled, of a course that counts toward the rule."""
    return Q(
        **{
            f"{prefix}status": EnrolmentStatus.ATTENDED,
            f"{prefix}session__course__counts_toward_rule": True,
        }
    ) & ~Q(**{f"{prefix}session__status": SessionStatus.CANCELLED})


# --- per-employee status ------------------------------------------------------------


@dataclass
class EmployeeStanding:
    """One employee, their status under the rule and their next booked session."""

    employee: Employee
    status: TrainingStatus
    next_session_at: datetime.datetime | None = None
    standards_changed: list = field(default_factory=list)

    @property
    def is_booked(self) -> bool:
        return self.next_session_at is not None


def _annotate_standing(qs: QuerySet[Employee], *, today: datetime.date, policy: TrainingPolicy) -> QuerySet:
    rel = "training_enrolments__"
    is_counted = counted(rel) & Q(
        **{f"{rel}session__starts_at__lt": start_of_day(today + datetime.timedelta(1))}
    )
    current = rules.period_of(today, policy)
    previous = rules.previous_period(current)
    year_ago = start_of_day(rules.one_year_before(today) + datetime.timedelta(days=1))
    return qs.annotate(
        last_trained_at=Max(f"{rel}session__starts_at", filter=is_counted),
        current_trained_at=Max(f"{rel}session__starts_at", filter=is_counted & _in_period(current)),
        previous_trained_at=Max(f"{rel}session__starts_at", filter=is_counted & _in_period(previous)),
        count_last_12_months=Count(
            f"{rel}id", filter=is_counted & Q(**{f"{rel}session__starts_at__gte": year_ago})
        ),
        next_session_at=Min(
            f"{rel}session__starts_at",
            filter=Q(
                **{
                    f"{rel}status__in": BOOKED,
                    f"{rel}session__status": SessionStatus.PLANNED,
                    f"{rel}session__starts_at__gte": timezone.now(),
                }
            ),
        ),
    )


def _standing(
    employee: Employee, *, today: datetime.date, policy: TrainingPolicy, zone: datetime.tzinfo | None = None
) -> EmployeeStanding:
    zone = zone or timezone.get_current_timezone()
    days = [
        moment.astimezone(zone).date()
        for moment in (employee.last_trained_at, employee.current_trained_at, employee.previous_trained_at)
        if moment is not None
    ]
    status = rules.training_status(
        hired_on=employee.hired_on,
        left_on=employee.left_on,
        customer_facing=employee.customer_facing,
        trained_on=days,
        today=today,
        policy=policy,
        count_last_12_months=employee.count_last_12_months,
    )
    return EmployeeStanding(employee=employee, status=status, next_session_at=employee.next_session_at)


# What the lists show of each person; the rest of the user row (password hash,
# dates) is not loaded for thousands of people.
STANDING_FIELDS = (
    "hired_on",
    "left_on",
    "customer_facing",
    "language",
    "department_id",
    "position_id",
    "user__is_active",
    "user__username",
    "user__first_name",
    "user__last_name",
    "user__email",
)


def employee_standings(
    *,
    employees: QuerySet[Employee] | None = None,
    department_ids: list[int] | None = None,
    today: datetime.date | None = None,
    policy: TrainingPolicy | None = None,
) -> list[EmployeeStanding]:
    """Every active customer-facing employee (of ``department_ids`` if given) with
    their rule status, in one query whatever their number.

    Pass ``employees`` to narrow the set further (it is filtered to active
    customer-facing people as well).
    """
    today = today or timezone.localdate()
    policy = policy or TrainingPolicy.from_settings()
    qs = employees if employees is not None else Employee.objects.all()
    qs = qs.active(today).customer_facing().select_related("user").only(*STANDING_FIELDS)
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    # A few dozen departments and positions are shared by thousands of people: load
    # each once instead of one model instance per person.
    departments = {d.pk: d for d in Department.objects.all()}
    positions = {p.pk: p for p in Position.objects.all()}
    # Read the zone once: each lookup goes through a context-local and adds up over thousands.
    zone = timezone.get_current_timezone()
    standings = []
    for employee in _annotate_standing(qs, today=today, policy=policy):
        employee.department = departments.get(employee.department_id)
        employee.position = positions.get(employee.position_id)
        standings.append(_standing(employee, today=today, policy=policy, zone=zone))
    return standings


def employee_training_status(
    employee: Employee, *, today: datetime.date | None = None, policy: TrainingPolicy | None = None
) -> TrainingStatus:
    """One employee's status under the rule (``exempt`` for leavers and back-office staff)."""
    today = today or timezone.localdate()
    policy = policy or TrainingPolicy.from_settings()
    annotated = _annotate_standing(Employee.objects.filter(pk=employee.pk), today=today, policy=policy).get()
    return _standing(annotated, today=today, policy=policy).status


def employees_needing_training(
    *,
    within_days: int | None = None,
    department_ids: list[int] | None = None,
    today: datetime.date | None = None,
    policy: TrainingPolicy | None = None,
) -> list[EmployeeStanding]:
    """Employees who are overdue, never trained, or due within ``within_days``
    (default: the policy's due-soon window), most urgent first.

    This is the list for reminders ("you are due"), HR ("who is due") and the weekly
    report ("who is overdue"); each standing carries ``status.due_on`` and the next
    booked session (``next_session_at``) if any.
    """
    today = today or timezone.localdate()
    policy = policy or TrainingPolicy.from_settings()
    horizon = today + datetime.timedelta(days=policy.due_soon_days if within_days is None else within_days)
    standings = employee_standings(department_ids=department_ids, today=today, policy=policy)
    due = [
        s
        for s in standings
        if s.status.status == rules.OVERDUE or (s.status.needs_training and s.status.due_on <= horizon)
    ]
    return sorted(due, key=urgency)


def needing_training(standings: list[EmployeeStanding]) -> list[EmployeeStanding]:
    """Of already computed standings, those who need training (any horizon), most urgent first."""
    return sorted((s for s in standings if s.status.needs_training), key=urgency)


def urgency(standing: EmployeeStanding) -> tuple:
    """Sort key: status (overdue first), then due date, then name."""
    return (
        rules.STATUS_ORDER.index(standing.status.status),
        standing.status.due_on or datetime.date.max,
        standing.employee.full_name,
    )


# --- the HR planner ----------------------------------------------------------------------


@dataclass
class PlannerGroup:
    department: Department | None
    standings: list[EmployeeStanding]


# About 1 KB of HTML a row: 50 rows keep the page near 55 KB whatever the company's size
# (the budget is 100 KB; 100 rows made 104 KB at 5,000 employees).
PLANNER_PAGE_SIZE = 50


@dataclass
class Planner:
    """Who needs training before when, grouped by department, and the course to offer:
    one page of the people listed (``groups``), ``count`` of them in all."""

    horizon: datetime.date
    groups: list[PlannerGroup]
    count: int = 0
    page: Page | None = None
    suggested_course: Course | None = None
    # How many of the listed people's changed standards the suggested course covers.
    suggested_covers: int = 0


def _refresher_due(standings: QuerySet[TrainingStanding], catalogue: MajorVersionCatalogue) -> Q:
    """Who a revised standard (a new major version, 2.0 or later, of a standard that
    applies to them) has made due for a refresher since their last training (or hire).

    The revisions are matched once per (department, position) group, never per person:
    each group's latest revision date becomes one condition on the stored dates."""
    groups = standings.order_by().values_list("department_id", "position_id").distinct()
    due = Q(pk__in=[])
    for (department_id, position_id), revised_on in catalogue.latest_revisions(groups).items():
        # ``department_id=None`` matches the people without one (IS NULL).
        due |= Q(department_id=department_id, position_id=position_id, since__lt=revised_on)
    return due


def planner(
    *,
    days: int | None = None,
    department_ids: list[int] | None = None,
    include_booked: bool = False,
    today: datetime.date | None = None,
    policy: TrainingPolicy | None = None,
    page: int = 1,
) -> Planner:
    """The HR planner: employees overdue, never trained or due within ``days``, and
    those a new major version of a standard that applies to them (a revision:
    major number 2 or later) has made due for a refresher since their last
    training (or their hire); each with their last training and the major
    versions published since. People already booked into an upcoming session are
    left out unless ``include_booked``.

    Read from the stored standings and paged in the database (``page``, of
    :data:`PLANNER_PAGE_SIZE`): a bounded number of queries and Python work for the
    page's people only, whatever the size of the company. The suggested course is
    the one covering most of the changed standards of the page's people.
    """
    today = today or timezone.localdate()
    policy = policy or TrainingPolicy.from_settings()
    horizon = today + datetime.timedelta(days=policy.planner_days if days is None else days)
    upcoming = Enrolment.objects.filter(
        status__in=BOOKED, session__status=SessionStatus.PLANNED, session__starts_at__gte=timezone.now()
    )
    booked = upcoming.filter(employee=OuterRef("employee"))
    standings = stored_standings(department_ids=department_ids).annotate(
        since=Coalesce("last_trained_on", "employee__hired_on"),
        # Computed for the page's rows only (PostgreSQL evaluates the select list after
        # the LIMIT); the filter below is an anti-join, not one subquery per person. Without
        # the booked, nobody listed has a session to look up.
        next_session_at=Subquery(booked.order_by("session__starts_at").values("session__starts_at")[:1])
        if include_booked
        else Value(None, output_field=DateTimeField()),
    )
    due = Q(status=rules.OVERDUE) | Q(status__in=rules.NEEDS_TRAINING, due_on__lte=horizon)
    catalogue = major_version_catalogue()
    listed = standings.filter(due | _refresher_due(standings, catalogue))
    if not include_booked:
        # NOT IN one list of the booked (a hashed subplan, read once), not an anti-join: the
        # planner guesses one booked person and would compare every row walked with them all.
        listed = listed.exclude(employee_id__in=upcoming.values("employee_id"))
    # The stored sort keys: the page is a walk of the ``standing_planner_order`` index.
    listed = listed.select_related("employee__user", "employee__position", "department").order_by(
        F("department_name").asc(nulls_last=True), F("department_id").asc(nulls_last=True), *_urgency_order()
    )
    shown = Paginator(listed, PLANNER_PAGE_SIZE).get_page(page)
    rows = []
    groups: dict[int | None, PlannerGroup] = {}
    for standing in shown.object_list:
        standing.employee.department = standing.department
        row = EmployeeStanding(
            employee=standing.employee,
            status=standing.rule_status,
            next_session_at=standing.next_session_at,
            standards_changed=_changed_since(catalogue, standing),
        )
        rows.append(row)
        key = standing.department_id
        groups.setdefault(key, PlannerGroup(standing.department, [])).standings.append(row)
    result = Planner(horizon=horizon, groups=list(groups.values()), count=shown.paginator.count, page=shown)
    result.suggested_course, result.suggested_covers = suggest_course(rows)
    return result


def _changed_since(catalogue: MajorVersionCatalogue, standing: TrainingStanding) -> list:
    """The major versions of the catalogue that apply to the standing's person (their
    department and position; standings are kept for customer-facing people) and were
    published after their last training (or hire)."""
    return [
        version
        for version in catalogue.for_group(standing.department_id, standing.position_id)
        if version.major_published_on > standing.since
    ]


def planner_standards_changed(*, employee_id: int) -> list:
    """The standards changed since one planner row's person last trained (or was hired):
    the list the planner only counts, shown on demand. The same matching as
    :func:`planner`, for one stored standing; empty for someone without one."""
    standings = (
        stored_standings()
        .filter(employee_id=employee_id)
        .annotate(since=Coalesce("last_trained_on", "employee__hired_on"))
    )
    standing = standings.first()
    if standing is None:
        return []
    return _changed_since(major_version_catalogue(after=standing.since), standing)


def suggest_course(standings: list[EmployeeStanding]) -> tuple[Course | None, int]:
    """The offered, counting course covering the most (person, changed standard)
    pairs among ``standings``; without changes, the most recently scheduled one."""
    weights: dict[int, int] = defaultdict(int)
    for standing in standings:
        for version in standing.standards_changed:
            weights[version.standard_id] += 1
    courses = Course.objects.filter(is_active=True, counts_toward_rule=True)
    best, best_score = None, 0
    if weights:
        scores: dict[int, int] = defaultdict(int)
        links = Course.standards.through.objects.filter(
            course__in=courses, standard_id__in=weights
        ).values_list("course_id", "standard_id")
        for course_id, standard_id in links:
            scores[course_id] += weights[standard_id]
        if scores:
            best_id = max(scores, key=lambda pk: (scores[pk], -pk))
            best, best_score = courses.get(pk=best_id), scores[best_id]
    if best is None:
        best = (
            courses.annotate(last_session=Max("sessions__starts_at"))
            .order_by(F("last_session").desc(nulls_last=True), "title")
            .first()
        )
    return best, best_score


# --- compliance figures ------------------------------------------------------------------


@dataclass
class ComplianceSummary:
    """Counts of people in scope by status and the compliance percentage."""

    label: str = ""
    in_scope: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(rules.STATUS_ORDER, 0))

    def add(self, status: TrainingStatus) -> None:
        if status.status == rules.EXEMPT:
            return
        self.in_scope += 1
        self.by_status[status.status] += 1

    @property
    def compliant(self) -> int:
        return self.by_status[rules.COMPLIANT]

    @property
    def overdue(self) -> int:
        return self.by_status[rules.OVERDUE]

    @property
    def due_soon(self) -> int:
        return self.by_status[rules.DUE_SOON]

    @property
    def never_trained(self) -> int:
        return self.by_status[rules.NEVER_TRAINED]

    @property
    def due(self) -> int:
        return self.by_status[rules.DUE]

    @property
    def percent(self) -> float | None:
        return round(100 * self.compliant / self.in_scope, 1) if self.in_scope else None


def _summary_from_counts(counts: dict[str, int], label: str = "") -> ComplianceSummary:
    summary = ComplianceSummary(label=label)
    for status, count in counts.items():
        if status in summary.by_status and status != rules.EXEMPT:
            summary.by_status[status] += count
            summary.in_scope += count
    return summary


def summarise(standings: list[EmployeeStanding], label: str = "") -> ComplianceSummary:
    summary = ComplianceSummary(label=label)
    for standing in standings:
        summary.add(standing.status)
    return summary


def compliance_summary(
    *, department_ids: list[int] | None = None, today: datetime.date | None = None
) -> ComplianceSummary:
    """Compliance % (compliant ÷ active customer-facing) for the company or some departments."""
    return summarise(employee_standings(department_ids=department_ids, today=today))


def compliance_by_department(
    standings: list[EmployeeStanding],
) -> list[tuple[Department | None, ComplianceSummary]]:
    """Split already computed standings per department (no query), by department name."""
    groups: dict[int | None, list[EmployeeStanding]] = defaultdict(list)
    departments: dict[int | None, Department | None] = {}
    for standing in standings:
        key = standing.employee.department_id
        groups[key].append(standing)
        departments[key] = standing.employee.department
    rows = [
        (departments[key], summarise(group, str(departments[key] or ""))) for key, group in groups.items()
    ]
    return sorted(rows, key=lambda row: (row[0] is None, row[1].label))


# --- the stored standings (training.models.TrainingStanding) --------------------------------
# What the pages read: counts are aggregates in the database and lists are paged there,
# so that a page's work does not grow with the number of people. The standings hold for
# their ``as_of`` day (today, once the nightly refresh has run).


def stored_standings(*, department_ids: list[int] | None = None) -> QuerySet[TrainingStanding]:
    """The stored standings of everyone in scope (of ``department_ids`` if given)."""
    qs = TrainingStanding.objects.all()
    return qs if department_ids is None else qs.filter(department_id__in=department_ids)


@dataclass
class StoredCompliance:
    """The compliance figures of a page: the whole and, when asked, per department."""

    summary: ComplianceSummary
    departments: list[tuple[Department | None, ComplianceSummary]] | None = None


def stored_compliance(
    *, department_ids: list[int] | None = None, by_department: bool = False
) -> StoredCompliance:
    """Compliance of everyone in scope (of ``department_ids``) and, with ``by_department``,
    per department by name, from the stored standings: one grouped count (and the
    departments' names), Python work that grows with departments, not people."""
    counts: dict[int | None, dict[str, int]] = defaultdict(dict)
    total: dict[str, int] = defaultdict(int)
    rows = stored_standings(department_ids=department_ids).values("department_id", "status")
    for row in rows.annotate(count=Count("pk")).order_by():
        counts[row["department_id"]][row["status"]] = row["count"]
        total[row["status"]] += row["count"]
    result = StoredCompliance(summary=_summary_from_counts(total))
    if by_department:
        departments = Department.objects.in_bulk([key for key in counts if key is not None])
        result.departments = sorted(
            (
                (departments.get(key), _summary_from_counts(by_status, str(departments.get(key) or "")))
                for key, by_status in counts.items()
            ),
            key=lambda row: (row[0] is None, row[1].label),
        )
    return result


def _urgency_order() -> list:
    """Most urgent first (:data:`training.rules.STATUS_ORDER`), then due date, then name:
    the stored sort keys, in the order of the standings' indexes."""
    return [F("urgency_rank").asc(), F("due_on").asc(nulls_last=True), "employee_name", "employee_id"]


def stored_needing_training(*, department_ids: list[int] | None = None) -> QuerySet[TrainingStanding]:
    """The stored standings of people who need training (any horizon), most urgent
    first, with the employee and department loaded: page it, do not list it all."""
    return (
        stored_standings(department_ids=department_ids)
        # The same people as ``status__in=NEEDS_TRAINING``, as a range of the ordering index.
        .filter(urgency_rank__lt=rules.NEEDS_TRAINING_RANKS)
        .select_related("employee__user", "department")
        .order_by(*_urgency_order())
    )


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    required: int
    compliant: int
    in_progress: bool = False

    @property
    def percent(self) -> float | None:
        return round(100 * self.compliant / self.required, 1) if self.required else None


def compliance_trend(
    *,
    department_ids: list[int] | None = None,
    periods: int | None = None,
    today: datetime.date | None = None,
    policy: TrainingPolicy | None = None,
) -> list[TrendPoint]:
    """Compliance per half-year, oldest first, ending with the current (in progress).

    For each period: the customer-facing people employed at its end of whom it was
    required (it ended at least 90 days after their hire), and how many of them
    attended a counted session in it. One query of aggregates.
    """
    today = today or timezone.localdate()
    policy = policy or TrainingPolicy.from_settings()
    count = periods or policy.trend_periods
    # One pass over every person's history per period: seconds at 5,000 people. The figures
    # change only with the facts the standings follow, so they are kept until the standings
    # change (their version, bumped by every refresh) or the day turns.
    scope = "all" if department_ids is None else ",".join(str(pk) for pk in sorted(department_ids))
    return cached_in(
        TREND_CACHE,
        (today, count, scope, repr(policy)),
        lambda: _compliance_trend(department_ids=department_ids, count=count, today=today, policy=policy),
        timeout=TREND_CACHE_SECONDS,
    )


# How long a computed trend is kept at most (a refresh of the standings drops it at once).
TREND_CACHE_SECONDS = 24 * 3600
TREND_CACHE = "training:trend"


def trend_forget() -> None:
    """Drop every computed trend (the facts behind them changed)."""
    cache_forget(TREND_CACHE)


def _compliance_trend(
    *, department_ids: list[int] | None, count: int, today: datetime.date, policy: TrainingPolicy
) -> list[TrendPoint]:
    current = rules.period_of(today, policy)
    series = [current]
    for _i in range(count):
        series.insert(0, rules.previous_period(series[0]))
    qs = Employee.objects.customer_facing().filter(
        Q(left_on__isnull=True) | Q(left_on__gt=series[0].end), hired_on__lte=today
    )
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    figures = {}
    for i, period in enumerate(series):
        # Employed at the period's end (or today, for the current one) and hired early
        # enough for the period to be required of them (training.rules.period_required).
        end = min(period.end, today)
        required = (Q(left_on__isnull=True) | Q(left_on__gt=end)) & Q(
            hired_on__lte=rules.last_hire_date_required(period, policy=policy)
        )
        trained = Exists(
            Enrolment.objects.filter(counted(), _in_period(period, prefix=""), employee=OuterRef("pk"))
        )
        figures[f"required{i}"] = Count("pk", filter=required)
        figures[f"compliant{i}"] = Count("pk", filter=required & Q(trained))
    counts = qs.aggregate(**figures)
    required = [counts[f"required{i}"] for i in range(len(series))]
    compliant = [counts[f"compliant{i}"] for i in range(len(series))]
    return [
        TrendPoint(period, required[i], compliant[i], in_progress=period == current)
        for i, period in enumerate(series)
    ]


def managed_department_ids(user) -> list[int]:
    """The departments ``user`` heads (a manager's own view)."""
    return list(Department.objects.filter(head=user).values_list("pk", flat=True))


# --- sessions ------------------------------------------------------------------------


def sessions_with_seats(qs: QuerySet[Session] | None = None) -> QuerySet[Session]:
    """Sessions with ``seats_taken`` (invited, confirmed, attended, no-show) annotated."""
    qs = qs if qs is not None else Session.objects.all()
    return qs.select_related("course", "trainer__user").annotate(
        seats_taken=Count("enrolments", filter=Q(enrolments__status__in=SEAT_HOLDING))
    )


def session_list(
    *, start: datetime.date, end: datetime.date, include_cancelled: bool = True
) -> QuerySet[Session]:
    """Sessions starting between ``start`` and ``end`` (inclusive), for the calendar."""
    qs = Session.objects.filter(
        starts_at__gte=start_of_day(start), starts_at__lt=start_of_day(end + datetime.timedelta(days=1))
    )
    if not include_cancelled:
        qs = qs.exclude(status=SessionStatus.CANCELLED)
    return sessions_with_seats(qs).order_by("starts_at")


@dataclass
class CalendarDay:
    day: datetime.date
    in_range: bool
    sessions: list[Session] = field(default_factory=list)


@dataclass
class CalendarView:
    """A month (weeks Monday–Sunday around it) or a single week of sessions."""

    mode: str
    anchor: datetime.date
    start: datetime.date
    end: datetime.date
    weeks: list[list[CalendarDay]]
    previous: datetime.date
    next: datetime.date


def calendar_view(
    *, anchor: datetime.date, mode: str = "month", trainer: Employee | None = None
) -> CalendarView:
    """Sessions laid out by day for the calendar page (one query); only the
    sessions ``trainer`` gives when one is named (a trainer's own calendar)."""
    if mode == "week":
        start = anchor - datetime.timedelta(days=anchor.weekday())
        end = start + datetime.timedelta(days=6)
        first, last = start, end
        previous, following = start - datetime.timedelta(days=7), start + datetime.timedelta(days=7)
    else:
        mode = "month"
        first = anchor.replace(day=1)
        last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        start = first - datetime.timedelta(days=first.weekday())
        end = last + datetime.timedelta(days=6 - last.weekday())
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        following = last + datetime.timedelta(days=1)
    days = {}
    day = start
    while day <= end:
        days[day] = CalendarDay(day, first <= day <= last)
        day += datetime.timedelta(days=1)
    sessions = session_list(start=start, end=end)
    if trainer is not None:
        sessions = sessions.filter(trainer=trainer)
    for session in sessions:
        days[timezone.localdate(session.starts_at)].sessions.append(session)
    ordered = list(days.values())
    weeks = [ordered[i : i + 7] for i in range(0, len(ordered), 7)]
    return CalendarView(mode, anchor, first, last, weeks, previous, following)


def upcoming_sessions(*, limit: int = 5) -> list[Session]:
    return list(
        sessions_with_seats(
            Session.objects.filter(status=SessionStatus.PLANNED, starts_at__gte=timezone.now())
        ).order_by("starts_at")[:limit]
    )


def session_enrolments(session: Session) -> QuerySet[Enrolment]:
    return session.enrolments.select_related("employee__user", "employee__department").order_by(
        "employee__user__last_name", "employee__user__first_name"
    )


def sessions_needing_attention(*, today: datetime.date | None = None, days: int = 7) -> list[Session]:
    """Planned sessions in the next ``days`` days (from tomorrow) that have free seats
    or no trainer — what HR is reminded of. Each has ``seats_taken``, ``free_seats``,
    ``has_free_seats`` and ``has_no_trainer``."""
    today = today or timezone.localdate()
    qs = sessions_with_seats(
        Session.objects.filter(
            status=SessionStatus.PLANNED,
            starts_at__gte=start_of_day(today + datetime.timedelta(days=1)),
            starts_at__lt=start_of_day(today + datetime.timedelta(days=days + 1)),
        )
    ).order_by("starts_at")
    result = []
    for session in qs:
        session.free_seats = max(session.capacity - session.seats_taken, 0)
        session.has_free_seats = session.free_seats > 0
        session.has_no_trainer = not session.trainer_id and not session.trainer_name
        if session.has_free_seats or session.has_no_trainer:
            result.append(session)
    return result


def sessions_tomorrow_by_employee(*, today: datetime.date | None = None) -> dict[int, list[Enrolment]]:
    """Employee id → their invited/confirmed enrolments in planned sessions starting
    tomorrow (company time), with session and course loaded. One query."""
    tomorrow = (today or timezone.localdate()) + datetime.timedelta(days=1)
    enrolments = Enrolment.objects.filter(
        status__in=BOOKED,
        session__status=SessionStatus.PLANNED,
        session__starts_at__gte=start_of_day(tomorrow),
        session__starts_at__lt=start_of_day(tomorrow + datetime.timedelta(days=1)),
    ).select_related("session__course", "employee__user")
    by_employee: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in enrolments.order_by("session__starts_at"):
        by_employee[enrolment.employee_id].append(enrolment)
    return dict(by_employee)


def _overlapping(prefix_session: str = "session") -> Exists:
    return Exists(
        Enrolment.objects.filter(
            employee=OuterRef("employee"),
            status__in=BOOKED,
            session__status=SessionStatus.PLANNED,
            session__starts_at__lt=OuterRef(f"{prefix_session}__ends_at"),
            session__ends_at__gt=OuterRef(f"{prefix_session}__starts_at"),
        ).exclude(pk=OuterRef("pk"))
    )


def booking_conflicts(*, employee_ids: list[int] | None = None) -> list[Enrolment]:
    """Upcoming bookings that overlap another booking of the same employee, by
    employee then start (the HR conflict view and the warnings on a session)."""
    qs = Enrolment.objects.filter(
        status__in=BOOKED, session__status=SessionStatus.PLANNED, session__ends_at__gte=timezone.now()
    )
    if employee_ids is not None:
        qs = qs.filter(employee_id__in=employee_ids)
    return list(
        qs.filter(_overlapping())
        .select_related("employee__user", "employee__department", "session__course")
        .order_by("employee__user__last_name", "employee_id", "session__starts_at")
    )


def overlapping_bookings(*, session: Session, employee_ids: list[int]) -> dict[int, list[Session]]:
    """For each of ``employee_ids``: their other planned bookings overlapping ``session``."""
    enrolments = (
        Enrolment.objects.filter(
            employee_id__in=employee_ids,
            status__in=BOOKED,
            session__status=SessionStatus.PLANNED,
            session__starts_at__lt=session.ends_at,
            session__ends_at__gt=session.starts_at,
        )
        .exclude(session=session)
        .select_related("session__course")
    )
    result: dict[int, list[Session]] = defaultdict(list)
    for enrolment in enrolments:
        result[enrolment.employee_id].append(enrolment.session)
    return dict(result)


def course_list(*, active_only: bool = False) -> QuerySet[Course]:
    qs = Course.objects.prefetch_related("departments", "positions").annotate(
        session_count=Count("sessions", distinct=True)
    )
    return qs.filter(is_active=True) if active_only else qs


# --- one employee ---------------------------------------------------------------------


def my_enrolments(employee: Employee) -> tuple[list[Enrolment], list[Enrolment]]:
    """(upcoming, history) of ``employee``: upcoming = planned sessions not yet over."""
    enrolments = employee.training_enrolments.select_related("session__course", "session__trainer__user")
    now = timezone.now()
    upcoming = list(
        enrolments.filter(session__status=SessionStatus.PLANNED, session__ends_at__gte=now).order_by(
            "session__starts_at"
        )
    )
    history = list(enrolments.exclude(pk__in=[e.pk for e in upcoming]).order_by("-session__starts_at")[:50])
    return upcoming, history


def session_for_calendar_file(*, user, pk: int) -> Session | None:
    """The session whose .ics ``user`` may download: its participants (anyone enrolled) and
    trainer, HR and managers; None for anyone else, as for a session that does not exist."""
    sessions = Session.objects.select_related("course", "trainer__user").filter(pk=pk)
    if not has_role(user, HR, MANAGER):
        sessions = sessions.filter(Q(trainer__user=user) | Q(enrolments__employee__user=user)).distinct()
    return sessions.first()


def is_trainer(employee: Employee | None) -> bool:
    return employee is not None and Session.objects.filter(trainer=employee).exists()


def sessions_trained_by(employee: Employee) -> list[Session]:
    return list(
        sessions_with_seats(
            Session.objects.filter(trainer=employee, ends_at__gte=timezone.now()).exclude(
                status=SessionStatus.CANCELLED
            )
        ).order_by("starts_at")
    )


def feed_for_token(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.select_related("employee__user")
        .filter(token=token, employee__left_on__isnull=True)
        .first()
    )


def feed_sessions(employee: Employee) -> list[Session]:
    """What a personal calendar feed lists: the sessions of the last year and the
    future that ``employee`` is booked into (not excused) or trains. Two queries."""
    since = timezone.now() - datetime.timedelta(days=365)
    booked = Session.objects.filter(
        starts_at__gte=since,
        enrolments__employee=employee,
        enrolments__status__in=[*BOOKED, EnrolmentStatus.ATTENDED, EnrolmentStatus.NO_SHOW],
    )
    trained = Session.objects.filter(starts_at__gte=since, trainer=employee)
    sessions = {
        session.pk: session
        for qs in (booked, trained)
        for session in qs.select_related("course", "trainer__user")
    }
    return sorted(sessions.values(), key=lambda session: session.starts_at)


# --- home page ----------------------------------------------------------------------------


def home_panels(user) -> list[HomePanel]:
    """Staff: my next training and my status. HR: who is due and the next sessions."""
    panels: list[HomePanel] = []
    employee = employee_for_user(user)
    if employee is not None and employee.customer_facing and employee.is_active:
        status = employee_training_status(employee)
        upcoming = list(
            employee.training_enrolments.filter(
                status__in=BOOKED, session__status=SessionStatus.PLANNED, session__ends_at__gte=timezone.now()
            )
            .select_related("session__course")
            .order_by("session__starts_at")[:3]
        )
        panels.append(
            HomePanel(
                title=_("My training"),
                template="training/snippets/panel_my_training.html",
                context={"status": status, "upcoming": upcoming},
                priority=20 if status.status in (rules.OVERDUE, rules.NEVER_TRAINED) else 5,
            )
        )
    if has_role(user, HR):
        summary = stored_compliance().summary
        panels.append(
            HomePanel(
                title=_("Training: who is due"),
                template="training/snippets/panel_hr_due.html",
                context={"summary": summary, "sessions": upcoming_sessions(limit=5)},
                priority=15 if summary.overdue else 3,
            )
        )
    elif has_role(user, MANAGER):
        department_ids = managed_department_ids(user) or None
        summary = stored_compliance(department_ids=department_ids).summary
        panels.append(
            HomePanel(
                title=_("Training compliance"),
                template="training/snippets/panel_manager_compliance.html",
                context={"summary": summary, "own_departments": department_ids is not None},
                priority=2,
            )
        )
    return panels


INVITE_CHOICES_SHOWN = 30


def invitable_employees(session: Session) -> QuerySet[Employee]:
    """Who may be invited to ``session``: active employees who are not HR, not its trainer
    and not booked into it already."""
    return (
        Employee.objects.active()
        .exclude(user__groups__name=HR)
        .exclude(pk=session.trainer_id)
        .exclude(pk__in=Enrolment.objects.filter(session=session, status__in=BOOKED).values("employee_id"))
        .select_related("user", "department")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def invite_choices(session: Session, *, search: str = "") -> QuerySet[Employee]:
    """The first :data:`INVITE_CHOICES_SHOWN` invitable people matching ``search`` (name,
    username or department), for the session page's picker."""
    found = invitable_employees(session)
    for word in search.split()[:5]:
        found = found.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__username__icontains=word)
            | Q(department__name__icontains=word)
        )
    return found[:INVITE_CHOICES_SHOWN]
