"""The brainstorm and the charter: entries in people's own words, one support per person,
merged duplicates, published revisions with who, when and what changed."""

from __future__ import annotations

import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from people.roles import HR, MANAGER, STAFF
from programme import selectors, services
from programme.models import CharterEntry, CharterRevision, CharterSupport
from programme.prompts import BENEFIT_PROMPTS, FEAR_PROMPTS
from tests.factories import EmployeeFactory, UserFactory
from tests.programme.factories import CharterEntryFactory


def test_it_adds_an_entry_in_its_authors_words(db):
    author = UserFactory()
    entry = services.charter_entry_propose(author=author, kind="fear", text="  It will cost a fortune.  ")
    assert (entry.kind, entry.text, entry.author) == ("fear", "It will cost a fortune.", author)
    assert not entry.in_charter


def test_it_refuses_an_entry_of_a_few_letters(db):
    with pytest.raises(ValidationError):
        services.charter_entry_propose(author=UserFactory(), kind="benefit", text="Good")


def test_it_counts_one_support_per_person(db):
    entry, user = CharterEntryFactory(), UserFactory()
    assert services.charter_entry_support(entry=entry, user=user) is True
    assert services.charter_entry_support(entry=entry, user=user) is False
    assert CharterSupport.objects.filter(entry=entry).count() == 1


def test_it_withdraws_a_support(db):
    entry, user = CharterEntryFactory(), UserFactory()
    services.charter_entry_support(entry=entry, user=user)
    assert services.charter_entry_withdraw_support(entry=entry, user=user) is True
    assert not CharterSupport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_keeps_one_support_when_two_clicks_race(require_postgres):
    entry, user = CharterEntryFactory(), UserFactory()
    barrier, results = threading.Barrier(2), []

    def click():
        try:
            barrier.wait()
            results.append(services.charter_entry_support(entry=entry, user=user))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, True]
    assert CharterSupport.objects.filter(entry=entry, user=user).count() == 1


def test_it_merges_a_duplicate_and_its_supporters_once(db):
    target, duplicate = CharterEntryFactory(), CharterEntryFactory()
    both, only_duplicate, only_target = UserFactory(), UserFactory(), UserFactory()
    for user in (both, only_target):
        services.charter_entry_support(entry=target, user=user)
    for user in (both, only_duplicate):
        services.charter_entry_support(entry=duplicate, user=user)
    earlier = CharterEntryFactory()
    services.charter_entries_merge(source=earlier, target=duplicate, actor=UserFactory())

    services.charter_entries_merge(source=duplicate, target=target, actor=UserFactory())

    duplicate.refresh_from_db()
    earlier.refresh_from_db()
    assert duplicate.merged_into == target and earlier.merged_into == target
    assert set(CharterSupport.objects.filter(entry=target).values_list("user", flat=True)) == {
        both.pk,
        only_duplicate.pk,
        only_target.pk,
    }
    assert not CharterSupport.objects.filter(entry=duplicate).exists()
    assert [entry.pk for entry in selectors.brainstorm_entries(user=both)] == [target.pk]


def test_it_merges_only_entries_of_the_same_kind(db):
    with pytest.raises(ValidationError):
        services.charter_entries_merge(
            source=CharterEntryFactory(kind="fear"), target=CharterEntryFactory(), actor=UserFactory()
        )


def test_it_refuses_to_support_a_merged_entry(db):
    target, duplicate = CharterEntryFactory(), CharterEntryFactory()
    services.charter_entries_merge(source=duplicate, target=target, actor=UserFactory())
    duplicate.refresh_from_db()
    with pytest.raises(ValidationError):
        services.charter_entry_support(entry=duplicate, user=UserFactory())


def _mark(entry, **kwargs):
    return services.charter_entry_update(entry=entry, in_charter=True, **kwargs)


def test_it_publishes_revisions_with_who_and_what_changed(db):
    manager = UserFactory()
    benefit = _mark(CharterEntryFactory(text="Loyal guests bring their friends."))
    services.charter_entry_support(entry=benefit, user=UserFactory())
    fear = _mark(
        CharterEntryFactory(kind="fear", text="Customers won't notice."),
        answer="If they notice, fewer leave.",
        answer_figure="churn",
    )

    first = services.charter_publish(actor=manager, note="Our first charter.")

    assert (first.number, first.published_by, first.note) == (1, manager, "Our first charter.")
    assert first.content["benefits"] == [{"entry": benefit.pk, "text": benefit.text, "supporters": 1}]
    assert first.content["fears"][0] | {} == {
        "entry": fear.pk,
        "text": "Customers won't notice.",
        "supporters": 0,
        "answer": "If they notice, fewer leave.",
        "figure": "churn",
    }
    assert {(change["change"], change["entry"]) for change in first.changes} == {
        ("added", benefit.pk),
        ("added", fear.pk),
    }

    services.charter_entry_update(entry=benefit, in_charter=False)
    _mark(fear, answer="Monthly churn will tell.", answer_figure="churn")
    second = services.charter_publish(actor=manager)

    assert second.number == 2
    assert {(change["change"], change["entry"]) for change in second.changes} == {
        ("removed", benefit.pk),
        ("answer_changed", fear.pk),
    }
    assert selectors.current_charter() == second


