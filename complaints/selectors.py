"""Reads of the complaint log, for its own pages and for the other apps.

Public API used elsewhere (keep these signatures stable):

- the weekly report / notifications: :func:`complaint_period_summary`,
  :func:`root_cause_bands`, :func:`on_time_promise_rate`,
  :func:`median_time_to_resolution`, :func:`overdue_complaints`,
  :func:`handler_reminders`, :func:`corrective_actions_past_due`;
- metrics: :func:`complaint_counts_by_customer`, :func:`customer_ids_with_complaints`,
  :func:`customer_ids_with_open_or_unsatisfied_complaints`, :func:`complaint_figures_by_department`;
- dashboards: :func:`complaint_counts_by_department_and_month`.

Every period is a pair of dates, both inclusive, in the site's time zone. Every
figure is aggregated in the database: none of these loads the complaints of a
period into Python.
"""

from __future__ import annotations

import base64
import datetime
import json
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from typing import TypeVar

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from common.dates import day_range
from common.versioned_cache import cache_forget, cached_in
from complaints import rules
from complaints.models import (
    OPEN_ACTION_STATUSES,
    OPEN_STATUSES,
    Channel,
    Complaint,
    CorrectiveAction,
    RootCause,
    Satisfaction,
    Severity,
    Status,
)
from people.home import HomePanel
from people.roles import MANAGER, STAFF, has_role
from people.selectors import employee_for_user

T = TypeVar("T")

# --- periods ---------------------------------------------------------------------


def _received_in(start: datetime.date, end: datetime.date, department_id: int | None = None) -> QuerySet:
    lower, upper = day_range(start, end)
    qs = Complaint.objects.filter(received_at__gte=lower, received_at__lt=upper)
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs


def _resolved_in(start: datetime.date, end: datetime.date, department_id: int | None = None) -> QuerySet:
    lower, upper = day_range(start, end)
    qs = Complaint.objects.filter(resolved_at__gte=lower, resolved_at__lt=upper)
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs


# --- who sees what ---------------------------------------------------------------


def _visible_sources(user) -> list[Q] | None:
    """Where the complaints ``user`` may see come from: None for every complaint (managers),
    else the conditions whose union they see (their department's first, then those they
    handle, then those they logged); an empty list for none."""
    if has_role(user, MANAGER):
        return None
    if not has_role(user, STAFF):
        return []
    sources = [Q(handler=user), Q(logged_by=user)]
    employee = employee_for_user(user)
    if employee is not None and employee.department_id:
        sources.insert(0, Q(department_id=employee.department_id))
    return sources


def _one_by_one(sources: list[Q]) -> list[Q]:
    """``sources`` made disjoint: each without what an earlier one holds, so that the union
    of their rows repeats none and their counts add up."""
    return [source & ~reduce(operator.or_, sources[:i]) if i else source for i, source in enumerate(sources)]


def _separate_walks(sources: list[Q] | None) -> bool:
    """Whether the list reads several sources as separate walks, united: a page (or a capped
    count) of each, which a UNION of LIMITed subqueries needs. SQLite (the demo) has no
    such UNION; there the single OR query gives the same rows, only without the indexes."""
    return (
        sources is not None and len(sources) > 1 and connection.features.supports_slicing_ordering_in_compound
    )


def complaints_visible_to(user) -> QuerySet[Complaint]:
    """Managers see every complaint; anyone else those they handle, logged, or of their department."""
    sources = _visible_sources(user)
    if sources is None:
        return Complaint.objects.all()
    if not sources:
        return Complaint.objects.none()
    return Complaint.objects.filter(reduce(operator.or_, sources))


def complaint_for_user(*, user, pk: int) -> Complaint | None:
    """One complaint with everything its page shows, or None when ``user`` may not see it."""
    return (
        complaints_visible_to(user)
        .select_related("department", "handler", "logged_by", "customer")
        .filter(pk=pk)
        .first()
    )


def complaint_timeline(*, complaint: Complaint) -> QuerySet:
    return complaint.events.select_related("actor", "from_handler", "to_handler")


def can_work(*, user, complaint: Complaint) -> bool:
    """Managers and the complaint's handler change its status and record the outcome."""
    return has_role(user, MANAGER) or (complaint.handler_id is not None and complaint.handler_id == user.pk)


