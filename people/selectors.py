"""Reads of the organisation, shared by every app."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from people import handover
from people.handover import Holding
from people.home import HomePanel
from people.models import AccountEvent, Department, Employee
from people.roles import ALL_ROLES, HR, MANAGER, has_role
from people.turnover import (
    EmploymentSpell,
    TurnoverPoint,
    WorkforceFigures,
    turnover_trend,
    workforce_figures,
)
from people.turnover import workforce_figures_by_department as _figures_by_department

User = get_user_model()


def account_events(user, *, limit: int = 20) -> list[AccountEvent]:
    """The newest changes to ``user``'s roles and email, with who made them."""
    return list(AccountEvent.objects.filter(subject=user).select_related("actor")[:limit])


def employee_list(
    *, search: str = "", department_id: int | None = None, include_left: bool = False
) -> QuerySet[Employee]:
    """Employees for the HR list, with everything the list shows joined in."""
    qs = Employee.objects.select_related("user", "department", "position")
    if not include_left:
        qs = qs.active()
    if department_id:
        qs = qs.filter(department_id=department_id)
    if search:
        qs = qs.filter(
            Q(user__username__icontains=search)
            | Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
            | Q(user__email__icontains=search)
        )
    return qs


def employee_for_user(user) -> Employee | None:
    """The employee profile of ``user``, or None for accounts without one (e.g. an admin)."""
    try:
        return user.employee
    except (Employee.DoesNotExist, AttributeError):
        return None


def language_of(user_id: int) -> str:
    """The language a person reads emails in (their profile's), or the site's default."""
    language = Employee.objects.filter(user_id=user_id).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


def department_list() -> QuerySet[Department]:
    return Department.objects.all()


def manager_users() -> QuerySet:
    """Active users holding the Manager role (or superusers), e.g. for report recipients."""
    return (
        User.objects.filter(is_active=True).filter(Q(groups__name=MANAGER) | Q(is_superuser=True)).distinct()
    )


def role_user_ids(role: str) -> list[int]:
    """Ids of the active users holding ``role`` (superusers left out), e.g. for reminders."""
    return list(
        User.objects.filter(is_active=True, groups__name=role).values_list("pk", flat=True).distinct()
    )


# The home panel lists this many departments, the largest first, whatever their number.
HEADCOUNT_PANEL_ROWS = 8


@dataclass(frozen=True)
class DepartmentHeadcount:
    department_id: int | None
    name: str
    headcount: int
    customer_facing_count: int


@dataclass(frozen=True)
class Headcount:
    """Active people and those who meet customers over the whole company (people without a
    department included), with the ``largest`` departments and the people ``without_department``
    (none when everyone has one); ``not_shown`` departments are left out."""

    headcount: int
    customer_facing_count: int
    departments: int
    largest: list[DepartmentHeadcount]
    not_shown: int
    without_department: DepartmentHeadcount | None = None


def headcount(*, limit: int = HEADCOUNT_PANEL_ROWS, today: datetime.date | None = None) -> Headcount:
    """The company's headcount and its ``limit`` largest departments (then by name), in one
    grouped query (one tuple per department, no model instance) and one count of the people
    without a department."""
    today = today or timezone.localdate()
    active = Q(employees__left_on__isnull=True) | Q(employees__left_on__gt=today)
    rows = [
        DepartmentHeadcount(*row)
        for row in Department.objects.annotate(
            headcount=Count("employees", filter=active),
            customer_facing_count=Count("employees", filter=active & Q(employees__customer_facing=True)),
        )
        .order_by("-headcount", "name", "pk")
        .values_list("pk", "name", "headcount", "customer_facing_count")
    ]
    unassigned = (
        Employee.objects.active(today)
        .filter(department__isnull=True)
        .aggregate(headcount=Count("pk"), customer_facing_count=Count("pk", filter=Q(customer_facing=True)))
    )
    without_department = (
        DepartmentHeadcount(None, _("No department"), **unassigned) if unassigned["headcount"] else None
    )
    return Headcount(
        headcount=sum(row.headcount for row in rows) + unassigned["headcount"],
        customer_facing_count=sum(row.customer_facing_count for row in rows)
        + unassigned["customer_facing_count"],
        departments=len(rows),
        largest=rows[:limit],
        not_shown=max(len(rows) - limit, 0),
        without_department=without_department,
    )