def test_it_publishes_no_fear_without_its_answer(db):
    _mark(CharterEntryFactory())
    CharterEntryFactory(kind="fear", in_charter=True)
    with pytest.raises(ValidationError, match="Answer every fear"):
        services.charter_publish(actor=UserFactory())


def test_it_does_not_publish_an_unchanged_charter(db):
    _mark(CharterEntryFactory())
    services.charter_publish(actor=UserFactory())
    with pytest.raises(ValidationError, match="Nothing changed"):
        services.charter_publish(actor=UserFactory())
    assert CharterRevision.objects.count() == 1


def test_it_needs_an_entry_to_publish(db):
    with pytest.raises(ValidationError):
        services.charter_publish(actor=UserFactory())


# --- pages -----------------------------------------------------------------------------------


def test_it_lets_staff_propose_an_entry(staff_client, staff_employee):
    response = staff_client.post(
        reverse("programme:brainstorm"), {"kind": "benefit", "text": "Regulars buy the extended warranty."}
    )
    assert response.status_code == 302
    entry = CharterEntry.objects.get()
    assert entry.author == staff_employee.user and entry.text == "Regulars buy the extended warranty."


def test_it_lets_staff_support_an_entry_once_from_the_page(staff_client, staff_employee):
    entry = CharterEntryFactory()
    url = reverse("programme:entry_support", args=[entry.pk])
    staff_client.post(url)
    response = staff_client.post(url, follow=True)
    assert "one support per person" in response.content.decode()
    assert CharterSupport.objects.filter(entry=entry).count() == 1


def test_it_offers_the_articles_arguments_as_prompts_never_as_entries(staff_client):
    body = staff_client.get(reverse("programme:brainstorm")).content.decode()
    for prompt in (*BENEFIT_PROMPTS, *FEAR_PROMPTS):
        assert str(prompt.text).replace("'", "&#x27;") in body
    # The form starts empty and nothing is in the brainstorm until someone writes it.
    assert re.search(r'<textarea name="text"[^>]*>\s*</textarea>', body)
    assert not CharterEntry.objects.exists()


def test_it_lets_a_manager_mark_a_fear_for_the_charter_with_its_answer(manager_client):
    fear = CharterEntryFactory(kind="fear")
    response = manager_client.post(
        reverse("programme:entry_manage", args=[fear.pk]),
        {"form": "manage", "in_charter": "on", "answer": "The churn will show it.", "answer_figure": "churn"},
    )
    assert response.status_code == 302
    fear.refresh_from_db()
    assert (fear.in_charter, fear.answer, fear.answer_figure) == (True, "The churn will show it.", "churn")


def test_it_refuses_a_fear_in_the_charter_without_an_answer(manager_client):
    fear = CharterEntryFactory(kind="fear")
    response = manager_client.post(
        reverse("programme:entry_manage", args=[fear.pk]), {"form": "manage", "in_charter": "on"}
    )
    assert "A fear goes into the charter with its answer." in response.content.decode()
    fear.refresh_from_db()
    assert not fear.in_charter


def test_it_merges_from_the_page(manager_client):
    target, duplicate = CharterEntryFactory(), CharterEntryFactory()
    manager_client.post(
        reverse("programme:entry_manage", args=[duplicate.pk]), {"form": "merge", "target": target.pk}
    )
    duplicate.refresh_from_db()
    assert duplicate.merged_into == target


def test_it_publishes_from_the_page_and_shows_the_revision(manager_client, staff_client):
    _mark(CharterEntryFactory(text="Word of mouth brings us new customers."))
    response = manager_client.post(reverse("programme:charter_publish"), {"note": "First one."})
    assert response.status_code == 302
    body = staff_client.get(reverse("programme:charter")).content.decode()
    assert "Word of mouth brings us new customers." in body
    assert "Revision 1" in body
    history = staff_client.get(reverse("programme:charter_history")).content.decode()
    assert "First one." in history


@pytest.mark.parametrize("role", [STAFF, HR, MANAGER])
def test_it_links_the_charter_from_every_home_page(client, db, role):
    client.force_login(EmployeeFactory(roles=[role]).user)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="panel-charter"' in body
    assert reverse("programme:brainstorm") in body


def test_it_builds_the_brainstorm_in_bounded_queries(staff_client, django_assert_max_num_queries):
    def grow(count):
        for _ in range(count):
            entry = CharterEntryFactory()
            for _ in range(3):
                services.charter_entry_support(entry=entry, user=UserFactory())

    for size in (2, 12):
        grow(size)
        with django_assert_max_num_queries(12):
            assert staff_client.get(reverse("programme:brainstorm")).status_code == 200
