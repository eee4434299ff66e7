"""Did the action work? A completed corrective action gets an effectiveness check 90 days
later; at its date the complaints of the same root cause and department before and after
are compared; the owner confirms, and "not effective" reopens it as a new action."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import services as complaint_services
from complaints.models import ActionKind, ActionStatus, CorrectiveAction
from notifications.registry import reminder_items
from people.roles import MANAGER, STAFF
from programme import services, tasks
from programme.models import CheckStatus, EffectivenessCheck, Verdict
from tests.factories import (
    ComplaintFactory,
    CorrectiveActionFactory,
    DepartmentFactory,
    EmployeeFactory,
    StandardFactory,
    UserFactory,
    publish_standard_version,
)

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
CREATED = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=MOSCOW)
COMPLETED = datetime.datetime(2026, 4, 1, 10, 0, tzinfo=MOSCOW)


def _complaint(day: datetime.date, *, department, cause="processes"):
    received = datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=MOSCOW)
    return ComplaintFactory(
        received_at=received,
        department=department,
        status="resolved" if cause else "new",
        root_cause=cause,
        resolved_at=received + datetime.timedelta(days=1) if cause else None,
    )


def _completed_action(*, department, owner=None):
    """An action created on 1 March about a process complaint, completed by hand on 1 April."""
    trigger = _complaint(datetime.date(2026, 2, 20), department=department)
    with time_machine.travel(CREATED, tick=False):
        action = complaint_services.corrective_action_create(
            created_by=UserFactory(),
            kind=ActionKind.FIX_PROCESS,
            description="Keep call-back requests in the log",
            owner=owner or UserFactory(),
            due_on=datetime.date(2026, 3, 31),
            complaints=[trigger],
        )
    with time_machine.travel(COMPLETED, tick=False):
        complaint_services.corrective_action_complete(
            action=action, effectiveness_note="Done at the team meeting."
        )
    action.refresh_from_db()
    return action


def test_it_schedules_the_check_when_an_action_is_completed_by_hand(db):
    action = _completed_action(department=DepartmentFactory())

    check = action.effectiveness_check
    assert (check.completed_on, check.due_on, check.status) == (
        datetime.date(2026, 4, 1),
        datetime.date(2026, 6, 30),
        CheckStatus.SCHEDULED,
    )
    assert action.effectiveness_note.startswith("Done at the team meeting.")
    assert "Effectiveness check on 30 Jun 2026" in action.effectiveness_note


def test_it_schedules_no_check_for_a_cancelled_action(db):
    action = CorrectiveActionFactory()
    complaint_services.corrective_action_complete(
        action=action, effectiveness_note="Not needed.", cancelled=True
    )
    assert not EffectivenessCheck.objects.exists()


def test_it_refuses_to_close_an_action_without_a_word_on_its_effectiveness(db):
    with pytest.raises(ValidationError):
        complaint_services.corrective_action_complete(
            action=CorrectiveActionFactory(), effectiveness_note="  "
        )


def test_it_schedules_the_check_and_writes_the_note_when_the_standard_is_published(db):
    standard = StandardFactory()
    publish_standard_version(standard)
    action = complaint_services.corrective_action_create(
        created_by=UserFactory(),
        kind=ActionKind.REVISE_STANDARD,
        description="Add a call-back step",
        owner=UserFactory(),
        due_on=datetime.date(2026, 12, 1),
        standard=standard,
    )

    publish_standard_version(standard)
    assert complaint_services.corrective_actions_complete_published() == 1

    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.effectiveness_check.status == CheckStatus.SCHEDULED
    assert f"version 2.0 of {standard.code} was published" in action.effectiveness_note
    assert "Effectiveness check on" in action.effectiveness_note
    assert complaint_services.corrective_actions_complete_published() == 0
    assert EffectivenessCheck.objects.count() == 1


def test_it_catches_up_with_done_actions_without_a_check_or_a_note(db):
    with time_machine.travel(COMPLETED, tick=False):
        legacy = CorrectiveActionFactory(status="done", effectiveness_note="")
        CorrectiveAction.objects.filter(pk=legacy.pk).update(completed_at=COMPLETED)

    with time_machine.travel(datetime.datetime(2026, 5, 1, 7, tzinfo=MOSCOW), tick=False):
        tasks.check_effectiveness.delay().get()

    legacy.refresh_from_db()
    assert legacy.effectiveness_check.due_on == datetime.date(2026, 6, 30)
    assert legacy.effectiveness_note != ""


def test_it_compares_the_complaints_before_and_after_at_the_check_date(db):
    department, elsewhere = DepartmentFactory(), DepartmentFactory()
    action = _completed_action(department=department)
    # Before (1 Dec – 28 Feb): the trigger and eleven more; after (1 Apr – 29 Jun): one.
    for offset in range(11):
        _complaint(datetime.date(2025, 12, 1) + datetime.timedelta(days=8 * offset), department=department)
    _complaint(datetime.date(2026, 3, 15), department=department)  # while the action was in work
    _complaint(datetime.date(2026, 5, 5), department=department)
    _complaint(datetime.date(2026, 5, 6), department=department, cause="people")  # another cause
    _complaint(datetime.date(2026, 5, 7), department=elsewhere)  # another department
    _complaint(datetime.date(2026, 5, 8), department=department, cause="")  # not classified yet

    with time_machine.travel(datetime.datetime(2026, 6, 29, 7, tzinfo=MOSCOW), tick=False):
        assert tasks.check_effectiveness.delay().get() == 0  # not due yet
    with time_machine.travel(datetime.datetime(2026, 6, 30, 7, tzinfo=MOSCOW), tick=False):
        assert tasks.check_effectiveness.delay().get() == 1
        assert tasks.check_effectiveness.delay().get() == 0  # measured once

    check = EffectivenessCheck.objects.get(action=action)
    assert (check.before_start, check.before_end) == (datetime.date(2025, 12, 1), datetime.date(2026, 2, 28))
    assert (check.after_start, check.after_end) == (datetime.date(2026, 4, 1), datetime.date(2026, 6, 29))
    assert (check.before_count, check.after_count, check.unclassified_after) == (12, 1, 1)
    assert check.root_causes == ["processes"] and check.department_ids == [department.pk]
    assert check.ratio == pytest.approx(1 / 12)
    assert check.ratio_high < 1
    assert check.verdict == Verdict.FEWER
    assert check.status == CheckStatus.MEASURED
    action.refresh_from_db()
    assert (
        "12 in the 90 days before the action, 1 in the 90 days after its completion"
        in action.effectiveness_note
    )


def test_it_has_nothing_to_count_without_a_root_cause(db):
    action = CorrectiveActionFactory(status="done", effectiveness_note="Done.")
    check = services.effectiveness_check_schedule(action=action)
    EffectivenessCheck.objects.filter(pk=check.pk).update(due_on=datetime.date(2020, 1, 1))

    check = services.effectiveness_check_measure(check_id=check.pk)

    assert check.verdict == Verdict.NO_BASIS
    assert check.before_count == check.after_count == 0


def _measured(department=None, owner=None):
    action = _completed_action(department=department or DepartmentFactory(), owner=owner)
    with time_machine.travel(datetime.datetime(2026, 7, 1, 7, tzinfo=MOSCOW), tick=False):
        services.effectiveness_checks_run()
    return EffectivenessCheck.objects.get(action=action)


def test_it_reopens_an_action_confirmed_not_effective_as_a_new_one(db):
    check = _measured()
    owner = UserFactory()

    check = services.effectiveness_check_confirm(
        check=check,
        actor=check.action.owner,
        outcome="not_effective",
        comment="Calls still get lost at lunchtime.",
        follow_up_description="Keep call-backs in the log at lunchtime too",
        follow_up_owner=owner,
        follow_up_due_on=datetime.date(2026, 8, 1),
    )

    new = check.follow_up_action
    assert (new.kind, new.owner, new.due_on, new.status) == (
        ActionKind.FIX_PROCESS,
        owner,
        datetime.date(2026, 8, 1),
        ActionStatus.OPEN,
    )
    assert new.description == "Keep call-backs in the log at lunchtime too"
    assert list(new.complaints.all()) == list(check.action.complaints.all())
    assert (check.status, check.outcome) == (CheckStatus.CONFIRMED, "not_effective")
    check.action.refresh_from_db()
    assert f"reopened as action #{new.pk}" in check.action.effectiveness_note
    assert "Calls still get lost at lunchtime." in check.action.effectiveness_note


def test_it_records_an_effective_action_and_asks_only_once(db):
    check = _measured()
    services.effectiveness_check_confirm(check=check, actor=check.action.owner, outcome="effective")
    assert CorrectiveAction.objects.count() == 1
    with pytest.raises(ValidationError):
        services.effectiveness_check_confirm(check=check, actor=check.action.owner, outcome="effective")


def test_it_asks_the_owner_for_the_verdict_in_the_digest(db):
    check = _measured()
    items = [
        item for item in reminder_items(datetime.date(2026, 7, 1)) if item.kind == "effectiveness_verdict_due"
    ]
    assert [(item.recipient_user_id, item.key) for item in items] == [
        (check.action.owner_id, f"effectiveness:{check.pk}")
    ]
    assert reverse("programme:check_detail", args=[check.pk]) == items[0].url


def _in_a_month() -> str:
    return (datetime.date.today() + datetime.timedelta(days=30)).isoformat()


def test_it_lets_the_owner_give_the_verdict_on_the_page(client, db):
    owner = EmployeeFactory(roles=[STAFF])
    check = _measured(owner=owner.user)
    client.force_login(owner.user)
    page = client.get(reverse("programme:check_detail", args=[check.pk])).content.decode()
    assert 'data-testid="check-result"' in page

    response = client.post(
        reverse("programme:check_detail", args=[check.pk]),
        {"outcome": "not_effective", "follow_up_owner": owner.user.pk, "follow_up_due_on": _in_a_month()},
    )

    assert response.status_code == 302
    check.refresh_from_db()
    assert check.follow_up_action is not None and check.confirmed_by == owner.user


def test_it_asks_for_the_new_actions_owner_and_date(client, db):
    manager = EmployeeFactory(roles=[MANAGER])
    check = _measured()
    client.force_login(manager.user)
    response = client.post(reverse("programme:check_detail", args=[check.pk]), {"outcome": "not_effective"})
    assert "Who owns the new action?" in response.content.decode()
    check.refresh_from_db()
    assert check.status == CheckStatus.MEASURED


def test_it_refuses_the_check_to_other_staff(client, db):
    check = _measured()
    client.force_login(EmployeeFactory(roles=[STAFF]).user)
    assert client.get(reverse("programme:check_detail", args=[check.pk])).status_code == 403
