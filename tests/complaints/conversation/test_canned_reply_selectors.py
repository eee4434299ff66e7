"""Which canned replies a complaint's reply may start from (its root cause's first, then the
general ones; active only; in the customer's language or any) and the managers' list."""

from __future__ import annotations

import pytest

from complaints.conversation.selectors import (
    GENERAL,
    canned_replies_fitting,
    canned_reply_list,
    canned_reply_start,
)
from tests.factories import CannedReplyFactory, ComplaintFactory, UserFactory

pytestmark = pytest.mark.django_db


def _titles(replies) -> list[str]:
    return [reply.title for reply in replies]


def test_it_offers_the_root_causes_replies_before_the_general_ones():
    CannedReplyFactory(title="A general", root_cause="")
    CannedReplyFactory(title="B systems", root_cause="systems")
    CannedReplyFactory(title="C people", root_cause="people")
    complaint = ComplaintFactory(root_cause="systems")
    assert _titles(canned_replies_fitting(complaint=complaint, language="en")) == ["B systems", "A general"]


def test_it_offers_only_the_general_ones_for_a_complaint_without_a_root_cause():
    CannedReplyFactory(title="General", root_cause="")
    CannedReplyFactory(title="Systems", root_cause="systems")
    assert _titles(canned_replies_fitting(complaint=ComplaintFactory(root_cause=""), language="en")) == [
        "General"
    ]


def test_it_hides_inactive_replies():
    CannedReplyFactory(title="Active")
    CannedReplyFactory(title="Switched off", is_active=False)
    assert _titles(canned_replies_fitting(complaint=ComplaintFactory(), language="en")) == ["Active"]


def test_it_offers_the_customers_language_first_then_any_language():
    CannedReplyFactory(title="Any language")
    CannedReplyFactory(title="English", language="en")
    CannedReplyFactory(title="Russian", language="ru")
    complaint = ComplaintFactory()
    assert _titles(canned_replies_fitting(complaint=complaint, language="ru")) == ["Russian", "Any language"]
    assert _titles(canned_replies_fitting(complaint=complaint, language="en")) == ["English", "Any language"]


@pytest.mark.parametrize("count", [2, 20])
def test_it_reads_the_fitting_replies_in_one_query(django_assert_num_queries, count):
    CannedReplyFactory.create_batch(count, root_cause="people")
    CannedReplyFactory.create_batch(count)
    complaint = ComplaintFactory(root_cause="people")
    with django_assert_num_queries(1):
        start = canned_reply_start(complaint=complaint, writer=None, language="en", canned="")
    assert len(start.replies) == 2 * count


def test_it_starts_from_the_chosen_reply_with_its_placeholders_filled():
    chosen = CannedReplyFactory(body="Dear {customer_name}, by {promise_date}. {0} %s")
    complaint = ComplaintFactory(customer_name="Elena Petrova", promised_on=None)
    start = canned_reply_start(
        complaint=complaint, writer=UserFactory(), language="en", canned=str(chosen.pk)
    )
    assert (start.chosen, start.refused) == (chosen, False)
    assert start.text == "Dear Elena Petrova, by {promise_date}. {0} %s"
    assert start.unfilled == ["{promise_date}"]


@pytest.mark.parametrize(
    "kind", ["inactive", "other root cause", "other language", "deleted", "not a number"]
)
def test_it_refuses_a_reply_that_does_not_fit(kind):
    complaint = ComplaintFactory(root_cause="people")
    reply = {
        "inactive": lambda: CannedReplyFactory(is_active=False),
        "other root cause": lambda: CannedReplyFactory(root_cause="systems"),
        "other language": lambda: CannedReplyFactory(language="ru"),
        "deleted": lambda: CannedReplyFactory(),
        "not a number": lambda: CannedReplyFactory(),
    }[kind]()
    canned = "²" if kind == "not a number" else str(reply.pk)
    if kind == "deleted":
        reply.delete()
    start = canned_reply_start(complaint=complaint, writer=None, language="en", canned=canned)
    assert (start.chosen, start.text, start.refused) == (None, "", True)


def test_it_lists_every_reply_for_managers_and_narrows_by_root_cause():
    general = CannedReplyFactory(title="General", is_active=False)
    people = CannedReplyFactory(title="People", root_cause="people")
    assert list(canned_reply_list()) == [general, people]
    assert list(canned_reply_list(root_cause=GENERAL)) == [general]
    assert list(canned_reply_list(root_cause="people")) == [people]
