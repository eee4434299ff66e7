"""The managers' canned reply pages: list by root cause, create, edit (with the placeholders
shown), deactivate or delete after a confirmation; staff get 403, anonymous visitors the login."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.conversation.models import CannedReply
from tests.factories import CannedReplyFactory

pytestmark = pytest.mark.django_db

FORM = {"title": "Apology", "root_cause": "people", "language": "en", "body": "Sorry, {customer_name}."}


def test_it_lists_the_replies_grouped_by_root_cause(manager_client):
    CannedReplyFactory(title="For anything")
    CannedReplyFactory(title="For people", root_cause="people")
    CannedReplyFactory(title="Old one", root_cause="people", is_active=False)
    response = manager_client.get(reverse("complaints:canned_reply_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('data-testid="canned-group"') == 2
    assert body.index("For anything") < body.index("Root cause: People (staff)") < body.index("For people")
    assert "not offered" in body


def test_it_filters_the_list_by_root_cause(manager_client):
    CannedReplyFactory(title="For anything")
    CannedReplyFactory(title="For people", root_cause="people")
    body = manager_client.get(reverse("complaints:canned_reply_list"), {"cause": "people"}).content.decode()
    assert "For people" in body and "For anything" not in body
    body = manager_client.get(reverse("complaints:canned_reply_list"), {"cause": "general"}).content.decode()
    assert "For anything" in body and "For people" not in body


def test_it_lists_everything_for_an_unknown_filter(manager_client):
    CannedReplyFactory(title="For anything")
    response = manager_client.get(reverse("complaints:canned_reply_list"), {"cause": "weather\x00"})
    assert response.status_code == 200
    assert "For anything" in response.content.decode()


def test_it_creates_a_reply(manager_client, manager_employee):
    response = manager_client.post(reverse("complaints:canned_reply_create"), {**FORM, "is_active": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:canned_reply_list")
    reply = CannedReply.objects.get()
    assert (reply.title, reply.root_cause, reply.language, reply.is_active, reply.updated_by) == (
        "Apology",
        "people",
        "en",
        True,
        manager_employee.user,
    )
    page = manager_client.get(response["Location"]).content.decode()
    assert "Canned reply “Apology” added." in page


def test_it_starts_a_new_reply_with_the_filtered_root_cause(manager_client):
    response = manager_client.get(reverse("complaints:canned_reply_create"), {"cause": "systems"})
    assert response.context["form"].initial["root_cause"] == "systems"


def test_it_shows_the_placeholders_on_the_form(manager_client):
    body = manager_client.get(reverse("complaints:canned_reply_create")).content.decode()
    for token in ("{customer_name}", "{reference}", "{promise_date}", "{handler_name}"):
        assert f"<code>{token}</code>" in body


def test_it_says_that_a_title_is_taken(manager_client):
    CannedReplyFactory(title="Apology", root_cause="people", language="en")
    response = manager_client.post(reverse("complaints:canned_reply_create"), FORM)
    assert response.status_code == 200
    assert "A canned reply with this title exists for the same root cause and language." in (
        response.content.decode()
    )
    assert CannedReply.objects.count() == 1


def test_it_keeps_what_was_typed_when_the_form_is_wrong(manager_client):
    response = manager_client.post(
        reverse("complaints:canned_reply_create"), {**FORM, "root_cause": "weather", "body": "Kept text"}
    )
    assert response.status_code == 200
    assert "Kept text" in response.content.decode()
    assert not CannedReply.objects.exists()


def test_it_edits_a_reply(manager_client, manager_employee):
    reply = CannedReplyFactory(title="Old title", updated_by=None)
    page = manager_client.get(reverse("complaints:canned_reply_edit", args=[reply.pk]))
    assert page.status_code == 200 and "Old title" in page.content.decode()
    response = manager_client.post(reverse("complaints:canned_reply_edit", args=[reply.pk]), FORM)
    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.title, reply.body, reply.is_active, reply.updated_by) == (
        "Apology",
        "Sorry, {customer_name}.",
        False,  # the box was not ticked
        manager_employee.user,
    )
    assert "Canned reply “Apology” saved." in manager_client.get(response["Location"]).content.decode()


def test_it_asks_before_deleting(manager_client):
    reply = CannedReplyFactory(title="Apology")
    response = manager_client.get(reverse("complaints:canned_reply_delete", args=[reply.pk]))
    assert response.status_code == 200
    assert 'data-testid="canned-delete-form"' in response.content.decode()
    assert CannedReply.objects.filter(pk=reply.pk).exists()


def test_it_deletes_a_reply(manager_client):
    reply = CannedReplyFactory(title="Apology")
    response = manager_client.post(reverse("complaints:canned_reply_delete", args=[reply.pk]), {"delete": ""})
    assert response.status_code == 302
    assert not CannedReply.objects.exists()
    assert "Canned reply “Apology” deleted." in manager_client.get(response["Location"]).content.decode()


def test_it_deactivates_a_reply_instead(manager_client):
    reply = CannedReplyFactory(title="Apology")
    response = manager_client.post(
        reverse("complaints:canned_reply_delete", args=[reply.pk]), {"deactivate": ""}
    )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.is_active is False
    assert "no longer offered" in manager_client.get(response["Location"]).content.decode()


def test_it_answers_404_for_a_reply_that_does_not_exist(manager_client):
    for name in ("complaints:canned_reply_edit", "complaints:canned_reply_delete"):
        assert manager_client.get(reverse(name, args=[2**62])).status_code == 404


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("complaints:canned_reply_list", "get"),
        ("complaints:canned_reply_create", "post"),
        ("complaints:canned_reply_edit", "post"),
        ("complaints:canned_reply_delete", "post"),
    ],
)
def test_it_lets_staff_use_but_not_change_replies(staff_client, client, name, method):
    reply = CannedReplyFactory(title="Apology")
    url = reverse(name, args=[reply.pk]) if name.endswith(("edit", "delete")) else reverse(name)
    assert getattr(staff_client, method)(url, FORM).status_code == 403
    anonymous = getattr(client, method)(url, FORM)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    reply.refresh_from_db()
    assert (reply.title, reply.is_active) == ("Apology", True)


def test_it_links_the_list_from_the_managers_navigation(manager_client, staff_client):
    url = reverse("complaints:canned_reply_list")
    assert url in manager_client.get(reverse("complaints:complaint_list")).content.decode()
    assert url not in staff_client.get(reverse("complaints:complaint_list")).content.decode()