def can_take(*, user, complaint: Complaint) -> bool:
    """ "Assign to me": a manager may take any complaint, staff one without a handler; nobody
    takes what is theirs already."""
    if complaint.handler_id == user.pk:
        return False
    if has_role(user, MANAGER):
        return True
    return complaint.handler_id is None and has_role(user, STAFF)


def assignable_users() -> QuerySet:
    """Who may handle a complaint: active people holding the Manager or Staff role."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[MANAGER, STAFF])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- the list: filters and keyset pagination -------------------------------------


@dataclass
class ComplaintFilters:
    status: str = ""  # a Status value, "open", or "" for all
    department_id: int | None = None
    channel: str = ""
    root_cause: str = ""
    handler_id: int | None = None
    overdue: bool = False
    unsatisfied: bool = False
    search: str = ""


@dataclass
class ComplaintPage:
    items: list[Complaint]
    next_cursor: str | None
    is_first: bool
    filters: ComplaintFilters = field(default_factory=ComplaintFilters)


@dataclass(frozen=True)
class ComplaintSort:
    """One way to order the list: a key expression, its default direction, and how the
    keyset cursor reads the key back. Ties break on (received_at, id) in ``tie_descending``
    order; a nullable key puts the complaints without one last in either direction."""

    key: str
    expression: Callable[[], object]
    descending: bool
    parse: Callable[[str], object]
    tie_descending: bool = False
    nullable: bool = False


def _rank(field_name: str, values: list[str]) -> Case:
    return Case(
        *(When(**{field_name: v}, then=Value(i)) for i, v in enumerate(values)), default=Value(len(values))
    )


def _parse_datetime(text: str) -> datetime.datetime:
    stamp = parse_datetime(text)
    if stamp is None:
        raise ValueError(text)
    return timezone.make_aware(stamp) if timezone.is_naive(stamp) else stamp


def _parse_date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _parse_decimal(text: str) -> Decimal:
    number = Decimal(text)
    if not number.is_finite():
        raise ValueError(text)
    return number


# The sort keys the list offers (a whitelist: anything else in the query string is ignored).
COMPLAINT_SORTS: dict[str, ComplaintSort] = {
    sort.key: sort
    for sort in (
        ComplaintSort("received", lambda: F("received_at"), True, _parse_datetime, tie_descending=True),
        ComplaintSort("promised", lambda: F("promised_on"), False, _parse_date, nullable=True),
        ComplaintSort("status", lambda: _rank("status", list(Status.values)), False, int),
        # Severity runs from critical down: the first value listed is the most severe.
        ComplaintSort("severity", lambda: _rank("severity", list(reversed(Severity.values))), False, int),
        # The copy of the customer's value on the complaint: an index serves this order.
        ComplaintSort("value", lambda: F("customer_value"), True, _parse_decimal, nullable=True),
    )
}
DEFAULT_SORT = "received"


def complaint_list(*, user, filters: ComplaintFilters) -> QuerySet[Complaint]:
    """The complaints ``user`` may see that match ``filters``, newest first, list columns joined."""
    return _matching(complaints_visible_to(user), filters)


def _matching(qs: QuerySet[Complaint], filters: ComplaintFilters) -> QuerySet[Complaint]:
    """The complaints of ``qs`` that match ``filters``, newest first, list columns joined."""
    qs = qs.select_related("department", "handler", "customer")
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status in Status.values:
        qs = qs.filter(status=filters.status)
    if filters.department_id:
        qs = qs.filter(department_id=filters.department_id)
    if filters.channel in Channel.values:
        qs = qs.filter(channel=filters.channel)
    if filters.root_cause in RootCause.values:
        qs = qs.filter(root_cause=filters.root_cause)
    if filters.handler_id:
        qs = qs.filter(handler_id=filters.handler_id)
    if filters.overdue:
        # Said once: the same status condition twice makes PostgreSQL expect a few rows
        # where there are thousands (and join before it sorts).
        today = timezone.localdate()
        qs = qs.filter(promised_on__lt=today) if filters.status == "open" else qs.overdue(today)
    if filters.unsatisfied:
        qs = qs.filter(status__in=[Status.RESOLVED, Status.CLOSED], customer_satisfied=Satisfaction.NO)
    if filters.search:
        qs = qs.filter(
            Q(summary__icontains=filters.search)
            | Q(customer_name__icontains=filters.search)
            | Q(external_ref=filters.search)
            | Q(customer__external_id=filters.search)
        )
    return qs.order_by("-received_at", "-id")


def _cursor_values(complaint: Complaint) -> list:
    return [complaint.sort_key, complaint.received_at, complaint.pk]


def encode_cursor(complaint: Complaint) -> str:
    """Where a page ends: the complaint's sort key, received_at and id (JSON, base64)."""
    key, received_at, pk = _cursor_values(complaint)
    if isinstance(key, datetime.date):
        key = key.isoformat()
    raw = json.dumps([None if key is None else str(key), received_at.isoformat(), pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str = DEFAULT_SORT) -> tuple[object, datetime.datetime, int] | None:
    """The (sort key, received_at, id) a page starts after, or None for a malformed cursor
    (or one whose key cannot be a value of ``sort``'s key)."""
    spec = COMPLAINT_SORTS[sort]
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        key, stamp, pk = json.loads(raw)
        if not isinstance(stamp, str) or not isinstance(pk, int) or isinstance(pk, bool):
            return None
        if key is None:
            if not spec.nullable:
                return None
        elif isinstance(key, str):
            key = spec.parse(key)
        else:
            return None
        if not 0 < pk < 2**63:
            return None
        return key, _parse_datetime(stamp), pk
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError, ArithmeticError):
        return None


