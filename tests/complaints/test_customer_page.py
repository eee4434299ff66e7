"""What the complaints app adds to the customer page (complaints/customer_page.py)."""

from __future__ import annotations

import datetime

from django.http import QueryDict
from django.utils import timezone

from complaints import customer_page
from people.roles import MANAGER, STAFF
from tests.factories import (
    ComplaintFactory,
    CustomerFactory,
    EmployeeFactory,
    PulseInvitationFactory,
    SatisfactionSurveyFactory,
)


def test_it_lets_staff_see_a_customer_only_through_a_complaint_they_may_see(db):
    staff = EmployeeFactory(roles=[STAFF])
    customer = CustomerFactory()
    ComplaintFactory(customer=customer)
    assert not customer_page.customer_visible(user=staff.user, customer=customer)
    ComplaintFactory(customer=customer, handler=staff.user)
    assert customer_page.customer_visible(user=staff.user, customer=customer)


def test_it_shows_staff_only_the_survey_answers_of_complaints_they_may_see(db):
    staff = EmployeeFactory(roles=[STAFF])
    customer = CustomerFactory()
    own = ComplaintFactory(customer=customer, department=staff.department)
    SatisfactionSurveyFactory(complaint=own, answer="yes", answered_at=timezone.now())
    other = SatisfactionSurveyFactory(answer="no", answered_at=timezone.now())
    other.complaint.customer = customer
    other.complaint.save(update_fields=["customer"])
    PulseInvitationFactory(customer=customer, answered_at=timezone.now(), satisfaction=1)

    section = customer_page.survey_answers_section(customer=customer, user=staff.user, params=QueryDict())

    assert [s.complaint_id for s in section.context["surveys"]] == [own.pk]
    assert section.context["pulse"] == []


def test_it_shows_managers_the_pulse_answers(db):
    manager = EmployeeFactory(roles=[MANAGER])
    invitation = PulseInvitationFactory(answered_at=timezone.now(), satisfaction=5)
    section = customer_page.survey_answers_section(
        customer=invitation.customer, user=manager.user, params=QueryDict()
    )
    assert section.context["pulse"] == [invitation]


def test_it_lists_the_newest_contacts_up_to_the_limit(db):
    manager = EmployeeFactory(roles=[MANAGER])
    customer = CustomerFactory()
    for days in range(5):
        ComplaintFactory(customer=customer, received_at=timezone.now() - datetime.timedelta(days=days))
    entries = customer_page.contacts(customer=customer, user=manager.user, limit=3)
    assert len(entries) == 3
    assert all("received" in entry.text and entry.url for entry in entries)