def home_panels(user) -> list[HomePanel]:
    """Headcount by department, for HR and managers: the company's and its largest
    departments', so that the panel does not grow with the number of departments."""
    if not has_role(user, HR, MANAGER):
        return []
    return [
        HomePanel(
            title=_("People by department"),
            template="people/snippets/panel_headcount.html",
            context={"headcount": headcount()},
            priority=-10,
        )
    ]


# --- turnover and tenure (rules in servicecraft.workforce) ------------------------


def employment_spells(*, department_id: int | None = None) -> list[EmploymentSpell]:
    """Hire date, leave date and department of every employee (of one department), in one query."""
    qs = Employee.objects.order_by()
    if department_id:
        qs = qs.filter(department_id=department_id)
    return [
        EmploymentSpell(hired_on, left_on, dept)
        for hired_on, left_on, dept in qs.values_list("hired_on", "left_on", "department_id").iterator(
            chunk_size=5000
        )
    ]


def workforce_summary(
    *, on: datetime.date | None = None, department_id: int | None = None
) -> WorkforceFigures:
    """Company-wide (or one department's) turnover over the last 12 months, tenure and
    adaptation figures on ``on`` (today); one query. For the dashboard and the weekly report."""
    return workforce_figures(employment_spells(department_id=department_id), on=on or timezone.localdate())


@dataclass(frozen=True)
class DepartmentWorkforce:
    department_id: int | None
    department_name: str
    figures: WorkforceFigures


def workforce_by_department(*, on: datetime.date | None = None) -> list[DepartmentWorkforce]:
    """The same figures per department (people count where they belong now), by name; two queries."""
    on = on or timezone.localdate()
    by_department = _figures_by_department(employment_spells(), on=on)
    names = dict(Department.objects.values_list("pk", "name"))
    rows = [
        DepartmentWorkforce(pk, names.get(pk, _("No department")) if pk else _("No department"), figures)
        for pk, figures in by_department.items()
    ]
    return sorted(rows, key=lambda row: (row.department_id is None, row.department_name))


def workforce_trend(
    *, months: int = 24, on: datetime.date | None = None, department_id: int | None = None
) -> list[TurnoverPoint]:
    """Trailing-12-month turnover and headcount at each of the last ``months`` month ends; one query."""
    return turnover_trend(
        employment_spells(department_id=department_id), end=on or timezone.localdate(), months=months
    )


# --- the handover when people leave (people.handover) ---------------------------------


def holdings_of(user) -> list[Holding]:
    """Everything ``user`` holds, provider by provider (one query each)."""
    return handover.holdings(handover.holder_is(user))


@dataclass(frozen=True)
class Candidate:
    user: object
    roles: frozenset[str]

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


def handover_candidates(*, exclude=None, today: datetime.date | None = None) -> list[Candidate]:
    """Everyone who may take something over: enabled accounts without a passed leaving
    date, with the roles they hold (two queries)."""
    today = today or timezone.localdate()
    users = (
        User.objects.filter(is_active=True)
        .exclude(employee__left_on__lte=today)
        .prefetch_related("groups")
        .order_by("first_name", "last_name", "username")
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return [
        Candidate(
            user, frozenset(ALL_ROLES) if user.is_superuser else frozenset(g.name for g in user.groups.all())
        )
        for user in users
    ]


def proposed_successor(employee: Employee, candidates: list[Candidate]) -> Candidate | None:
    """Who the handover proposes: the head of the leaver's department, if they can act."""
    department = employee.department
    if department is None or department.head_id is None or department.head_id == employee.user_id:
        return None
    return next((candidate for candidate in candidates if candidate.user.pk == department.head_id), None)
