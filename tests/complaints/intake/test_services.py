"""Writing a public-form complaint: the customer matched by email, the summary from the story."""

from __future__ import annotations

from complaints.intake.links import intake_target
from complaints.intake.services import SUMMARY_MAX_LENGTH, public_complaint_create, summary_from_story
from complaints.models import ComplaintEvent, EventKind
from customers.models import Customer
from tests.factories import CustomerFactory


def test_it_links_the_customer_whose_email_it_is_whatever_the_case(department):
    customer = CustomerFactory(email="Elena.Petrova@Example.com")

    complaint = public_complaint_create(
        target=intake_target(department),
        story="Broken kettle",
        name="Elena",
        contact="elena.petrova@example.COM",
    )

    assert complaint.customer == customer
    assert (complaint.customer_name, complaint.customer_contact) == ("Elena", "elena.petrova@example.COM")


def test_it_makes_a_new_customer_of_a_stranger_and_keeps_the_contact(department):
    CustomerFactory(email="someone@example.com")

    complaint = public_complaint_create(
        target=intake_target(department), story="Broken kettle", name="Ann", contact="ann@example.com"
    )

    customer = complaint.customer
    assert (customer.name, customer.email, customer.created_here) == ("Ann", "ann@example.com", True)
    assert (complaint.customer_name, complaint.customer_contact) == ("Ann", "ann@example.com")


def test_it_names_a_new_customer_by_the_address_when_no_name_is_given(department):
    complaint = public_complaint_create(
        target=intake_target(department), story="Broken kettle", contact="ann.lee@example.com"
    )

    assert complaint.customer.name == "ann.lee"


def test_it_links_nobody_and_makes_nobody_when_two_customers_share_the_email(department):
    CustomerFactory(email="family@example.com")
    CustomerFactory(email="FAMILY@example.com")

    complaint = public_complaint_create(
        target=intake_target(department), story="Broken kettle", contact="family@example.com"
    )

    assert complaint.customer is None
    assert Customer.objects.count() == 2


def test_it_neither_matches_nor_makes_a_customer_by_a_phone_number(department):
    CustomerFactory(phone="+7 900 123-45-67", email="")

    complaint = public_complaint_create(
        target=intake_target(department), story="x", contact="+7 900 123-45-67"
    )

    assert complaint.customer is None
    assert Customer.objects.count() == 1


def test_it_makes_no_customer_without_a_contact(department):
    complaint = public_complaint_create(target=intake_target(department), story="x", name="Ann")

    assert complaint.customer is None
    assert not Customer.objects.exists()


def test_it_puts_the_complaint_on_the_timeline_as_logged_by_nobody(department):
    complaint = public_complaint_create(target=intake_target(department), story="Broken kettle")

    event = ComplaintEvent.objects.get(complaint=complaint)
    assert (event.kind, event.actor) == (EventKind.CREATED, None)


def test_it_summarises_by_the_first_line():
    assert summary_from_story("\n  Late delivery  \nThe rest of it") == "Late delivery"


def test_it_cuts_a_long_first_line_at_a_word():
    summary = summary_from_story("word " * 100)

    assert len(summary) <= SUMMARY_MAX_LENGTH
    assert summary.endswith("word…")


def test_it_cuts_a_line_without_spaces_to_fit():
    summary = summary_from_story("x" * 500)

    assert len(summary) == SUMMARY_MAX_LENGTH and summary.endswith("…")
