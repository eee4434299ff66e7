from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import services, tasks
from complaints.models import ActionKind, ActionStatus, CorrectiveAction
from complaints.selectors import corrective_actions_for_course, corrective_actions_for_standard
from tests.factories import (
    ComplaintFactory,
    CourseFactory,
    StandardFactory,
    UserFactory,
    publish_standard_version,
)

DUE = datetime.date(2026, 12, 1)


def _revise(standard, **kwargs):
    return services.corrective_action_create(
        created_by=UserFactory(),
        kind=ActionKind.REVISE_STANDARD,
        description="Say when the engineer will arrive",
        owner=UserFactory(),
        due_on=DUE,
        standard=standard,
        **kwargs,
    )


def test_it_opens_a_draft_for_the_standards_owner(db):
    standard = StandardFactory()
    publish_standard_version(standard)
    action = _revise(standard)
    assert action.standard_version.status == "draft"
    assert action.standard_version.created_by == standard.owner


def test_it_needs_a_standard_to_revise(db):
    with pytest.raises(ValidationError):
        _revise(None)


def test_it_completes_the_action_when_the_new_version_is_published(db):
    standard = StandardFactory()
    publish_standard_version(standard)
    action = _revise(standard, complaints=[ComplaintFactory()])
    assert services.corrective_actions_complete_published() == 0

    version = publish_standard_version(standard)

    assert tasks.complete_actions_for_published_standards.delay().get() == 1
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.standard_version == version
    assert action.completed_at is not None
    assert services.corrective_actions_complete_published() == 0


def test_it_completes_the_action_as_soon_as_the_version_is_published(db, django_capture_on_commit_callbacks):
    standard = StandardFactory()
    publish_standard_version(standard)
    action = _revise(standard, complaints=[ComplaintFactory()])

    with django_capture_on_commit_callbacks(execute=True):
        publish_standard_version(standard)

    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_it_links_a_training_action_to_its_course(db):
    course = CourseFactory()
    complaint = ComplaintFactory()
    action = services.corrective_action_create(
        created_by=UserFactory(),
        kind=ActionKind.TRAIN_STAFF,
        description="Refresher on promising conservatively",
        owner=UserFactory(),
        due_on=DUE,
        course=course,
        complaints=[complaint],
    )
    assert list(corrective_actions_for_course(course=course)) == [action]
    assert list(corrective_actions_for_course(course=course)[0].complaints.all()) == [complaint]


def test_it_lists_the_actions_behind_a_standard(db):
    standard = StandardFactory()
    action = _revise(standard)
    assert list(corrective_actions_for_standard(standard=standard)) == [action]


def test_it_creates_a_revise_action_from_the_form(manager_client, manager_employee):
    standard = StandardFactory()
    complaint = ComplaintFactory()
    response = manager_client.post(
        reverse("complaints:action_create"),
        {
            "kind": "revise_standard",
            "description": "Add a step: confirm the visit the day before",
            "owner": manager_employee.user.pk,
            "due_on": "2026-12-01",
            "standard": standard.pk,
            "complaint_numbers": str(complaint.pk),
        },
    )
    action = CorrectiveAction.objects.get()
    assert response.status_code == 302
    assert action.standard == standard and action.standard_version is not None


def test_it_asks_for_the_standard_in_the_form(manager_client, manager_employee):
    response = manager_client.post(
        reverse("complaints:action_create"),
        {
            "kind": "revise_standard",
            "description": "x",
            "owner": manager_employee.user.pk,
            "due_on": "2026-12-01",
        },
    )
    assert "Choose the standard to revise." in response.content.decode()
    assert not CorrectiveAction.objects.exists()


def test_it_lists_the_actions_and_complaints_on_the_standards_page(manager_client):
    standard = StandardFactory()
    publish_standard_version(standard)
    complaint = ComplaintFactory(summary="Nobody called back")
    _revise(standard, complaints=[complaint])
    body = manager_client.get(reverse("standards:standard_detail", args=[standard.pk])).content.decode()
    assert "Say when the engineer will arrive" in body
    assert reverse("complaints:complaint_detail", args=[complaint.pk]) in body


def test_it_lists_the_actions_on_the_course_page_without_complaint_links_for_hr(hr_client):
    course = CourseFactory()
    complaint = ComplaintFactory(summary="Operator did not listen")
    services.corrective_action_create(
        created_by=UserFactory(),
        kind=ActionKind.TRAIN_STAFF,
        description="Active listening drill",
        owner=UserFactory(),
        due_on=DUE,
        course=course,
        complaints=[complaint],
    )
    body = hr_client.get(reverse("training:course_edit", args=[course.pk])).content.decode()
    assert "Active listening drill" in body and "Operator did not listen" in body
    assert reverse("complaints:complaint_detail", args=[complaint.pk]) not in body


def test_it_installs_the_hourly_completion_task(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="complaints.complete_actions_for_published_standards")
    assert task.enabled and task.crontab.minute == "15"


def test_it_links_the_open_draft_for_a_manager(manager_client):
    standard = StandardFactory()
    publish_standard_version(standard)
    action = _revise(standard)
    page = manager_client.get(reverse("complaints:action_detail", args=[action.pk])).content.decode()
    assert 'data-testid="edit-draft"' in page
    assert reverse("standards:draft_edit", args=[action.standard_version.pk]) in page


def test_it_links_the_published_version_once_the_draft_is_out(manager_client):
    standard = StandardFactory()
    publish_standard_version(standard)
    action = _revise(standard)
    version = publish_standard_version(standard)
    tasks.complete_actions_for_published_standards.delay()
    page = manager_client.get(reverse("complaints:action_detail", args=[action.pk])).content.decode()
    assert 'data-testid="edit-draft"' not in page
    assert reverse("standards:version_detail", args=[version.pk]) in page
