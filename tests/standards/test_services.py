from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from standards import rules, services
from standards.models import Acknowledgement, AuditEvent, StandardStatus, StepFlag, VersionStatus
from tests.factories import EmployeeFactory, StandardFactory, UserFactory, publish_standard_version

pytestmark = pytest.mark.django_db

ALL_CONFIRMED = {key: True for key, _label in rules.CHECKLIST_ITEMS}
QUIZ = [
    ("What do you say first?", [("Hello", True), ("Next!", False)]),
    ("When do you greet?", [("Within 10 seconds", True), ("When asked", False)]),
]


def test_it_publishes_the_first_version_as_1_0_and_makes_it_current():
    version = publish_standard_version()
    standard = version.standard
    standard.refresh_from_db()

    assert version.label == "1.0"
    assert standard.current_version == version
    assert standard.status == StandardStatus.PUBLISHED
    assert len(version.content_hash) == 64


def test_it_refuses_to_change_a_published_version():
    version = publish_standard_version()

    with pytest.raises(services.VersionImmutableError):
        services.standard_draft_update(
            version=version, actor=version.standard.owner, body="changed", change_summary="", steps=[]
        )
    version.refresh_from_db()
    assert version.body == "Be **kind** to the customer."


def test_it_refuses_to_publish_a_published_version_twice():
    version = publish_standard_version()

    with pytest.raises(services.VersionImmutableError):
        services.standard_version_publish(
            version=version, publisher=version.standard.owner, checklist=ALL_CONFIRMED
        )


def test_it_starts_a_draft_copying_the_current_version():
    version = publish_standard_version(questions=QUIZ)
    draft = services.standard_version_start_draft(standard=version.standard, author=version.standard.owner)

    assert draft.status == VersionStatus.DRAFT
    assert draft.based_on == version
    assert draft.body == version.body
    assert [s.text for s in draft.steps.all()] == [s.text for s in version.steps.all()]
    assert draft.questions.count() == 2


def test_it_returns_the_open_draft_instead_of_a_second_one():
    version = publish_standard_version()
    first = services.standard_version_start_draft(standard=version.standard, author=version.standard.owner)
    second = services.standard_version_start_draft(standard=version.standard, author=UserFactory())

    assert first == second


def test_it_numbers_major_and_minor_versions():
    v1 = publish_standard_version()
    v11 = publish_standard_version(v1.standard, kind="minor")
    v2 = publish_standard_version(v1.standard)

    assert (v11.label, v2.label) == ("1.1", "2.0")


def test_it_keeps_the_major_publication_day_for_a_minor_version():
    with time_machine.travel(datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC)):
        v1 = publish_standard_version()
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)):
        v11 = publish_standard_version(v1.standard, kind="minor")

    assert v11.major_published_on == datetime.date(2026, 1, 10)


def test_it_refuses_to_publish_without_the_checklist():
    standard = StandardFactory()
    draft = services.standard_version_start_draft(standard=standard, author=standard.owner)
    services.standard_draft_update(
        version=draft, actor=standard.owner, body="x", change_summary="", steps=[services.StepInput("Smile")]
    )

    with pytest.raises(ValidationError):
        services.standard_version_publish(
            version=draft, publisher=standard.owner, checklist={**ALL_CONFIRMED, "delights_customer": False}
        )


def test_it_refuses_to_publish_a_version_without_steps():
    standard = StandardFactory()
    draft = services.standard_version_start_draft(standard=standard, author=standard.owner)

    with pytest.raises(ValidationError):
        services.standard_version_publish(version=draft, publisher=standard.owner, checklist=ALL_CONFIRMED)


def test_it_sets_the_next_review_from_publication_and_interval():
    with time_machine.travel(datetime.datetime(2026, 1, 31, 9, tzinfo=datetime.UTC)):
        version = publish_standard_version(StandardFactory(review_interval_months=1))

    assert version.standard.next_review_due == datetime.date(2026, 2, 28)


def test_it_records_a_review_and_resets_the_clock():
    with time_machine.travel(datetime.datetime(2025, 1, 10, 9, tzinfo=datetime.UTC)):
        version = publish_standard_version()
    standard = version.standard
    with time_machine.travel(datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC)):
        services.standard_review_record(
            standard=standard, reviewer=standard.owner, note="Still right.", checklist=ALL_CONFIRMED
        )
    standard.refresh_from_db()

    assert standard.next_review_due == datetime.date(2027, 2, 1)
    assert standard.current_version == version


def test_it_lets_only_the_owner_or_delegate_review():
    version = publish_standard_version()
    delegate = UserFactory()
    version.standard.review_delegate = delegate
    version.standard.save()

    with pytest.raises(PermissionDenied):
        services.standard_review_record(
            standard=version.standard, reviewer=UserFactory(), note="ok", checklist=ALL_CONFIRMED
        )
    services.standard_review_record(
        standard=version.standard, reviewer=delegate, note="ok", checklist=ALL_CONFIRMED
    )


def test_it_resolves_flags_of_the_old_version_on_publication():
    version = publish_standard_version()
    flag = services.step_flag_create(step=version.steps.first(), user=UserFactory(), note="Protects us only")
    publish_standard_version(version.standard)
    flag.refresh_from_db()

    assert flag.resolved_at is not None


def test_it_records_an_acknowledgement_with_the_signature_details():
    version = publish_standard_version()
    employee = EmployeeFactory()

    ack = services.acknowledgement_record(
        employee=employee, version=version, user=employee.user, printed_name=employee.full_name
    )

    assert ack.content_hash == version.content_hash
    assert ack.signed_by == employee.user
    assert "version 1.0 of" in ack.meaning and version.standard.code in ack.meaning


