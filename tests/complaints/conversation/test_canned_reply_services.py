"""Managers write canned replies: cleaned text, one title per root cause and language, who
changed it last, deactivating and deleting."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from complaints.conversation import services
from complaints.conversation.models import CannedReply
from tests.factories import CannedReplyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return UserFactory(roles=["Manager"])


def _create(manager, **fields):
    return services.canned_reply_create(
        actor=manager, **{"title": "Apology", "body": "Sorry, {customer_name}.", **fields}
    )


def test_it_keeps_a_new_reply_with_its_author_and_time(manager):
    moment = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)
    with time_machine.travel(moment, tick=False):
        reply = _create(
            manager, title="  Apology\tfor the delay ", body="Sorry.\r\n\x00", root_cause="people"
        )
    reply.refresh_from_db()
    assert (reply.title, reply.body, reply.root_cause, reply.language, reply.is_active) == (
        "Apology for the delay",
        "Sorry.",
        "people",
        "",
        True,
    )
    assert (reply.updated_by, reply.updated_at) == (manager, moment)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"body": "\r\n "}, "body"),
        ({"root_cause": "weather"}, "root_cause"),
        ({"language": "xx"}, "language"),
    ],
)
def test_it_refuses_what_cannot_be_a_reply(manager, fields, field):
    with pytest.raises(ValidationError) as refused:
        _create(manager, **fields)
    assert field in refused.value.message_dict
    assert not CannedReply.objects.exists()


def test_it_refuses_a_title_taken_for_the_same_root_cause_and_language(manager):
    _create(manager, title="Apology", root_cause="people", language="en")
    with pytest.raises(ValidationError) as refused:
        _create(manager, title="APOLOGY", root_cause="people", language="en")
    assert "title" in refused.value.message_dict
    assert CannedReply.objects.count() == 1


def test_it_allows_the_same_title_for_another_root_cause_or_language(manager):
    _create(manager, title="Apology", root_cause="people", language="en")
    _create(manager, title="Apology", root_cause="systems", language="en")
    _create(manager, title="Apology", root_cause="people", language="ru")
    _create(manager, title="Apology")
    assert CannedReply.objects.count() == 4


def test_it_updates_a_reply_and_records_who(manager):
    reply = CannedReplyFactory(title="Old", updated_by=None)
    services.canned_reply_update(
        canned_reply=reply, actor=manager, title="New", body="New text", language="ru", is_active=False
    )
    reply.refresh_from_db()
    assert (reply.title, reply.body, reply.language, reply.is_active, reply.updated_by) == (
        "New",
        "New text",
        "ru",
        False,
        manager,
    )


def test_it_keeps_its_own_title_when_saved_again(manager):
    reply = _create(manager, title="Apology")
    services.canned_reply_update(canned_reply=reply, actor=manager, title="apology", body="Changed")
    reply.refresh_from_db()
    assert (reply.title, reply.body) == ("apology", "Changed")


def test_it_refuses_to_rename_a_reply_to_a_taken_title(manager):
    _create(manager, title="Apology")
    other = _create(manager, title="Thanks")
    with pytest.raises(ValidationError):
        services.canned_reply_update(canned_reply=other, actor=manager, title="Apology", body="x")
    other.refresh_from_db()
    assert other.title == "Thanks"


def test_it_deactivates_a_reply_once(manager):
    reply = CannedReplyFactory()
    assert services.canned_reply_deactivate(canned_reply=reply, actor=manager) is True
    assert services.canned_reply_deactivate(canned_reply=reply, actor=manager) is False
    reply.refresh_from_db()
    assert (reply.is_active, reply.updated_by) == (False, manager)


def test_it_deletes_a_reply():
    reply = CannedReplyFactory()
    services.canned_reply_delete(canned_reply=reply)
    assert not CannedReply.objects.exists()


def test_it_refuses_a_title_taken_at_the_same_moment(manager, monkeypatch):
    """Two managers saving the same title at once both pass the check; the database's
    constraint refuses the second, and it is told so like the first case."""
    _create(manager, title="Apology")
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with pytest.raises(ValidationError) as refused:
        _create(manager, title="apology")
    assert "title" in refused.value.message_dict
    assert CannedReply.objects.count() == 1
