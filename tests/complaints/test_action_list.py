"""The corrective actions: a page of them, each with how many complaints it answers."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from complaints import selectors
from tests.factories import ComplaintFactory, CorrectiveActionFactory

URL = reverse("complaints:action_list")


def test_it_counts_the_complaints_of_each_action_on_the_page(db, django_assert_num_queries):
    answered = CorrectiveActionFactory()
    answered.complaints.add(*ComplaintFactory.create_batch(3))
    alone = CorrectiveActionFactory()

    with django_assert_num_queries(3):
        page = selectors.corrective_action_page(status="open", number=1, size=50)

    assert {action.pk: action.complaint_count for action in page} == {answered.pk: 3, alone.pk: 0}


def test_it_pages_the_actions_soonest_due_first(db):
    today = timezone.localdate()
    actions = [CorrectiveActionFactory(due_on=today + datetime.timedelta(days=d)) for d in (3, 1, 2)]

    pages = [list(selectors.corrective_action_page(status="open", number=n, size=2)) for n in (1, 2)]

    assert pages == [[actions[1], actions[2]], [actions[0]]]


def test_it_shows_the_open_ones_with_the_past_due_marked(manager_client):
    today = timezone.localdate()
    late = CorrectiveActionFactory(due_on=today - datetime.timedelta(days=1), description="Fix the late one")
    CorrectiveActionFactory(status="done", description="Already done")
    late.complaints.add(ComplaintFactory())

    body = manager_client.get(URL).content.decode()

    assert "Fix the late one" in body and "Already done" not in body
    assert "past due" in body
    assert f'href="{reverse("complaints:action_detail", args=[late.pk])}"' in body
