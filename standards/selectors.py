"""Reads of the standards library, for its own pages and for the other apps.

Public API used elsewhere (stable names):

- :func:`standards_applying_to` — the published standards an employee must know;
- :func:`acknowledgement_coverage`, :func:`acknowledgement_coverage_by_standard`,
  :func:`acknowledgement_coverage_by_department` — database aggregates, bounded queries;
- :func:`stale_standards`, :func:`stale_standard_count`, :func:`reviews_due_within`;
- :func:`flagged_steps_for_owner` — open anti-standard flags on an owner's standards;
- :func:`major_versions_published_since` — for the training refresher planner;
- :func:`major_versions_since_by_employee` — the same for many people at once;
- :func:`major_version_catalogue` — the same matched per group of people, on demand;
- :func:`pending_acknowledgements_for`, :func:`pending_acknowledgements_by_employee` —
  what each person still has to acknowledge, with deadlines (for reminders);
- :func:`home_panels`.

Who a standard applies to is one rule, :func:`standards.rules.audience_matches`;
:func:`audience_q` is the same rule as a database filter.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from common.dates import add_months
from people.home import HomePanel
from people.models import Employee
from people.roles import MANAGER, has_role
from people.selectors import employee_for_user
from standards import rules
from standards.models import (
    Acknowledgement,
    AcknowledgementDepartmentTotal,
    AcknowledgementStanding,
    AuditEvent,
    Choice,
    ComplianceCheck,
    KnowledgeCheckAttempt,
    Question,
    Standard,
    StandardStatus,
    StandardStep,
    StandardVersion,
    StepFlag,
    VersionKind,
    VersionStatus,
)
from standards.search import search_terms

DepartmentLink = Standard.departments.through
PositionLink = Standard.positions.through


# --- audience -------------------------------------------------------------------


def audience_q(standard: Standard) -> Q:
    """A filter on Employee for the people ``standard`` applies to (see ``rules.audience_matches``)."""
    department_ids = [d.pk for d in standard.departments.all()]
    position_ids = [p.pk for p in standard.positions.all()]
    targeted = Q(pk__in=[])
    if department_ids or position_ids:
        targeted = Q()
        if department_ids:
            targeted &= Q(department_id__in=department_ids)
        if position_ids:
            targeted &= Q(position_id__in=position_ids)
    if standard.applies_to_all_customer_facing:
        return Q(customer_facing=True) | targeted
    return targeted


def employees_affected_by(standard: Standard, *, on: datetime.date | None = None) -> QuerySet[Employee]:
    """Active employees a standard applies to."""
    return Employee.objects.active(on).filter(audience_q(standard))


def published_standards() -> QuerySet[Standard]:
    return Standard.objects.filter(status=StandardStatus.PUBLISHED, current_version__isnull=False)


def standards_applying_to(employee: Employee) -> QuerySet[Standard]:
    """Published standards that apply to ``employee``, with their current version joined in."""
    has_departments = Exists(DepartmentLink.objects.filter(standard_id=OuterRef("pk")))
    has_positions = Exists(PositionLink.objects.filter(standard_id=OuterRef("pk")))
    in_department = Exists(
        DepartmentLink.objects.filter(standard_id=OuterRef("pk"), department_id=employee.department_id)
    )
    in_position = Exists(
        PositionLink.objects.filter(standard_id=OuterRef("pk"), position_id=employee.position_id)
    )
    targeted = (
        (has_departments | has_positions)
        & (~has_departments | in_department)
        & (~has_positions | in_position)
    )
    condition = targeted
    if employee.customer_facing:
        condition = Q(applies_to_all_customer_facing=True) | targeted
    return published_standards().filter(condition).select_related("current_version").order_by("code")


def _audience_ids(standards) -> dict[int, tuple[bool, set[int], set[int]]]:
    """standard id → (all customer-facing, department ids, position ids), in two queries."""
    audience = {s.pk: (s.applies_to_all_customer_facing, set(), set()) for s in standards}
    for standard_id, department_id in DepartmentLink.objects.filter(standard_id__in=audience).values_list(
        "standard_id", "department_id"
    ):
        audience[standard_id][1].add(department_id)
    for standard_id, position_id in PositionLink.objects.filter(standard_id__in=audience).values_list(
        "standard_id", "position_id"
    ):
        audience[standard_id][2].add(position_id)
    return audience


def _matches(audience: tuple[bool, set[int], set[int]], department_id, position_id, customer_facing) -> bool:
    return rules.audience_matches(
        all_customer_facing=audience[0],
        department_ids=audience[1],
        position_ids=audience[2],
        employee_department_id=department_id,
        employee_position_id=position_id,
        employee_customer_facing=customer_facing,
    )


# --- acknowledgement coverage -------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    affected: int
    acknowledged: int

    @property
    def percent(self) -> int | None:
        if not self.affected:
            return None
        return round(100 * self.acknowledged / self.affected)

    @property
    def missing(self) -> int:
        return self.affected - self.acknowledged


@dataclass(frozen=True)
class DepartmentCoverage:
    department_id: int | None
    department_name: str
    coverage: Coverage


def _counting_version_ids(standard_ids: list[int] | None = None) -> QuerySet:
    """Versions whose acknowledgements count for the current version: same standard, same major number."""
    qs = StandardVersion.objects.filter(
        standard__status=StandardStatus.PUBLISHED,
        status=VersionStatus.PUBLISHED,
        major_number=F("standard__current_version__major_number"),
    )
    if standard_ids is not None:
        qs = qs.filter(standard_id__in=standard_ids)
    return qs.values_list("pk", "standard_id")


def _current_major_acknowledgements(standard_ids: list[int] | None = None) -> tuple[QuerySet, dict[int, int]]:
    """Acknowledgements that count for current versions, and version id → standard id.

    The service keeps at most one acknowledgement per employee and major version,
    so counting rows counts people.
    """
    version_standard = dict(_counting_version_ids(standard_ids))
    return Acknowledgement.objects.filter(version_id__in=list(version_standard)), version_standard


Group = tuple[int | None, int | None]  # (department id, position id)


@dataclass(frozen=True)
class GroupCoverage:
    """What :class:`~standards.models.AcknowledgementStanding` stores for one standard and group."""

    standard_id: int
    version_id: int
    department_id: int | None
    position_id: int | None
    group_size: int
    audience: int
    acknowledged: int


def group_filter(groups: Iterable[Group], prefix: str = "") -> Q:
    """Rows of the given (department, position) groups; ``None`` ids match no department/position."""
    condition = Q(pk__in=[])
    for department_id, position_id in groups:
        condition |= Q(**{f"{prefix}department_id": department_id, f"{prefix}position_id": position_id})
    return condition


def acknowledgement_coverage_from_facts(
    *,
    standard_ids: Iterable[int] | None = None,
    groups: Iterable[Group] | None = None,
    today: datetime.date | None = None,
) -> list[GroupCoverage]:
    """Coverage of current versions per standard and (department, position) group,
    computed from the people and the acknowledgements (the rows the stored standings
    must hold), for ``standard_ids`` and ``groups`` (every one when ``None``).

    Five queries whatever the number of people: the standards, their audiences, the
    active people counted per (department, position, customer-facing) and the
    acknowledgements of current major versions counted per (version, same group). The
    Python that follows walks groups × standards, never people. Groups the standard
    does not apply to are left out.
    """
    today = today or timezone.localdate()
    standards = published_standards()
    if standard_ids is not None:
        standards = standards.filter(pk__in=list(standard_ids))
    standards = list(standards.only("pk", "applies_to_all_customer_facing", "current_version_id"))
    current = {s.pk: s.current_version_id for s in standards}
    audience = _audience_ids(standards)
    people = Employee.objects.active(today)
    acknowledgements, version_standard = _current_major_acknowledgements(list(current))
    acknowledgements = acknowledgements.filter(
        Q(employee__left_on__isnull=True) | Q(employee__left_on__gt=today)
    )
    if groups is not None:
        groups = list(groups)
        people = people.filter(group_filter(groups))
        acknowledgements = acknowledgements.filter(group_filter(groups, "employee__"))
    sizes: dict[Group, list[tuple[bool, int]]] = defaultdict(list)
    for department_id, position_id, customer_facing, n in (
        people.values_list("department_id", "position_id", "customer_facing")
        .annotate(n=Count("id"))
        .order_by()
    ):
        sizes[(department_id, position_id)].append((customer_facing, n))
    signed: dict[tuple[int, int | None, int | None], int] = defaultdict(int)
    for version_id, department_id, position_id, customer_facing, n in (
        acknowledgements.values_list(
            "version_id", "employee__department_id", "employee__position_id", "employee__customer_facing"
        )
        .annotate(n=Count("id"))
        .order_by()
    ):
        standard_id = version_standard[version_id]
        if _matches(audience[standard_id], department_id, position_id, customer_facing):
            signed[(standard_id, department_id, position_id)] += n
    rows = []
    for (department_id, position_id), by_facing in sizes.items():
        group_size = sum(n for _facing, n in by_facing)
        for standard_id, rule in audience.items():
            affected = sum(n for facing, n in by_facing if _matches(rule, department_id, position_id, facing))
            if affected:
                rows.append(
                    GroupCoverage(
                        standard_id,
                        current[standard_id],
                        department_id,
                        position_id,
                        group_size,
                        affected,
                        signed[(standard_id, department_id, position_id)],
                    )
                )
    return rows


def acknowledgement_group_sizes(*, today: datetime.date | None = None) -> dict[Group, int]:
    """(department, position) → active employees, in one grouped query."""
    return {
        (department_id, position_id): n
        for department_id, position_id, n in Employee.objects.active(today)
        .values_list("department_id", "position_id")
        .annotate(n=Count("id"))
        .order_by()
    }


def stored_group_sizes() -> set[tuple[int | None, int | None, int]]:
    """The (department, position, group size) the stored standings were written with."""
    return set(
        AcknowledgementStanding.objects.values_list("department_id", "position_id", "group_size").distinct()
    )


def _coverage_sums(rows: QuerySet, *keys: str) -> QuerySet:
    return rows.values(*keys).annotate(affected=Sum("audience"), signed=Sum("acknowledged")).order_by()


def _standings_of(standards: list[Standard] | None) -> QuerySet[AcknowledgementStanding]:
    rows = AcknowledgementStanding.objects.all()
    if standards is not None:
        rows = rows.filter(standard_id__in=[s.pk for s in standards])
    return rows


def acknowledgement_coverage_by_standard(standards: list[Standard] | None = None) -> dict[int, Coverage]:
    """standard id → coverage of its current version by the active employees it applies
    to (one grouped query); every standard asked for is a key, published or not."""
    result = {s.pk: Coverage(0, 0) for s in standards} if standards is not None else {}
    for row in _coverage_sums(_standings_of(standards), "standard_id"):
        result[row["standard_id"]] = Coverage(row["affected"], row["signed"])
    return result


def department_filter(department_ids: Iterable[int | None]) -> Q:
    """Rows of the given departments; ``None`` among them matches the rows without one."""
    department_ids = set(department_ids)
    condition = Q(department_id__in=[pk for pk in department_ids if pk is not None])
    if None in department_ids:
        condition |= Q(department_id__isnull=True)
    return condition


def acknowledgement_coverage() -> Coverage:
    """Over all published standards: (employee, standard) pairs owed vs. acknowledged: one
    query over the stored totals, a row per department whatever the size of the library."""
    totals = AcknowledgementDepartmentTotal.objects.aggregate(
        affected=Sum("audience"), signed=Sum("acknowledged")
    )
    return Coverage(totals["affected"] or 0, totals["signed"] or 0)


def acknowledgement_coverage_by_department() -> list[DepartmentCoverage]:
    """Per department: (employee, standard) pairs owed vs. acknowledged, by department
    name (one query over the stored totals)."""
    rows = AcknowledgementDepartmentTotal.objects.values(
        "department_id", "department__name", "audience", "acknowledged"
    )
    return sorted(
        (
            DepartmentCoverage(
                row["department_id"],
                row["department__name"] or _("No department"),
                Coverage(row["audience"], row["acknowledged"]),
            )
            for row in rows
        ),
        key=lambda row: row.department_name,
    )


def standard_coverage(standard: Standard) -> Coverage:
    """Coverage of one standard's current version: a sum over its stored standings (one
    row per department × position group), whatever the number of people."""
    if standard.current_version_id is None:
        return Coverage(0, 0)
    return acknowledgement_coverage_by_standard([standard])[standard.pk]


# The audience by department, then name; people without a department last on every database
# (SQLite puts NULLs first where PostgreSQL puts them last).
_AUDIENCE_ORDER = (F("department__name").asc(nulls_last=True), "user__last_name", "user__first_name")


def standard_audience_status(standard: Standard, *, only_missing: bool = False) -> QuerySet[Employee]:
    """The people a standard applies to, annotated with ``acknowledged_at`` (None when missing).

    Two queries (plus pagination's count), people without an acknowledgement first: the
    versions of the current major number, then the people with the acknowledgements of
    those versions joined in (one hash join), not looked up person by person. The
    service keeps at most one acknowledgement per person and major version, so the join
    adds no rows. With ``only_missing`` the signed people are left out by an anti-join.
    """
    current = standard.current_version
    counting = (
        list(
            StandardVersion.objects.filter(standard=standard, major_number=current.major_number).values_list(
                "pk", flat=True
            )
        )
        if current
        else []
    )
    qs = employees_affected_by(standard)
    if only_missing:
        # An anti-join (NOT EXISTS) rather than the outer join filtered on a missing
        # signature: PostgreSQL skips the signed people without joining their rows, and
        # the order needs no signature date (it is empty for everyone listed).
        if counting:
            signed = Acknowledgement.objects.filter(employee_id=OuterRef("pk"), version_id__in=counting)
            qs = qs.filter(~Exists(signed))
        return (
            qs.annotate(acknowledged_at=Value(None, output_field=DateTimeField()))
            .select_related("user", "department", "position")
            .order_by(*_AUDIENCE_ORDER)
        )
    if counting:
        qs = qs.annotate(
            signed=FilteredRelation(
                "standard_acknowledgements", condition=Q(standard_acknowledgements__version_id__in=counting)
            ),
            acknowledged_at=F("signed__signed_at"),
        )
    else:
        qs = qs.annotate(acknowledged_at=Value(None, output_field=DateTimeField()))
    qs = qs.select_related("user", "department", "position").order_by(
        F("acknowledged_at").asc(nulls_first=True), *_AUDIENCE_ORDER
    )
    return qs


def acknowledgement_deadline_for(employee: Employee, version: StandardVersion) -> datetime.date:
    return rules.acknowledgement_deadline(
        major_published_on=version.major_published_on, hired_on=employee.hired_on
    )


def with_acknowledgement_deadlines(
    employees: Iterable[Employee], version: StandardVersion, *, today: datetime.date | None = None
) -> Iterator[tuple[Employee, datetime.date, bool]]:
    """``(employee, deadline, overdue)`` for people of :func:`standard_audience_status`:
    their deadline to acknowledge ``version`` and whether it passed without a signature."""
    today = today or timezone.localdate()
    for employee in employees:
        deadline = acknowledgement_deadline_for(employee, version)
        yield employee, deadline, employee.acknowledged_at is None and today > deadline


# --- "My standards" and pending acknowledgements ------------------------------------


class MyStatus:
    TO_READ = "to_read"
    ACKNOWLEDGED = "acknowledged"
    REACKNOWLEDGE = "reacknowledge"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class MyStandard:
    standard: Standard
    version: StandardVersion
    status: str
    deadline: datetime.date
    acknowledged_label: str | None  # the last version this person acknowledged

    @property
    def is_pending(self) -> bool:
        return self.status != MyStatus.ACKNOWLEDGED

    @property
    def is_overdue(self) -> bool:
        return self.status == MyStatus.OVERDUE


_MY_STATUS_ORDER = {
    MyStatus.OVERDUE: 0,
    MyStatus.REACKNOWLEDGE: 1,
    MyStatus.TO_READ: 2,
    MyStatus.ACKNOWLEDGED: 3,
}


def _signed_versions(employee: Employee, standard_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    """standard id → the (major, minor) numbers of its versions ``employee`` signed, in order."""
    signed: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for standard_id, major, minor in Acknowledgement.objects.filter(
        employee=employee, version__standard__in=standard_ids
    ).values_list("version__standard_id", "version__major_number", "version__minor_number"):
        signed[standard_id].append((major, minor))
    return {standard_id: sorted(versions) for standard_id, versions in signed.items()}


def _my_status(
    *,
    major_number: int,
    major_published_on: datetime.date | None,
    hired_on: datetime.date | None,
    versions_signed: list[tuple[int, int]],
    today: datetime.date,
) -> tuple[str, datetime.date, str | None]:
    """(status, deadline, the last version signed) of one current version for one person."""
    deadline = rules.acknowledgement_deadline(major_published_on=major_published_on, hired_on=hired_on)
    if any(major == major_number for major, _minor in versions_signed):
        status = MyStatus.ACKNOWLEDGED
    elif today > deadline:
        status = MyStatus.OVERDUE
    elif versions_signed:
        status = MyStatus.REACKNOWLEDGE
    else:
        status = MyStatus.TO_READ
    last = versions_signed[-1] if versions_signed else None
    return status, deadline, f"{last[0]}.{last[1]}" if last else None


def my_standards(
    employee: Employee, *, today: datetime.date | None = None, search: str = ""
) -> list[MyStandard]:
    """Every current version that applies to ``employee`` with its status and deadline (two
    queries), or only those matching ``search`` (the library's search, limited to them).

    Status: acknowledged (this major version), re-acknowledgement needed (signed an
    older major version), to read, or overdue (not signed and past the deadline).
    """
    today = today or timezone.localdate()
    applying = standards_applying_to(employee)
    if search:
        applying = applying.filter(pk__in=_search_ids(search))
    standards = list(applying)
    signed = _signed_versions(employee, [s.pk for s in standards])
    rows = []
    for standard in standards:
        version = standard.current_version
        status, deadline, last_signed = _my_status(
            major_number=version.major_number,
            major_published_on=version.major_published_on,
            hired_on=employee.hired_on,
            versions_signed=signed.get(standard.pk, []),
            today=today,
        )
        rows.append(MyStandard(standard, version, status, deadline, last_signed))
    return sorted(rows, key=lambda row: (_MY_STATUS_ORDER[row.status], row.deadline, row.standard.code))


def pending_acknowledgements_for(
    employee: Employee, *, today: datetime.date | None = None
) -> list[MyStandard]:
    """What ``employee`` still has to acknowledge, most urgent first, each with its deadline."""
    return [row for row in my_standards(employee, today=today) if row.is_pending]


@dataclass(frozen=True)
class MostUrgentPending:
    """The ``rows`` most urgent of what a person still has to acknowledge, how many in all
    (``total``) and whether any is overdue."""

    rows: list[MyStandard]
    total: int
    any_overdue: bool


def pending_acknowledgements_most_urgent(
    employee: Employee, *, shown: int, today: datetime.date | None = None
) -> MostUrgentPending:
    """The first ``shown`` rows of :func:`pending_acknowledgements_for`, with the count of all:
    every applying standard is judged from plain values, and only the rows shown are read
    as standards and versions (three queries; a home page shows eight of a few hundred)."""
    today = today or timezone.localdate()
    applying = list(
        standards_applying_to(employee).values_list(
            "pk", "code", "current_version__major_number", "current_version__major_published_on"
        )
    )
    signed = _signed_versions(employee, [standard_id for standard_id, *_rest in applying])
    pending = []
    for standard_id, code, major_number, major_published_on in applying:
        status, deadline, last_signed = _my_status(
            major_number=major_number,
            major_published_on=major_published_on,
            hired_on=employee.hired_on,
            versions_signed=signed.get(standard_id, []),
            today=today,
        )
        if status != MyStatus.ACKNOWLEDGED:
            pending.append((_MY_STATUS_ORDER[status], deadline, code, standard_id, status, last_signed))
    pending.sort()
    shown_rows = pending[:shown]
    standards = Standard.objects.select_related("current_version").in_bulk([row[3] for row in shown_rows])
    return MostUrgentPending(
        rows=[
            MyStandard(
                standards[standard_id], standards[standard_id].current_version, status, deadline, last_signed
            )
            for _order, deadline, _code, standard_id, status, last_signed in shown_rows
        ],
        total=len(pending),
        any_overdue=any(row[4] == MyStatus.OVERDUE for row in pending),
    )


@dataclass(frozen=True)
class PendingAcknowledgement:
    employee_id: int
    standard_id: int
    standard_code: str
    standard_title: str
    version_id: int
    version_label: str
    deadline: datetime.date
    overdue: bool


def pending_acknowledgements_by_employee(
    *, today: datetime.date | None = None
) -> dict[int, list[PendingAcknowledgement]]:
    """employee id → what they still have to acknowledge (for reminder emails).

    A fixed number of queries: published standards, their audiences, active employees
    and the acknowledgements of current major versions. Only active employees with
    something pending appear.
    """
    today = today or timezone.localdate()
    standards = list(published_standards().select_related("current_version"))
    audience = _audience_ids(standards)
    acknowledgements, version_standard = _current_major_acknowledgements([s.pk for s in standards])
    signed = {
        (employee_id, version_standard[version_id])
        for employee_id, version_id in acknowledgements.values_list("employee_id", "version_id")
    }
    applying_by_group: dict[tuple, list[Standard]] = {}
    pending: dict[int, list[PendingAcknowledgement]] = {}
    for employee_id, department_id, position_id, customer_facing, hired_on in (
        Employee.objects.active(today)
        .order_by()
        .values_list("pk", "department_id", "position_id", "customer_facing", "hired_on")
    ):
        group = (department_id, position_id, customer_facing)
        if group not in applying_by_group:
            applying_by_group[group] = [s for s in standards if _matches(audience[s.pk], *group)]
        for standard in applying_by_group[group]:
            if (employee_id, standard.pk) in signed:
                continue
            version = standard.current_version
            deadline = rules.acknowledgement_deadline(
                major_published_on=version.major_published_on, hired_on=hired_on
            )
            pending.setdefault(employee_id, []).append(
                PendingAcknowledgement(
                    employee_id,
                    standard.pk,
                    standard.code,
                    standard.title,
                    version.pk,
                    version.label,
                    deadline,
                    today > deadline,
                )
            )
    return pending


def last_acknowledged_version(employee: Employee, standard: Standard) -> StandardVersion | None:
    """The newest version of ``standard`` that ``employee`` signed (for "what changed")."""
    ack = (
        Acknowledgement.objects.filter(employee=employee, version__standard=standard)
        .select_related("version")
        .order_by("-version__major_number", "-version__minor_number")
        .first()
    )
    return ack.version if ack else None


def passed_knowledge_check(employee: Employee, version: StandardVersion) -> KnowledgeCheckAttempt | None:
    """``employee``'s latest passed attempt at ``version``'s knowledge check, if any."""
    return (
        KnowledgeCheckAttempt.objects.filter(employee=employee, version=version, passed=True)
        .order_by("-created_at")
        .first()
    )


def acknowledgement_of(employee: Employee, version: StandardVersion) -> Acknowledgement | None:
    """The acknowledgement that covers ``version`` for ``employee`` (same major number), if any."""
    return (
        Acknowledgement.objects.filter(
            employee=employee,
            version__standard_id=version.standard_id,
            version__major_number=version.major_number,
        )
        .select_related("version")
        .order_by("-signed_at")
        .first()
    )


# --- review cycle and anti-standards -----------------------------------------------


def stale_standards(*, today: datetime.date | None = None) -> QuerySet[Standard]:
    """Published standards whose review is overdue (next review due before today)."""
    today = today or timezone.localdate()
    return (
        published_standards()
        .filter(next_review_due__lt=today)
        .select_related("owner")
        .order_by("next_review_due")
    )


def stale_standard_count(*, today: datetime.date | None = None) -> int:
    """How many published standards are overdue for review (for the dashboard)."""
    return stale_standards(today=today).count()


def reviews_due_within(*, days: int, today: datetime.date | None = None) -> QuerySet[Standard]:
    """Published standards due for review within ``days`` (overdue ones included), owner joined in."""
    today = today or timezone.localdate()
    return (
        published_standards()
        .filter(next_review_due__lte=today + datetime.timedelta(days=days))
        .select_related("owner", "review_delegate")
        .order_by("next_review_due", "code")
    )


def open_step_flags() -> QuerySet[StepFlag]:
    """Unresolved anti-standard flags on current versions, with step, standard and flagger joined in."""
    return (
        StepFlag.objects.filter(resolved_at__isnull=True, step__version__current_of__isnull=False)
        .select_related("step__version__standard__owner", "flagged_by")
        .order_by("step__version__standard__code", "step__order", "-created_at")
    )


def flagged_steps_for_owner(owner) -> QuerySet[StepFlag]:
    """Open anti-standard flags on the standards ``owner`` owns (or reviews as delegate)."""
    return open_step_flags().filter(
        Q(step__version__standard__owner=owner) | Q(step__version__standard__review_delegate=owner)
    )


def major_versions_published_since(*, employee: Employee, since: datetime.date) -> QuerySet[StandardVersion]:
    """Major versions, published on or after ``since``, of the standards that apply to ``employee``.

    Training's refresher planner: "a new major standard version after their last session".
    """
    return (
        StandardVersion.objects.filter(
            status=VersionStatus.PUBLISHED,
            kind=VersionKind.MAJOR,
            major_published_on__gte=since,
            standard__in=standards_applying_to(employee).values("pk"),
        )
        .select_related("standard")
        .order_by("published_at")
    )


@dataclass
class MajorVersionCatalogue:
    """The major versions of the published standards (oldest first) and who each standard
    applies to, matched against a (department, position, customer-facing) group only when
    a caller asks for that group: a page pays for the groups it shows, not for every group
    of the company times every version of the library."""

    versions: list[StandardVersion]
    audience: dict[int, tuple[bool, set[int], set[int]]]
    _by_group: dict[tuple, list[StandardVersion]] = field(default_factory=dict, repr=False)

    def for_group(
        self, department_id: int | None, position_id: int | None, customer_facing: bool = True
    ) -> list[StandardVersion]:
        """The versions of the standards that apply to the people of this group."""
        key = (department_id, position_id, customer_facing)
        if key not in self._by_group:
            self._by_group[key] = [
                version for version in self.versions if _matches(self.audience[version.standard_id], *key)
            ]
        return self._by_group[key]

    def latest_revisions(self, groups: Iterable[Group]) -> dict[Group, datetime.date]:
        """(department, position) → when a revision (a major version 2.0 or later) of a
        standard that applies to the group's customer-facing people was last published;
        groups without one are left out. Revisions are few: the matching walks them, not
        the whole library."""
        revisions = [version for version in self.versions if (version.major_number or 0) > 1]
        latest: dict[Group, datetime.date] = {}
        for department_id, position_id in groups if revisions else ():
            dates = [
                version.major_published_on
                for version in revisions
                if _matches(self.audience[version.standard_id], department_id, position_id, True)
            ]
            if dates:
                latest[(department_id, position_id)] = max(dates)
        return latest


CATALOGUE_FIELDS = (
    "standard_id",
    "major_number",
    "minor_number",
    "major_published_on",
    "published_at",
    "standard__code",
    "standard__title",
    "standard__applies_to_all_customer_facing",
)


def major_version_catalogue(*, after: datetime.date | None = None) -> MajorVersionCatalogue:
    """The :class:`MajorVersionCatalogue` of the published standards (major versions
    published after ``after`` if given), in three queries whatever the number of people."""
    versions = StandardVersion.objects.filter(
        status=VersionStatus.PUBLISHED, kind=VersionKind.MAJOR, standard__status=StandardStatus.PUBLISHED
    )
    if after is not None:
        versions = versions.filter(major_published_on__gt=after)
    # What the matching and the list of changes use: not the bodies and checklists of the
    # whole library, which the planner would load and decode on every request.
    versions = versions.select_related("standard").only(*CATALOGUE_FIELDS)
    versions = list(versions.order_by("published_at"))
    return MajorVersionCatalogue(versions, _audience_ids({version.standard for version in versions}))


def major_versions_since_by_employee(
    *, employees: list[Employee], since: dict[int, datetime.date]
) -> dict[int, list[StandardVersion]]:
    """employee id → major versions published after ``since[employee id]`` of the
    published standards that apply to that employee, oldest first.

    The bulk twin of :func:`major_versions_published_since`: three queries whatever the
    number of people, and the audiences matched once per group of people.
    """
    if not employees or not since:
        return {}
    catalogue = major_version_catalogue(after=min(since.values()))
    result: dict[int, list[StandardVersion]] = {}
    for employee in employees:
        after = since.get(employee.pk)
        if after is None:
            continue
        group = catalogue.for_group(employee.department_id, employee.position_id, employee.customer_facing)
        changed = [version for version in group if version.major_published_on > after]
        if changed:
            result[employee.pk] = changed
    return result


# --- library and standard pages -------------------------------------------------------


def library_list(
    *,
    search: str = "",
    department_id: int | None = None,
    category: str = "",
    status: str = "",
    stale: bool = False,
    sort: str = "code",
    today: datetime.date | None = None,
) -> QuerySet[Standard]:
    """The manager's library: search over code, title, body and steps; filters; sorting.

    On PostgreSQL the search is full-text over the current version; elsewhere a
    plain case-insensitive match.
    """
    today = today or timezone.localdate()
    # The open flags are counted by a subquery per row rather than a join and GROUP BY over
    # every standard's steps: PostgreSQL evaluates it after the LIMIT, for the page's rows
    # only, and the paginator's count leaves it out.
    open_flags = (
        StepFlag.objects.filter(step__version_id=OuterRef("current_version_id"), resolved_at__isnull=True)
        .order_by()
        .values("step__version_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = Standard.objects.select_related("owner", "current_version").annotate(
        open_flags=Coalesce(Subquery(open_flags, output_field=IntegerField()), 0)
    )
    if search:
        qs = qs.filter(pk__in=_search_ids(search))
    if department_id:
        # A semi-join, not a join: no duplicate rows, so no DISTINCT over every column.
        qs = qs.filter(
            Q(pk__in=DepartmentLink.objects.filter(department_id=department_id).values("standard_id"))
            | Q(applies_to_all_customer_facing=True)
        )
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    if stale:
        qs = qs.filter(status=StandardStatus.PUBLISHED, next_review_due__lt=today)
    orderings = {
        "code": ["code"],
        "title": ["title", "code"],
        "review": [F("next_review_due").asc(nulls_last=True), "code"],
        "published": [F("current_version__published_at").desc(nulls_last=True), "code"],
    }
    if sort == "relevance" and search:
        return qs.annotate(relevance=_relevance(search)).order_by("-relevance", "code")
    return qs.order_by(*orderings.get(sort, ["code"]))


def _relevance(search: str) -> Case:
    """Best match first: the code or title exactly, then containing the whole search, then a
    title with every searched word; the rest (matched in the body or steps) after."""
    whole = search.strip()
    words = [text for text, excluded in search_terms(search) if not excluded]
    every_word_in_title = Q()
    for word in words:
        every_word_in_title &= Q(title__icontains=word)
    return Case(
        When(Q(code__iexact=whole) | Q(title__iexact=whole), then=Value(3)),
        When(Q(code__icontains=whole) | Q(title__icontains=whole), then=Value(2)),
        When(every_word_in_title if words else Q(pk__in=[]), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


# Text-search configuration per interface language: the library is written in both,
# and a standard matches when a word matches in any of them. Each (table, config) pair
# has its GIN expression index (standards migration 0003); a new language needs its
# config here and the indexes in a new migration.
SEARCH_CONFIGS = {"en": "english", "ru": "russian"}


def _full_text_words(terms: list[str]) -> set[str]:
    """The terms that mean something to full-text search in every configuration
    (not a stop word like "the" or "и", not punctuation), in one query."""
    if not terms:
        return set()
    configs = list(SEARCH_CONFIGS.values())
    checks = " AND ".join("numnode(websearch_to_tsquery(%s::regconfig, term)) > 0" for _ in configs)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term FROM unnest(%s::text[]) AS term WHERE {checks}", [terms, *configs])
        return {row[0] for row in cursor.fetchall()}


def _term_q(term: str, *, full_text: bool) -> Q:
    """Standards whose code, title, current body or a current step contains ``term``.

    On PostgreSQL: a query per table and configuration, each on its expression
    index, plus a substring match on code and title (codes like "CS-012").
    """
    found = Q(code__icontains=term) | Q(title__icontains=term)
    if connection.vendor != "postgresql":
        return (
            found
            | Q(current_version__body__icontains=term)
            | Q(current_version__in=StandardStep.objects.filter(text__icontains=term).values("version_id"))
        )
    if not full_text:
        return found
    # Imported here: django.contrib.postgres needs the PostgreSQL driver, which a
    # SQLite-only install may not have.
    from django.contrib.postgres.search import SearchQuery, SearchVector

    for config in SEARCH_CONFIGS.values():
        query = SearchQuery(term, search_type="websearch", config=config)

        def matching(model, *fields, config=config, query=query) -> QuerySet:
            # The same expression as the index of (model, config): the planner uses it.
            document = SearchVector(*fields, config=config)
            return model.objects.annotate(document=document).filter(document=query)

        found |= (
            Q(pk__in=matching(Standard, "code", "title").values("pk"))
            | Q(current_version__in=matching(StandardVersion, "body").values("pk"))
            | Q(current_version__in=matching(StandardStep, "text").values("version_id"))
        )
    return found


def _search_ids(search: str) -> QuerySet:
    """Standards matching every word of ``search`` (in any order, each anywhere in the
    standard), none of its ``-words``; or whose code or title contains it whole.

    On PostgreSQL words match in their forms (water / waters, клиенты / клиентом),
    through GIN indexes; stop words are not required. Elsewhere a substring match.
    """
    terms = search_terms(search)
    postgres = connection.vendor == "postgresql"
    meaningful = _full_text_words([text for text, _excluded in terms]) if postgres else set()

    def counts(text: str) -> bool:
        return text in meaningful or not postgres

    wanted = [text for text, excluded in terms if not excluded]
    unwanted = [text for text, excluded in terms if excluded]
    whole = search.strip()
    matches = Q(code__icontains=whole) | Q(title__icontains=whole)
    required = [text for text in wanted if counts(text)]
    if required:
        every_word = Q()
        for text in required:
            every_word &= _term_q(text, full_text=True)
        matches |= every_word
    elif not wanted and unwanted:
        matches = Q()
    found = Standard.objects.filter(matches)
    for text in unwanted:
        found = found.exclude(_term_q(text, full_text=counts(text)))
    return found.values("pk")


def standard_versions(standard: Standard) -> QuerySet[StandardVersion]:
    """Every version, newest first, drafts on top."""
    return standard.versions.select_related("created_by", "published_by").order_by(
        F("published_at").desc(nulls_first=True), "-id"
    )


def version_with_content(pk: int) -> StandardVersion:
    """A version with its steps, open flags and knowledge check loaded (three extra queries)."""
    return (
        StandardVersion.objects.select_related("standard", "standard__owner", "published_by")
        .prefetch_related(
            Prefetch("steps__flags", queryset=StepFlag.objects.filter(resolved_at__isnull=True)),
            "questions__choices",
        )
        .get(pk=pk)
    )


def audit_trail(standard: Standard) -> QuerySet[AuditEvent]:
    return standard.audit_events.select_related("actor", "version")


# --- compliance ------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceFigure:
    key: object
    label: str
    checks: int
    done: int
    applicable: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.applicable) if self.applicable else None


def _compliance_rows(qs: QuerySet[ComplianceCheck], key: str, label: str) -> list[ComplianceFigure]:
    rows = (
        qs.values(key, label)
        .annotate(checks=Count("id"), done=Sum("steps_done"), applicable=Sum("steps_applicable"))
        .order_by(label)
    )
    return [
        ComplianceFigure(r[key], r[label] or "—", r["checks"], r["done"] or 0, r["applicable"] or 0)
        for r in rows
    ]


def compliance_by_standard(*, since: datetime.date | None = None) -> list[ComplianceFigure]:
    rows = (
        _compliance_since(since)
        .values("standard_id", "standard__code", "standard__title")
        .annotate(checks=Count("id"), done=Sum("steps_done"), applicable=Sum("steps_applicable"))
        .order_by("standard__code")
    )
    return [
        ComplianceFigure(
            r["standard_id"],
            f"{r['standard__code']} {r['standard__title']}",
            r["checks"],
            r["done"] or 0,
            r["applicable"] or 0,
        )
        for r in rows
    ]


def compliance_by_department(*, since: datetime.date | None = None) -> list[ComplianceFigure]:
    return _compliance_rows(_compliance_since(since), "department_id", "department__name")


def compliance_by_employee(*, since: datetime.date | None = None, standard: Standard | None = None):
    qs = _compliance_since(since)
    if standard is not None:
        qs = qs.filter(standard=standard)
    rows = (
        qs.values(
            "employee_id",
            "employee__user__first_name",
            "employee__user__last_name",
            "employee__user__username",
        )
        .annotate(checks=Count("id"), done=Sum("steps_done"), applicable=Sum("steps_applicable"))
        .order_by("employee__user__last_name", "employee__user__first_name")
    )
    return [
        ComplianceFigure(
            r["employee_id"],
            f"{r['employee__user__first_name']} {r['employee__user__last_name']}".strip()
            or r["employee__user__username"],
            r["checks"],
            r["done"] or 0,
            r["applicable"] or 0,
        )
        for r in rows
    ]


def compliance_by_month(*, standard: Standard | None = None, months: int = 12) -> list[ComplianceFigure]:
    """Compliance per calendar month over the last ``months`` months (oldest first)."""
    from django.db.models.functions import TruncMonth

    since = add_months(timezone.localdate().replace(day=1), -(months - 1))
    qs = _compliance_since(since)
    if standard is not None:
        qs = qs.filter(standard=standard)
    rows = (
        qs.annotate(month=TruncMonth("observed_on"))
        .values("month")
        .annotate(checks=Count("id"), done=Sum("steps_done"), applicable=Sum("steps_applicable"))
        .order_by("month")
    )
    return [
        ComplianceFigure(
            r["month"], r["month"].strftime("%Y-%m"), r["checks"], r["done"] or 0, r["applicable"] or 0
        )
        for r in rows
    ]


def latest_compliance_checks(
    *, standard: Standard | None = None, limit: int = 20
) -> QuerySet[ComplianceCheck]:
    qs = ComplianceCheck.objects.select_related(
        "standard", "version", "employee__user", "department", "observer"
    )
    if standard is not None:
        qs = qs.filter(standard=standard)
    return qs.order_by("-observed_on", "-id")[:limit]


def _compliance_since(since: datetime.date | None) -> QuerySet[ComplianceCheck]:
    qs = ComplianceCheck.objects.all()
    return qs.filter(observed_on__gte=since) if since else qs


# --- home ------------------------------------------------------------------------------


def home_panels(user) -> list[HomePanel]:
    """Staff: standards to acknowledge. Managers: stale standards, coverage, flags on their standards."""
    panels: list[HomePanel] = []
    employee = employee_for_user(user)
    if employee is not None:
        pending = pending_acknowledgements_most_urgent(employee, shown=8)
        if pending.total:
            panels.append(
                HomePanel(
                    title=_("Standards to acknowledge"),
                    template="standards/snippets/panel_to_acknowledge.html",
                    context={"rows": pending.rows, "total": pending.total},
                    priority=30 if pending.any_overdue else 20,
                )
            )
    if has_role(user, MANAGER):
        stale = list(stale_standards()[:8])
        panels.append(
            HomePanel(
                title=_("Standards library"),
                template="standards/snippets/panel_manager.html",
                context={
                    "stale": stale,
                    "stale_count": stale_standard_count(),
                    "coverage": acknowledgement_coverage(),
                    "flag_count": flagged_steps_for_owner(user).count(),
                },
                priority=15 if stale else 5,
            )
        )
    return panels


def questions_answered_wrong(attempt) -> list[str]:
    """The texts of the questions an attempt got wrong, in the version's order (the right
    answers are not revealed, only which questions to read up on)."""
    chosen = {int(question_id): choice_id for question_id, choice_id in attempt.answers.items()}
    correct = dict(
        Choice.objects.filter(question__version_id=attempt.version_id, is_correct=True).values_list(
            "question_id", "id"
        )
    )
    questions = Question.objects.filter(version_id=attempt.version_id).order_by("order", "pk")
    return [question.text for question in questions if chosen.get(question.pk) != correct.get(question.pk)]