def _after(field_name: str, descending: bool, value) -> Q:
    return Q(**{f"{field_name}__{'lt' if descending else 'gt'}": value})


def _keyset_after(spec: ComplaintSort, descending: bool, position: tuple) -> Q:
    """The rows strictly after ``position`` in the order (sort_key, received_at, id).

    With a nullable key the rows without one come last whatever the direction: after a
    valued row come greater (or smaller) keys, then every row without a key; after a row
    without a key, only rows without one, in the tie-break order.
    """
    key, received_at, pk = position
    tie = spec.tie_descending if descending == spec.descending else not spec.tie_descending
    ties_after = _after("received_at", tie, received_at) | Q(received_at=received_at) & _after("id", tie, pk)
    if key is None:
        return Q(sort_key__isnull=True) & ties_after
    after = _after("sort_key", descending, key) | Q(sort_key=key) & ties_after
    if spec.nullable:
        after |= Q(sort_key__isnull=True)
    return after


def _ordering(spec: ComplaintSort, descending: bool) -> list:
    tie = spec.tie_descending if descending == spec.descending else not spec.tie_descending
    # NULLS LAST only where a key may be missing: on received_at it would stop PostgreSQL
    # from reading the index in order.
    nulls_last = True if spec.nullable else None
    key = (
        F("sort_key").desc(nulls_last=nulls_last) if descending else F("sort_key").asc(nulls_last=nulls_last)
    )
    ties = [F(name).desc() if tie else F(name).asc() for name in ("received_at", "id")]
    return [key, *ties]


