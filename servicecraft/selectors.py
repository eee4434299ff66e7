"""Reads of the organisation, shared by every app."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .home import HomePanel
from .models import Department, Employee
from .roles import HR, MANAGER, has_role

User = get_user_model()


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


def department_list() -> QuerySet[Department]:
    return Department.objects.all()


def manager_users() -> QuerySet:
    """Active users holding the Manager role (or superusers), e.g. for report recipients."""
    return (
        User.objects.filter(is_active=True).filter(Q(groups__name=MANAGER) | Q(is_superuser=True)).distinct()
    )


def home_panels(user) -> list[HomePanel]:
    """Headcount by department, for HR and managers."""
    if not has_role(user, HR, MANAGER):
        return []
    today = timezone.localdate()
    active = Q(employees__left_on__isnull=True) | Q(employees__left_on__gt=today)
    departments = Department.objects.annotate(
        headcount=Count("employees", filter=active),
        customer_facing_count=Count("employees", filter=active & Q(employees__customer_facing=True)),
    ).order_by("name")
    return [
        HomePanel(
            title=_("People by department"),
            template="servicecraft/snippets/panel_headcount.html",
            context={"departments": departments},
            priority=-10,
        )
    ]
