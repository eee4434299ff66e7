"""What the customer page (``customers:customer_detail``) shows of the complaint log.

Registered from ``ComplaintsConfig.ready()`` through :mod:`customers.page`, so the
customers app, below this one, never imports it:

- who may see a customer besides managers: anyone who may see one of their complaints;
- the customer's complaints with their status (paged), the answers to the satisfaction
  survey after resolution and, for managers, to the weekly pulse survey;
- their contacts: complaints received, surveys sent and answered.

Only complaints the reader may see are shown, and so only their surveys. Each function
runs a fixed number of queries (a page, or the newest ``limit`` rows).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils.translation import gettext as _

from common.formatting import ShortDates, choice_labels
from common.query_params import int_param
from common.row_links import url_for_id
from complaints.badges import StatusBadges
from complaints.models import Channel, Complaint
from complaints.selectors import complaints_visible_to
from complaints.survey.models import SatisfactionSurvey, SurveyAnswer
from complaints.survey.pulse.models import PulseInvitation
from customers.models import Customer
from customers.page import ContactEntry, CustomerSection
from people.roles import MANAGER, has_role

COMPLAINTS_PAGE_SIZE = 20
ANSWERS_SHOWN = 20


def _complaints_of(customer: Customer, user):
    return complaints_visible_to(user).filter(customer=customer)


def customer_visible(*, user, customer: Customer) -> bool:
    """Staff see a customer when they may see one of the customer's complaints."""
    return _complaints_of(customer, user).exists()


@dataclass(frozen=True)
class CustomerComplaintRow:
    """One line of the customer's complaints, ready to print."""

    pk: int
    detail_url: str
    received: str
    channel: str
    summary: str
    department: str
    status_badge: str


def customer_complaint_rows(complaints) -> list[CustomerComplaintRow]:
    """The rows of ``complaints`` (with their department selected): labels from a dict made once,
    links without a ``reverse`` each, the status badge rendered once per kind of badge."""
    detail_url = url_for_id("complaints:complaint_detail")
    channel_label = choice_labels(Channel)
    dates = ShortDates()
    # Without a ``today``, as the include was here: the page never marked a complaint overdue.
    badges = StatusBadges()
    rows = []
    for complaint in complaints:
        rows.append(
            CustomerComplaintRow(
                pk=complaint.pk,
                detail_url=detail_url(complaint.pk),
                received=dates.date(complaint.received_at),
                channel=channel_label(complaint.channel),
                summary=complaint.summary,
                department=str(complaint.department) if complaint.department_id else "—",
                status_badge=badges.badge(complaint),
            )
        )
    return rows


def complaints_section(*, customer: Customer, user, params: QueryDict) -> CustomerSection:
    complaints = _complaints_of(customer, user).select_related("department").order_by("-received_at", "-id")
    page = Paginator(complaints, COMPLAINTS_PAGE_SIZE).get_page(int_param(params, "page", default=1))
    return CustomerSection(
        title=_("Complaints"),
        template="complaints/snippets/customer_complaints.html",
        context={"page": page, "rows": customer_complaint_rows(page)},
        order=10,
    )


def survey_answers_section(*, customer: Customer, user, params: QueryDict) -> CustomerSection:
    surveys = (
        SatisfactionSurvey.objects.filter(complaint__in=_complaints_of(customer, user))
        .exclude(answer="")
        .select_related("complaint")
        .order_by("-answered_at", "-id")[:ANSWERS_SHOWN]
    )
    pulse = []
    if has_role(user, MANAGER):
        pulse = list(
            PulseInvitation.objects.filter(customer=customer, answered_at__isnull=False).order_by(
                "-answered_at", "-id"
            )[:ANSWERS_SHOWN]
        )
    return CustomerSection(
        title=_("Survey answers"),
        template="complaints/snippets/customer_survey_answers.html",
        context={"surveys": list(surveys), "pulse": pulse},
        order=20,
    )


def contacts(*, customer: Customer, user, limit: int) -> list[ContactEntry]:
    """Complaints received, satisfaction surveys sent and answered, pulse surveys (managers)."""
    entries = []
    complaints: list[Complaint] = list(_complaints_of(customer, user).order_by("-received_at", "-id")[:limit])
    detail_url = url_for_id("complaints:complaint_detail")
    channel_label = choice_labels(Channel)
    received = _("Complaint #%(number)s received (%(channel)s): %(summary)s")
    for complaint in complaints:
        entries.append(
            ContactEntry(
                at=complaint.received_at,
                text=received
                % {
                    "number": complaint.pk,
                    "channel": channel_label(complaint.channel),
                    "summary": complaint.summary,
                },
                url=detail_url(complaint.pk),
            )
        )
    answer_label = choice_labels(SurveyAnswer)
    surveys = (
        SatisfactionSurvey.objects.filter(complaint__in=_complaints_of(customer, user))
        .select_related("notification")
        .order_by("-created_at", "-id")[:limit]
    )
    for survey in surveys:
        sent_at = survey.notification.sent_at if survey.notification and survey.notification.sent_at else None
        entries.append(
            ContactEntry(
                at=sent_at or survey.created_at,
                text=(
                    _("Survey about complaint #%(number)s sent to %(email)s")
                    if sent_at
                    else _("Survey about complaint #%(number)s prepared for %(email)s")
                )
                % {"number": survey.complaint_id, "email": survey.email},
            )
        )
        if survey.answered_at:
            entries.append(
                ContactEntry(
                    at=survey.answered_at,
                    text=_("Answered the survey about complaint #%(number)s: %(answer)s")
                    % {"number": survey.complaint_id, "answer": answer_label(survey.answer)},
                )
            )
    if has_role(user, MANAGER):
        for invitation in PulseInvitation.objects.filter(customer=customer).order_by("-created_at", "-id")[
            :limit
        ]:
            entries.append(
                ContactEntry(
                    at=invitation.created_at,
                    text=_("Pulse survey sent to %(email)s") % {"email": invitation.email},
                )
            )
            if invitation.answered_at:
                entries.append(ContactEntry(at=invitation.answered_at, text=_("Answered the pulse survey")))
    return entries
