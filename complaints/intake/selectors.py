"""Reads of the intake: the public form's links (the company's first, then each department's),
the managers' home panel of refused submissions, and the mail put in quarantine."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from complaints.intake import flood
from complaints.intake.addresses import department_address_among, recipient_addresses
from complaints.intake.links import IntakeTarget, intake_target
from complaints.intake.models import DepartmentMailAddress, QuarantinedMail
from people.home import HomePanel
from people.models import Department
from people.roles import MANAGER, has_role
from people.selectors import department_list


def intake_targets() -> list[IntakeTarget]:
    """Every public-form link to print: the company's, then one per department by name, each
    with the department's complaint address (two queries)."""
    addresses = dict(DepartmentMailAddress.objects.values_list("department_id", "address"))
    return [
        intake_target(None),
        *(
            intake_target(department, mail_address=addresses.get(department.pk, ""))
            for department in department_list()
        ),
    ]


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
