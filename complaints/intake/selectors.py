"""Reads of the intake: the public form's links (the company's, then each department's a page at a time),
the managers' home panel of refused submissions, and the mail put in quarantine."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from complaints.intake import flood
from complaints.intake.addresses import department_address_among, recipient_addresses
from complaints.intake.links import IntakeTarget, intake_target
from complaints.intake.models import DepartmentMailAddress, QuarantinedMail
from people.home import HomePanel
from people.models import Department
from people.roles import MANAGER, has_role
from people.selectors import department_list

# Departments' links a page: each is a card with its QR code and address form, so the page
# costs what it shows, and a company of 40 departments pages them (the company's link stays).
DEPARTMENTS_PER_PAGE = 11


def company_intake_target() -> IntakeTarget:
    """The company-wide link (complaints filed under no department)."""
    return intake_target(None)


def _departments_by_name() -> QuerySet[Department]:
    return department_list().order_by("name", "pk")


def intake_department_page(*, number: int | str | None) -> Page:
    """One page of the departments' links, by name, each with the department's complaint
    address (three queries: the count, the page, its addresses). A page number out of range
    gives the last page, one that is not a number the first."""
    page = Paginator(_departments_by_name(), DEPARTMENTS_PER_PAGE).get_page(number)
    departments = list(page.object_list)
    addresses = dict(
        DepartmentMailAddress.objects.filter(department__in=departments).values_list(
            "department_id", "address"
        )
    )
    page.object_list = [
        intake_target(department, mail_address=addresses.get(department.pk, "")) for department in departments
    ]
    return page


def intake_page_number_of(department: Department) -> int:
    """The page of :func:`intake_department_page` that shows ``department`` (one count)."""
    before = (
        _departments_by_name()
        .filter(Q(name__lt=department.name) | Q(name=department.name, pk__lt=department.pk))
        .count()
    )
    return before // DEPARTMENTS_PER_PAGE + 1


def department_for_recipients(recipients: Iterable[str]) -> Department | None:
    """The department a new mail is about: the one whose complaint address comes first among
    its ``recipients`` (complaints.intake.addresses.department_address_among); None when no
    recipient is a department's address. One query."""
    wanted = recipient_addresses(recipients)
    if not wanted:
        return None
    rows = list(DepartmentMailAddress.objects.filter(address__in=wanted).select_related("department"))
    departments = {row.department_id: row.department for row in rows}
    addresses = {row.address: row.department_id for row in rows}
    return departments.get(department_address_among(wanted, addresses))


def home_panels(user) -> list[HomePanel]:
    """For managers, once the public form refused anything this week: how much, today and
    this week, with the link to the intake page (a flood shows on the home page)."""
    if not has_role(user, MANAGER):
        return []
    total = flood.refusal_counts()[-1]
    if not total["week"]:
        return []
    return [
        HomePanel(
            title=_("Public complaint form: refused submissions"),
            template="complaints/intake/panel_refusals.html",
            context={"today": total["today"], "week": total["week"]},
            priority=5,
        )
    ]


# The intake page lists this many of the latest quarantined mails (the admin has them all).
QUARANTINE_SHOWN = 20


def quarantined_mail_latest(limit: int = QUARANTINE_SHOWN) -> list[QuarantinedMail]:
    """The latest mails the intake put aside, newest first (one query)."""
    return list(QuarantinedMail.objects.order_by("-received_at", "-id")[:limit])


def quarantined_mail_count() -> int:
    return QuarantinedMail.objects.count()
