"""Admins see and change canned replies; who saved one is recorded as its last editor."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.conversation.models import CannedReply
from tests.factories import CannedReplyFactory, UserFactory


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


def test_it_lists_and_saves_a_reply_with_its_editor(client, admin_user):
    client.force_login(admin_user)
    reply = CannedReplyFactory(title="Apology", updated_by=None)
    assert client.get(reverse("admin:complaints_cannedreply_changelist")).status_code == 200
    response = client.post(
        reverse("admin:complaints_cannedreply_change", args=[reply.pk]),
        {"title": "Apology", "body": "Sorry.", "root_cause": "", "language": "ru", "is_active": "on"},
    )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.body, reply.language, reply.updated_by) == ("Sorry.", "ru", admin_user)
    assert CannedReply.objects.count() == 1
