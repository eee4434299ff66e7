"""The customer page's complaints and contacts made once a page: the same HTML and texts the
old per-row template and ``get_channel_display``/``reverse`` gave, in English and Russian."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation

from complaints import customer_page
from complaints.models import Complaint, Satisfaction
from tests.factories import ComplaintFactory, CustomerFactory, SatisfactionSurveyFactory, UserFactory
from tests.html import rendered, template_loop

pytestmark = pytest.mark.django_db

# The loop of complaints/snippets/customer_complaints.html before the rows were made in Python.
OLD_LOOP = Path(__file__).with_name("old_customer_complaints_loop.html")


def _customer():
    customer = CustomerFactory()
    received = timezone.make_aware(datetime.datetime(2026, 5, 4, 23, 30))
    ComplaintFactory(
        customer=customer, channel="email", status="new", received_at=received, summary="Cold <soup>"
    )
    ComplaintFactory(
        customer=customer,
        channel="phone",
        status="in_progress",
        promised_on=datetime.date(2020, 1, 1),
        received_at=received - datetime.timedelta(days=3),
        department=None,
    )
    ComplaintFactory(
        customer=customer,
        status="resolved",
        root_cause="people",
        customer_satisfied=Satisfaction.NO,
        received_at=received - datetime.timedelta(days=9),
    )
    return customer


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_complaint_rows_print_what_the_old_template_printed(language):
    customer = _customer()
    manager = UserFactory(roles=["Manager"])
    with translation.override(language):
        section = customer_page.complaints_section(customer=customer, user=manager, params=QueryDict())
        old = rendered(OLD_LOOP.read_text(), {"section": section})
        new = rendered(
            template_loop(
                "complaints/snippets/customer_complaints.html", "{% for row in section.context.rows %}"
            ),
            {"section": section},
        )
    assert new == old
    assert old.count("<tr>") == 3
    assert "text-bg-danger" in new  # the unsatisfied badge
    assert "Cold &lt;soup&gt;" in new


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_contacts_name_the_channel_and_link_the_complaint_as_before(language):
    customer = _customer()
    manager = UserFactory(roles=["Manager"])
    with translation.override(language):
        entries = customer_page.contacts(customer=customer, user=manager, limit=10)
        complaints = Complaint.objects.filter(customer=customer).order_by("-received_at", "-id")
        expected = [
            (
                translation.gettext("Complaint #%(number)s received (%(channel)s): %(summary)s")
                % {"number": c.pk, "channel": c.get_channel_display(), "summary": c.summary},
                reverse("complaints:complaint_detail", args=[c.pk]),
            )
            for c in complaints
        ]
    assert [(entry.text, entry.url) for entry in entries if entry.url] == expected


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_contacts_name_the_survey_answer_as_before(language):
    customer = CustomerFactory()
    survey = SatisfactionSurveyFactory(complaint__customer=customer, answer="no", answered_at=timezone.now())
    manager = UserFactory(roles=["Manager"])
    with translation.override(language):
        entries = customer_page.contacts(customer=customer, user=manager, limit=10)
        expected = translation.gettext("Answered the survey about complaint #%(number)s: %(answer)s") % {
            "number": survey.complaint_id,
            "answer": survey.get_answer_display(),
        }
    assert expected in [entry.text for entry in entries]
