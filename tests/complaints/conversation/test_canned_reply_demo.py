"""The demo's canned replies: English and Russian, for any complaint and for root causes, added
once, and never over what managers wrote."""

from __future__ import annotations

from complaints.conversation import demo
from complaints.conversation.models import CannedReply
from complaints.conversation.placeholders import PLACEHOLDERS
from tests.factories import CannedReplyFactory, UserFactory


def test_it_seeds_replies_in_both_languages_once(db):
    manager = UserFactory(username="manager")
    demo.seed()
    demo.seed()
    replies = list(CannedReply.objects.all())
    assert len(replies) == len(demo.REPLIES)
    assert {reply.language for reply in replies} == {"en", "ru"}
    assert {reply.root_cause for reply in replies} > {""}
    assert all(reply.is_active and reply.updated_by == manager for reply in replies)
    used = {token for reply in replies for token in PLACEHOLDERS if f"{{{token}}}" in reply.body}
    # The reply email greets the customer by name itself: a demo text that did too would
    # read "Dear Anna, Dear Anna," to the customer.
    assert used == set(PLACEHOLDERS) - {"customer_name"}
    assert not any(reply.body.startswith(("Dear", "Здравствуйте", "Уважаем")) for reply in replies)


def test_it_adds_nothing_where_managers_wrote_replies(db):
    CannedReplyFactory(title="Ours")
    demo.seed()
    assert list(CannedReply.objects.values_list("title", flat=True)) == ["Ours"]
