"""A long thread: the complaint's page shows its newest entries, in time order, with a link to
all of them, in the same number of queries however long the thread is."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import views
from complaints.conversation.models import ComplaintMessage
from complaints.conversation.selectors import complaint_thread_tail
from complaints.models import ComplaintEvent
from tests.factories import ComplaintFactory, UserFactory

pytestmark = pytest.mark.django_db
START = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))


def _complaint(*, messages: int, events: int = 3):
    complaint = ComplaintFactory()
    ComplaintEvent.objects.filter(complaint=complaint).delete()
    for n in range(events):
        ComplaintEvent.objects.create(
            complaint=complaint, at=START + datetime.timedelta(hours=2 * n), kind="created"
        )
    for n in range(messages):
        ComplaintMessage.objects.create(
            complaint=complaint, kind="note", at=START + datetime.timedelta(hours=n), body=f"Note {n}"
        )
    return complaint


def test_the_tail_is_the_newest_entries_of_the_whole_thread_in_order():
    complaint = _complaint(messages=6, events=4)
    everything = complaint_thread_tail(complaint=complaint, latest=None).entries
    tail = complaint_thread_tail(complaint=complaint, latest=5)
    assert tail.entries == everything[-5:]
    assert tail.earlier


def test_a_short_thread_is_shown_whole():
    complaint = _complaint(messages=2, events=2)
    tail = complaint_thread_tail(complaint=complaint, latest=4)
    whole = complaint_thread_tail(complaint=complaint, latest=None)
    assert tail.entries == whole.entries
    assert not tail.earlier and not whole.earlier


def _page(client, complaint, query=""):
    return client.get(reverse("complaints:complaint_detail", args=[complaint.pk]) + query).content.decode()


def test_the_page_shows_the_latest_entries_and_links_to_the_rest(monkeypatch):
    monkeypatch.setattr(views, "THREAD_SHOWN", 4)
    complaint = _complaint(messages=8)
    client = Client()
    client.force_login(UserFactory(roles=["Manager"]))
    page = _page(client, complaint)
    assert page.count('data-kind="note"') == 4
    assert "Note 7" in page and "Note 3" not in page
    assert 'data-testid="thread-earlier"' in page and "?thread=all#timeline" in page
    whole = _page(client, complaint, "?thread=all")
    assert whole.count('data-kind="note"') == 8
    assert 'data-testid="thread-earlier"' not in whole


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_link_to_the_earlier_entries_is_translated(monkeypatch, language):
    monkeypatch.setattr(views, "THREAD_SHOWN", 4)
    complaint = _complaint(messages=8)
    client = Client(headers={"accept-language": language})
    client.force_login(UserFactory(roles=["Manager"]))
    page = _page(client, complaint)
    expected = "Only the latest 4 entries are shown" if language == "en" else "Показаны только последние 4"
    assert expected in page


def test_the_page_takes_as_many_queries_for_a_long_thread_as_for_a_short_one(django_assert_num_queries):
    client = Client()
    client.force_login(UserFactory(roles=["Manager"]))
    short, long = _complaint(messages=3), _complaint(messages=150)
    _page(client, short)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as counted:
        _page(client, short)
    with django_assert_num_queries(len(counted)):
        page = _page(client, long)
    assert page.count('data-kind="note"') == views.THREAD_SHOWN