def complaint_page(
    *,
    user,
    filters: ComplaintFilters,
    after: str = "",
    size: int = 50,
    sort: str = DEFAULT_SORT,
    descending: bool | None = None,
) -> ComplaintPage:
    """One page of :func:`complaint_list` in the order ``sort`` (a key of
    :data:`COMPLAINT_SORTS`; ``descending`` None takes the key's own direction), after the
    cursor ``after``: one query, no COUNT, no OFFSET.

    Keyset pagination on (sort key, received_at, id) reads ``size + 1`` rows whatever the
    depth, so page 1 and page 20 000 cost the same. By value (``customer_value``, the copy of
    the linked customer's value), complaints without one come last.
    """
    spec = COMPLAINT_SORTS.get(sort, COMPLAINT_SORTS[DEFAULT_SORT])
    descending = spec.descending if descending is None else descending
    position = decode_cursor(after, spec.key) if after else None
    ordering = _ordering(spec, descending)

    def in_order(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
        qs = _matching(qs, filters).annotate(sort_key=spec.expression())
        if position:
            qs = qs.filter(_keyset_after(spec, descending, position))
        return qs.order_by(*ordering)

    sources = _visible_sources(user)
    if _separate_walks(sources):
        # Staff see their department's, their own and what they logged: one OR that no index
        # orders, so PostgreSQL walked the newest complaints skipping every other department's.
        # Each source is its own walk (the department's down complaint_dept_recent) of at most
        # a page, and the page is the first of their union.
        walks = [
            in_order(Complaint.objects.filter(source)).values_list("pk", flat=True)[: size + 1]
            for source in _one_by_one(sources)
        ]
        rows = list(
            in_order(Complaint.objects.filter(pk__in=walks[0].union(*walks[1:], all=True)))[: size + 1]
        )
    else:
        rows = list(in_order(complaints_visible_to(user))[: size + 1])
    next_cursor = encode_cursor(rows[size - 1]) if len(rows) > size else None
    return ComplaintPage(
        items=rows[:size], next_cursor=next_cursor, is_first=position is None, filters=filters
    )


# Up to this many matches the list counts them exactly; beyond, it says "more than".
COUNT_EXACT_LIMIT = 10_000


@dataclass(frozen=True)
class ResultCount:
    """How many complaints match: ``number`` exactly, or at least ``number`` when not ``exact``."""

    number: int
    exact: bool


def complaint_count(*, user, filters: ComplaintFilters) -> ResultCount:
    """How many complaints of :func:`complaint_list` match, in one query that never scans far.

    A COUNT over the whole log takes seconds at a million rows; counting a subquery
    limited to ``COUNT_EXACT_LIMIT + 1`` rows stops there, so the answer is exact up to the
    limit and "more than the limit" beyond it.
    """
    sources = _visible_sources(user)
    if _separate_walks(sources):
        # Counted source by source (disjoint, so the counts add up): the department's is an
        # index-only walk, where the OR read every matching row from the table.
        capped = [
            _matching(Complaint.objects.filter(source), filters)
            .order_by()
            .values_list("pk")[: COUNT_EXACT_LIMIT + 1]
            for source in _one_by_one(sources)
        ]
        matched = capped[0].union(*capped[1:], all=True).count()
    else:
        matched = complaint_list(user=user, filters=filters).order_by()[: COUNT_EXACT_LIMIT + 1].count()
    if matched > COUNT_EXACT_LIMIT:
        return ResultCount(number=COUNT_EXACT_LIMIT, exact=False)
    return ResultCount(number=matched, exact=True)


# --- root causes against the theory ------------------------------------------------


def root_cause_counts(
    *, start: datetime.date, end: datetime.date, department_id: int | None = None
) -> dict[str, int]:
    """Complaints received in the period per root cause (every cause present, 0 when none)."""
    counts = dict.fromkeys(RootCause.values, 0)
    rows = (
        _received_in(start, end, department_id)
        .exclude(root_cause="")
        .values("root_cause")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["root_cause"]] = row["n"]
    return counts


def root_cause_bands(
    *, start: datetime.date, end: datetime.date, department_id: int | None = None
) -> list[rules.BandCheck]:
    """The company's root-cause split for a period (and department) next to the theory bands."""
    return rules.root_cause_band_check(root_cause_counts(start=start, end=end, department_id=department_id))


# --- promises and speed --------------------------------------------------------------


def _resolved_figures(start: datetime.date, end: datetime.date, department_id: int | None) -> dict:
    """One scan of the complaints resolved in the period: how many, with a promise, on time."""
    return _resolved_in(start, end, department_id).aggregate(
        resolved=Count("id"),
        promised=Count("id", filter=Q(promised_on__isnull=False)),
        on_time=Count("id", filter=Q(promised_on__isnull=False, resolved_at__date__lte=F("promised_on"))),
    )


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def on_time_promise_rate(
    *, start: datetime.date, end: datetime.date, department_id: int | None = None
) -> float | None:
    """Share of complaints resolved in the period (with a promise) resolved by the promised date.

    "By the promise" means on or before the promised day in the site's time zone.
    None when nothing with a promise was resolved in the period.
    """
    figures = _resolved_figures(start, end, department_id)
    return _rate(figures["on_time"], figures["promised"])


def median_time_to_resolution(
    *, start: datetime.date, end: datetime.date, department_id: int | None = None, resolved: int | None = None
) -> datetime.timedelta | None:
    """Median of (resolved at − received at) over complaints resolved in the period.

    Two queries on any database: the count (skipped when ``resolved`` is given),
    then the middle row(s) by duration.
    """
    qs = _resolved_in(start, end, department_id).annotate(
        duration=ExpressionWrapper(F("resolved_at") - F("received_at"), output_field=DurationField())
    )
    total = qs.count() if resolved is None else resolved
    if not total:
        return None
    middle = list(
        qs.order_by("duration").values_list("duration", flat=True)[(total - 1) // 2 : total // 2 + 1]
    )
    return sum(middle, datetime.timedelta()) / len(middle)


def overdue_complaints(*, today: datetime.date | None = None, user=None) -> QuerySet[Complaint]:
    """Open complaints past their promised date, most overdue first (visible to ``user`` if given)."""
    today = today or timezone.localdate()
    qs = complaints_visible_to(user) if user is not None else Complaint.objects.all()
    return qs.overdue(today).select_related("department", "handler").order_by("promised_on", "id")


@dataclass
class HandlerReminder:
    handler: object  # a User
    overdue: list[Complaint]
    due_tomorrow: list[Complaint]


def handler_reminders(*, today: datetime.date | None = None) -> list[HandlerReminder]:
    """Per handler, their open complaints past the promise and those promised for tomorrow.

    For the reminder emails: one query, handlers without such complaints left out.
    """
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    rows = (
        Complaint.objects.open()
        .filter(handler__isnull=False, promised_on__lte=tomorrow)
        .exclude(promised_on=today)
        .select_related("handler", "department")
        .order_by("handler_id", "promised_on", "id")
    )
    reminders: dict[int, HandlerReminder] = {}
    for complaint in rows:
        reminder = reminders.setdefault(complaint.handler_id, HandlerReminder(complaint.handler, [], []))
        (reminder.overdue if complaint.is_overdue_on(today) else reminder.due_tomorrow).append(complaint)
    return list(reminders.values())


# --- corrective actions ---------------------------------------------------------------


def corrective_actions_past_due(*, today: datetime.date | None = None) -> QuerySet[CorrectiveAction]:
    """Open corrective actions whose due date has passed, oldest first, owner joined."""
    today = today or timezone.localdate()
    return (
        CorrectiveAction.objects.filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=today)
        .select_related("owner")
        .order_by("due_on", "id")
    )


def corrective_action_list(*, status: str = "", kind: str = "") -> QuerySet[CorrectiveAction]:
    """The actions of ``status`` ("open": open or in progress) and ``kind``, soonest due first."""
    qs = CorrectiveAction.objects.select_related("owner")
    if status == "open":
        qs = qs.filter(status__in=OPEN_ACTION_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("due_on", "id")


def corrective_action_page(*, status: str, number: int | str | None, size: int) -> Page:
    """One page of :func:`corrective_action_list`, each action with ``complaint_count`` (three
    queries: the count, the page, the complaints of the page's actions). The complaints are
    counted for the actions shown only: counting them in the list's query joined and grouped
    every action of the status before the page was cut."""
    page = Paginator(corrective_action_list(status=status), size).get_page(number)
    actions = list(page.object_list)
    counts = dict(
        CorrectiveAction.complaints.through.objects.filter(correctiveaction_id__in=[a.pk for a in actions])
        .values("correctiveaction_id")
        .annotate(n=Count("id"))
        .values_list("correctiveaction_id", "n")
        .order_by()
    )
    for action in actions:
        action.complaint_count = counts.get(action.pk, 0)
    page.object_list = actions
    return page


def corrective_action_detail(*, pk: int) -> CorrectiveAction | None:
    return (
        CorrectiveAction.objects.select_related(
            "owner", "created_by", "standard", "standard_version", "course"
        )
        .prefetch_related("complaints")
        .filter(pk=pk)
        .first()
    )


def corrective_actions_for_standard(*, standard) -> QuerySet[CorrectiveAction]:
    """The actions (with their complaints) that led to revising ``standard``, for its page.

    Render with ``{% include "complaints/snippets/actions_for.html" with actions=... %}``.
    """
    return (
        CorrectiveAction.objects.filter(standard=standard)
        .select_related("owner", "standard_version")
        .prefetch_related("complaints")
        .order_by("-created_at", "-id")
    )


def corrective_actions_for_course(*, course) -> QuerySet[CorrectiveAction]:
    """The actions (with their complaints) that asked for ``course``, for its page (same snippet)."""
    return (
        CorrectiveAction.objects.filter(course=course)
        .select_related("owner")
        .prefetch_related("complaints")
        .order_by("-created_at", "-id")
    )


def complaint_actions(*, complaint: Complaint) -> QuerySet[CorrectiveAction]:
    return complaint.corrective_actions.select_related("owner").order_by("due_on", "id")


# --- for metrics ---------------------------------------------------------------------


def _customer_complaints(start: datetime.date | None, end: datetime.date | None) -> QuerySet:
    qs = Complaint.objects.filter(customer__isnull=False)
    if start and end:
        lower, upper = day_range(start, end)
        qs = qs.filter(received_at__gte=lower, received_at__lt=upper)
    return qs


def complaint_counts_by_customer(
    *, start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[int, int]:
    """{metrics customer id: complaints received} (in the period, or ever without one)."""
    rows = _customer_complaints(start, end).values("customer_id").annotate(n=Count("id")).order_by()
    return {row["customer_id"]: row["n"] for row in rows}


def customer_ids_with_complaints(
    *, start: datetime.date | None = None, end: datetime.date | None = None
) -> set[int]:
    """Ids of metrics customers who complained (in the period, or ever)."""
    return set(_customer_complaints(start, end).values_list("customer_id", flat=True).distinct())


def customer_ids_with_open_or_unsatisfied_complaints() -> set[int]:
    """Ids of metrics customers with a complaint still open, or resolved to their dissatisfaction."""
    unhappy = Q(status__in=OPEN_STATUSES) | Q(customer_satisfied=Satisfaction.NO)
    return set(
        Complaint.objects.filter(unhappy, customer__isnull=False)
        .values_list("customer_id", flat=True)
        .distinct()
    )


def complaint_figures_by_department(*, start: datetime.date, end: datetime.date) -> dict[int | None, dict]:
    """For the metrics recompute: every department's complaint figures of a period in two
    grouped queries, instead of a few queries per department.

    {department id (None: no department): {"received": complaints received,
    "root_causes": {cause: count} (every cause, like :func:`root_cause_counts`),
    "with_promise": resolved in the period with a promise, "on_time": of those,
    resolved by the promised day (as :func:`on_time_promise_rate`)}}. Departments
    without complaints in the period are absent.
    """
    figures: dict[int | None, dict] = {}

    def entry(department_id: int | None) -> dict:
        return figures.setdefault(
            department_id,
            {
                "received": 0,
                "root_causes": dict.fromkeys(RootCause.values, 0),
                "with_promise": 0,
                "on_time": 0,
            },
        )

    received = (
        _received_in(start, end).values("department_id", "root_cause").annotate(n=Count("id")).order_by()
    )
    for row in received:
        item = entry(row["department_id"])
        item["received"] += row["n"]
        if row["root_cause"]:
            item["root_causes"][row["root_cause"]] = row["n"]
    resolved = (
        _resolved_in(start, end)
        .filter(promised_on__isnull=False)
        .values("department_id")
        .annotate(total=Count("id"), on_time=Count("id", filter=Q(resolved_at__date__lte=F("promised_on"))))
        .order_by()
    )
    for row in resolved:
        item = entry(row["department_id"])
        item["with_promise"], item["on_time"] = row["total"], row["on_time"]
    return figures


# --- for dashboards and the analysis page --------------------------------------------


def complaint_counts_by_department_and_month(*, start: datetime.date, end: datetime.date) -> list[dict]:
    """[{"department_id", "department", "month" (date, 1st), "count"}] for complaints received in the period.

    Complaints without a department come with department_id None and department "".
    """
    rows = (
        _received_in(start, end)
        .annotate(month=TruncMonth("received_at"))
        .values("department_id", "department__name", "month")
        .annotate(count=Count("id"))
        .order_by("month", "department__name")
    )
    return [
        {
            "department_id": row["department_id"],
            "department": row["department__name"] or "",
            "month": row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"],
            "count": row["count"],
        }
        for row in rows
    ]


def _counts_by(qs: QuerySet, field_name: str) -> dict:
    return {row[field_name]: row["n"] for row in qs.values(field_name).annotate(n=Count("id")).order_by()}


def counts_by_channel(*, start: datetime.date, end: datetime.date, department_id: int | None = None):
    """[(channel label, count)] for complaints received in the period, every channel listed."""
    counts = _counts_by(_received_in(start, end, department_id), "channel")
    return [(label, counts.get(value, 0)) for value, label in Channel.choices]


def counts_by_department(*, start: datetime.date, end: datetime.date) -> list[tuple[str, int]]:
    counts = _counts_by(_received_in(start, end), "department__name")
    return sorted(((name or _("No department"), n) for name, n in counts.items()), key=lambda r: -r[1])


def counts_by_month(
    *, start: datetime.date, end: datetime.date, department_id: int | None = None
) -> list[tuple[datetime.date, int]]:
    rows = (
        _received_in(start, end, department_id)
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return [
        (row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"], row["n"])
        for row in rows
    ]


@dataclass
class PeriodSummary:
    received: int
    resolved: int
    open_now: int
    overdue_now: int
    unsatisfied: int
    on_time_rate: float | None
    median_resolution: datetime.timedelta | None
    promise_changed: int


def _open_now(department_id: int | None) -> dict:
    qs = Complaint.objects.filter(status__in=OPEN_STATUSES)
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs.aggregate(
        open_now=Count("id"), overdue_now=Count("id", filter=Q(promised_on__lt=timezone.localdate()))
    )


def complaint_period_summary(
    *, start: datetime.date, end: datetime.date, department_id: int | None = None
) -> PeriodSummary:
    """The headline figures of a period, e.g. for the weekly report (four or five queries)."""
    summary, _counts = _period_summary_and_counts(start, end, department_id, counts={})
    return summary


def _period_summary_and_counts(
    start: datetime.date, end: datetime.date, department_id: int | None, *, counts: dict
) -> tuple[PeriodSummary, dict]:
    """The period's headline figures, and ``counts`` (named aggregates) over the same complaints.

    The extra counts ride on the scan of the received complaints, so the analysis
    page gets its split by root cause and channel without another pass.
    """
    received = _received_in(start, end, department_id).aggregate(
        n=Count("id"),
        unsatisfied=Count("id", filter=Q(customer_satisfied=Satisfaction.NO)),
        promise_changed=Count("id", filter=Q(promise_changes__gt=0)),
        **counts,
    )
    resolved = _resolved_figures(start, end, department_id)
    summary = PeriodSummary(
        received=received["n"],
        resolved=resolved["resolved"],
        unsatisfied=received["unsatisfied"],
        on_time_rate=_rate(resolved["on_time"], resolved["promised"]),
        median_resolution=median_time_to_resolution(
            start=start, end=end, department_id=department_id, resolved=resolved["resolved"]
        ),
        promise_changed=received["promise_changed"],
        **_open_now(department_id),
    )
    return summary, received


@dataclass
class ComplaintAnalysis:
    """Everything the analysis page shows for a period and department."""

    summary: PeriodSummary
    cause_counts: dict[str, int]
    channel_counts: list[tuple[str, int]]
    by_month: list[tuple[datetime.date, int]]
    by_department: list[tuple[str, int]]

    @property
    def bands(self) -> list[rules.BandCheck]:
        return rules.root_cause_band_check(self.cause_counts)

    @property
    def cause_total(self) -> int:
        return sum(self.cause_counts.values())

    @property
    def cause_rows(self) -> list[tuple[str, int, float | None]]:
        """(label, count, share) per root cause."""
        total = self.cause_total
        return [(RootCause(c).label, n, _rate(n, total)) for c, n in self.cause_counts.items()]

    @property
    def channel_rows(self) -> list[tuple[str, int]]:
        return [(Channel(value).label, n) for value, n in self.channel_counts]

    @property
    def median_days(self) -> float | None:
        median = self.summary.median_resolution
        return median.total_seconds() / 86400 if median is not None else None


ANALYSIS_CACHE_SECONDS = 600
ANALYSIS_CACHE = "complaints:analysis"


def analysis_cache_invalidate() -> None:
    """Make the next analysis recompute (the services call it whenever figures change)."""
    cache_forget(ANALYSIS_CACHE)


def cached_with_analysis(name: str, *parts, compute: Callable[[], T]) -> T:
    """``compute()``, cached like the analysis: until a complaint or survey changes, at most ten minutes.

    The key holds the data version that :func:`analysis_cache_invalidate` bumps, so
    a figure computed before a change is never read after it; and today's date and
    the language, since labels and "today" go into the figures.
    """
    return cached_in(
        ANALYSIS_CACHE,
        (name, *parts, timezone.localdate(), get_language()),
        compute,
        timeout=ANALYSIS_CACHE_SECONDS,
    )


def complaint_analysis(
    *, start: datetime.date, end: datetime.date, department_id: int | None = None
) -> ComplaintAnalysis:
    """The analysis page's figures, aggregated in the database in six queries, cached ten minutes.

    The complaints received in the period are scanned once for the counts per root
    cause and channel; the resolved ones once for the promise figures. At 1M
    complaints a year's analysis takes over a second to compute, so a result is
    cached for ``ANALYSIS_CACHE_SECONDS`` or until a service changes a complaint
    (:func:`analysis_cache_invalidate`).
    """
    return cached_with_analysis(
        "complaints:analysis",
        start,
        end,
        department_id or 0,
        compute=lambda: _complaint_analysis(start, end, department_id),
    )


def _complaint_analysis(
    start: datetime.date, end: datetime.date, department_id: int | None
) -> ComplaintAnalysis:
    counts = {f"cause_{cause}": Count("id", filter=Q(root_cause=cause)) for cause in RootCause.values}
    counts |= {f"channel_{channel}": Count("id", filter=Q(channel=channel)) for channel in Channel.values}
    summary, received = _period_summary_and_counts(start, end, department_id, counts=counts)
    analysis = ComplaintAnalysis(
        summary=summary,
        cause_counts={cause: received[f"cause_{cause}"] for cause in RootCause.values},
        channel_counts=[(value, received[f"channel_{value}"]) for value in Channel.values],
        by_month=counts_by_month(start=start, end=end, department_id=department_id),
        by_department=[] if department_id else counts_by_department(start=start, end=end),
    )
    return analysis


# --- home ------------------------------------------------------------------------------

HOME_PANEL_ROWS = 8


def home_panels(user) -> list[HomePanel]:
    """Managers: open and overdue complaints of the company; handlers: their own open ones."""
    panels: list[HomePanel] = []
    today = timezone.localdate()
    if has_role(user, MANAGER):
        figures = Complaint.objects.filter(status__in=OPEN_STATUSES).aggregate(
            open=Count("id"),
            new=Count("id", filter=Q(status=Status.NEW)),
            unassigned=Count("id", filter=Q(handler__isnull=True)),
            overdue=Count("id", filter=Q(promised_on__lt=today)),
        )
        overdue = list(overdue_complaints(today=today)[:HOME_PANEL_ROWS])
        panels.append(
            HomePanel(
                title=_("Complaints"),
                template="complaints/snippets/panel_manager.html",
                context={"figures": figures, "overdue": overdue},
                priority=30 if figures["overdue"] else 10,
            )
        )
    if has_role(user, STAFF, MANAGER):
        mine = list(
            Complaint.objects.filter(handler=user, status__in=OPEN_STATUSES)
            .select_related("department")
            .order_by("promised_on", "id")[:HOME_PANEL_ROWS]
        )
        if mine:
            overdue_ids = {complaint.pk for complaint in mine if complaint.is_overdue_on(today)}
            panels.append(
                HomePanel(
                    title=_("Complaints you handle"),
                    template="complaints/snippets/panel_handler.html",
                    context={"complaints": mine, "overdue_ids": overdue_ids},
                    priority=40 if overdue_ids else 20,
                )
            )
    return panels
