"""The answers the metrics read: was the complaint the customer says they made in the log?"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from complaints.survey.pulse import selectors as pulse
from tests.factories import ComplaintFactory, CustomerFactory, PulseInvitationFactory

ASKED = datetime.datetime(2024, 6, 10, 10, tzinfo=datetime.UTC)


def _told(customer=None, **fields):
    customer = customer or CustomerFactory(email="irina@example.com")
    return PulseInvitationFactory(
        customer=customer,
        email=customer.email,
        created_at=ASKED,
        answered_at=ASKED + datetime.timedelta(days=1),
        satisfaction=2,
        problem=True,
        told="on_the_spot",
        **fields,
    )


def _figures() -> dict:
    rows = pulse.answers_for_figures(since=ASKED - datetime.timedelta(days=400))
    return {row[0]: dict(zip(pulse.ANSWER_COLUMNS, row, strict=True)) for row in rows}


def test_it_finds_a_complaint_linked_to_the_customer(db):
    invitation = _told()
    ComplaintFactory(customer=invitation.customer, received_at=ASKED - datetime.timedelta(days=3))
    row = _figures()[invitation.customer_id]
    assert (row["logged"], row["resolved"]) == (True, False)


def test_it_finds_an_unlinked_complaint_that_carries_the_customers_address(db):
    invitation = _told()
    ComplaintFactory(
        customer=None,
        customer_contact="Irina@Example.com",
        received_at=ASKED - datetime.timedelta(days=10),
        status="resolved",
        root_cause="processes",
        resolved_at=ASKED,
    )
    row = _figures()[invitation.customer_id]
    assert (row["logged"], row["resolved"]) == (True, True)


def test_it_counts_a_complaint_logged_while_the_link_still_worked(db):
    invitation = _told()
    ComplaintFactory(customer=invitation.customer, received_at=ASKED + datetime.timedelta(days=5))
    assert _figures()[invitation.customer_id]["logged"] is True


@pytest.mark.parametrize(
    "complaint",
    [
        # Another customer's complaint, not linked and with another address.
        {"customer": None, "customer_contact": "someone.else@example.com", "days": -3},
        # The customer's, but before the time the question is about (30 days before asking).
        {"customer": "same", "customer_contact": "", "days": -31},
        # The customer's, but after the link expired.
        {"customer": "same", "customer_contact": "", "days": 31},
    ],
)
def test_it_does_not_count_a_complaint_of_someone_else_or_another_time(db, complaint):
    invitation = _told()
    ComplaintFactory(
        customer=invitation.customer if complaint["customer"] == "same" else None,
        customer_contact=complaint["customer_contact"],
        received_at=ASKED + datetime.timedelta(days=complaint["days"]),
    )
    assert _figures()[invitation.customer_id]["logged"] is False


def test_it_reads_only_answers_given_since(db):
    _told()
    PulseInvitationFactory(created_at=ASKED)  # not answered
    assert len(pulse.answers_for_figures(since=ASKED)) == 1
    assert pulse.answers_for_figures(since=ASKED + datetime.timedelta(days=2)) == []


def test_it_counts_a_weeks_emails_and_answers(db):
    _told()
    PulseInvitationFactory(created_at=ASKED)
    counts = pulse.answered_between(start=ASKED, end=ASKED + datetime.timedelta(days=7))
    assert counts == {"asked": 2, "answered": 1, "with_problem": 1, "told": 1}


def test_it_counts_emails_sent_and_answered_per_segment(db):
    now = timezone.now()
    PulseInvitationFactory(customer=CustomerFactory(segment="retail"), created_at=now, answered_at=now)
    PulseInvitationFactory(customer=CustomerFactory(segment="retail"), created_at=now)
    PulseInvitationFactory(customer=CustomerFactory(segment="business"), created_at=now)
    PulseInvitationFactory(
        customer=CustomerFactory(segment="business"), created_at=now, notification__status="failed"
    )
    rows = pulse.response_by_segment(since=now - datetime.timedelta(days=1))
    assert [(row.segment, row.sent, row.answered, row.rate) for row in rows] == [
        ("business", 1, 0, 0.0),
        ("retail", 2, 1, 0.5),
    ]