def test_it_returns_the_first_acknowledgement_when_signing_twice():
    version = publish_standard_version()
    employee = EmployeeFactory()
    first = services.acknowledgement_record(
        employee=employee, version=version, user=employee.user, printed_name=employee.full_name
    )
    second = services.acknowledgement_record(
        employee=employee, version=version, user=employee.user, printed_name=employee.full_name
    )

    assert first == second
    assert Acknowledgement.objects.count() == 1


def test_it_refuses_to_acknowledge_a_superseded_version():
    old = publish_standard_version()
    publish_standard_version(old.standard)
    employee = EmployeeFactory()

    with pytest.raises(services.AcknowledgementRefusedError, match="replaced by a newer version"):
        services.acknowledgement_record(
            employee=employee, version=old, user=employee.user, printed_name=employee.full_name
        )


def test_it_refuses_to_acknowledge_a_standard_that_does_not_apply_to_the_employee():
    version = publish_standard_version()
    back_office = EmployeeFactory(customer_facing=False)

    with pytest.raises(services.AcknowledgementRefusedError, match="does not apply"):
        services.acknowledgement_record(
            employee=back_office, version=version, user=back_office.user, printed_name=back_office.full_name
        )
    assert Acknowledgement.objects.count() == 0


def test_it_refuses_to_acknowledge_for_someone_else():
    version = publish_standard_version()
    employee = EmployeeFactory()

    with pytest.raises(PermissionDenied):
        services.acknowledgement_record(
            employee=employee, version=version, user=UserFactory(), printed_name=employee.full_name
        )


def test_it_requires_a_passed_knowledge_check_before_acknowledging():
    version = publish_standard_version(questions=QUIZ)
    employee = EmployeeFactory()
    questions = list(version.questions.prefetch_related("choices"))
    wrong = {q.pk: next(c.pk for c in q.choices.all() if not c.is_correct) for q in questions}
    right = {q.pk: next(c.pk for c in q.choices.all() if c.is_correct) for q in questions}

    failed = services.knowledge_check_submit(employee=employee, version=version, answers=wrong)
    with pytest.raises(services.AcknowledgementRefusedError):
        services.acknowledgement_record(
            employee=employee, version=version, user=employee.user, printed_name=employee.full_name
        )
    passed = services.knowledge_check_submit(employee=employee, version=version, answers=right)
    ack = services.acknowledgement_record(
        employee=employee, version=version, user=employee.user, printed_name=employee.full_name
    )

    assert (failed.passed, failed.score_percent) == (False, 0)
    assert (passed.passed, passed.score_percent) == (True, 100)
    assert ack.attempt == passed
    assert employee.knowledge_check_attempts.count() == 2


def test_it_fails_a_score_below_the_pass_mark():
    version = publish_standard_version(questions=QUIZ)
    employee = EmployeeFactory()
    first, second = version.questions.prefetch_related("choices")
    answers = {
        first.pk: next(c.pk for c in first.choices.all() if c.is_correct),
        second.pk: next(c.pk for c in second.choices.all() if not c.is_correct),
    }

    attempt = services.knowledge_check_submit(employee=employee, version=version, answers=answers)

    assert (attempt.score_percent, attempt.passed) == (50, False)


def test_it_flags_a_step_and_writes_the_audit_trail():
    version = publish_standard_version()
    user = UserFactory()

    services.step_flag_create(step=version.steps.first(), user=user, note="Only protects the company")

    assert StepFlag.objects.filter(resolved_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(standard=version.standard, action="step_flagged", actor=user).exists()


def test_it_audits_creation_drafts_and_publication():
    owner = UserFactory()
    standard = services.standard_create(code="srv-100", title="Phone", owner=owner, actor=owner)
    version = publish_standard_version(standard)

    actions = set(AuditEvent.objects.filter(standard=version.standard).values_list("action", flat=True))

    assert {"created", "draft_edited", "published"} <= actions
    assert standard.code == "SRV-100"


def test_it_retires_a_standard_keeping_its_versions():
    version = publish_standard_version()
    services.standard_retire(standard=version.standard, actor=version.standard.owner)
    version.standard.refresh_from_db()

    assert version.standard.status == StandardStatus.RETIRED
    assert version.standard.versions.count() == 1


def test_it_records_a_compliance_check_with_a_percentage():
    version = publish_standard_version(steps=[("a", ""), ("b", ""), ("c", "")])
    employee = EmployeeFactory()
    steps = list(version.steps.all())

    check = services.compliance_check_record(
        standard=version.standard,
        employee=employee,
        observer=version.standard.owner,
        observations=[
            services.StepObservation(steps[0], "done"),
            services.StepObservation(steps[1], "not_done", "forgot"),
            services.StepObservation(steps[2], "na"),
        ],
    )

    assert (check.steps_done, check.steps_applicable, check.compliance_percent) == (1, 2, 50)
    assert check.department == employee.department


def test_it_refuses_a_compliance_check_missing_a_step():
    version = publish_standard_version()
    with pytest.raises(ValidationError):
        services.compliance_check_record(
            standard=version.standard,
            employee=EmployeeFactory(),
            observer=version.standard.owner,
            observations=[services.StepObservation(version.steps.first(), "done")],
        )


def test_it_keeps_the_acknowledgement_of_the_major_version_for_a_minor_one():
    v1 = publish_standard_version()
    employee = EmployeeFactory()
    first = services.acknowledgement_record(
        employee=employee, version=v1, user=employee.user, printed_name=employee.full_name
    )
    v11 = publish_standard_version(v1.standard, kind="minor")

    again = services.acknowledgement_record(
        employee=employee, version=v11, user=employee.user, printed_name=employee.full_name
    )

    assert again == first
    assert Acknowledgement.objects.count() == 1
