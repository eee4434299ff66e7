from __future__ import annotations

import csv
import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from standards import rules, services
from standards.models import Acknowledgement, ComplianceCheck, Standard, StandardVersion, StepFlag
from tests.factories import EmployeeFactory, StandardFactory, publish_standard_version

pytestmark = pytest.mark.django_db

CHECKLIST = {key: "on" for key, _label in rules.CHECKLIST_ITEMS}
QUIZ = [("First words?", [("Hello, how can I help?", True), ("What?", False)])]


def _fresh_login(client, user):
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    client.force_login(user)


# --- staff ---------------------------------------------------------------------


def test_it_lists_my_standards_with_status(staff_client, staff_employee):
    version = publish_standard_version()

    response = staff_client.get(reverse("standards:my_standards"))

    assert response.status_code == 200
    assert version.standard.code in response.text
    assert "To read" in response.text


def test_it_pages_my_standards_with_what_is_left_to_sign_counted_above(
    staff_client, staff_employee, monkeypatch
):
    monkeypatch.setattr("standards.views.MY_STANDARDS_PER_PAGE", 2)
    codes = {publish_standard_version().standard.code for _ in range(3)}

    first = staff_client.get(reverse("standards:my_standards"))
    second = staff_client.get(reverse("standards:my_standards"), {"page": "2"})
    beyond = staff_client.get(reverse("standards:my_standards"), {"page": "99"})

    assert len(first.context["rows"]) == 2 and len(second.context["rows"]) == 1
    shown = {row.standard.code for row, _read_url in [*first.context["rows"], *second.context["rows"]]}
    assert shown == codes
    for row, read_url in first.context["rows"]:
        assert read_url == reverse("standards:read", args=[row.standard.pk])
        assert f'href="{read_url}"' in first.text
    assert "3 standards apply to you: 3 still to sign." in first.text
    assert "Page 1 of 2" in first.text and "page=2" in first.text
    assert beyond.status_code == 200 and beyond.context["page"].number == 2


def test_it_shows_the_reading_page_with_sanitised_markdown(staff_client):
    version = publish_standard_version(
        body="Hello <script>alert(1)</script> [click](javascript:alert(2)) "
        '<a href="javascript:alert(3)">x</a> **ok**'
    )

    response = staff_client.get(reverse("standards:read", args=[version.standard_id]))

    assert response.status_code == 200
    assert "<strong>ok</strong>" in response.text
    assert "<script>alert" not in response.text
    assert "javascript:" not in response.text


def test_it_acknowledges_for_the_signed_in_employee(client, staff_employee):
    _fresh_login(client, staff_employee.user)
    version = publish_standard_version()

    response = client.post(
        reverse("standards:acknowledge", args=[version.pk]),
        {"printed_name": f"  {staff_employee.full_name.upper()} ", "confirm": "on", "password": "password"},
    )

    assert response.status_code == 302
    ack = Acknowledgement.objects.get()
    assert ack.employee == staff_employee
    assert ack.printed_name == staff_employee.full_name.upper()
    assert ack.content_hash == version.content_hash
    assert staff_employee.full_name.upper() in ack.meaning and ack.signed_at


def test_it_refuses_to_sign_without_the_statement_ticked(client, staff_employee):
    _fresh_login(client, staff_employee.user)
    version = publish_standard_version()

    response = client.post(
        reverse("standards:acknowledge", args=[version.pk]),
        {"printed_name": staff_employee.full_name, "password": "password"},
    )

    assert response.status_code == 400
    assert not Acknowledgement.objects.exists()


def test_it_asks_for_the_password_at_every_signature(client, staff_employee):
    version = publish_standard_version()
    _fresh_login(client, staff_employee.user)
    url = reverse("standards:acknowledge", args=[version.pk])
    name = staff_employee.full_name

    missing = client.post(url, {"printed_name": name, "confirm": "on"})
    wrong = client.post(url, {"printed_name": name, "confirm": "on", "password": "nope"})
    right = client.post(url, {"printed_name": name, "confirm": "on", "password": "password"})

    assert missing.status_code == wrong.status_code == 400
    assert right.status_code == 302
    assert Acknowledgement.objects.count() == 1


def test_it_refuses_a_signature_under_someone_elses_name(client, staff_employee):
    version = publish_standard_version()
    _fresh_login(client, staff_employee.user)

    response = client.post(
        reverse("standards:acknowledge", args=[version.pk]),
        {"printed_name": "Somebody Else", "confirm": "on", "password": "password"},
    )

    assert response.status_code == 400
    assert "The name must be yours" in response.content.decode()
    assert not Acknowledgement.objects.exists()


def test_it_refuses_a_superseded_version_with_a_clear_message(client, staff_employee):
    _fresh_login(client, staff_employee.user)
    old = publish_standard_version()
    publish_standard_version(old.standard)

    response = client.post(
        reverse("standards:acknowledge", args=[old.pk]),
        {"printed_name": staff_employee.full_name, "confirm": "on", "password": "password"},
        follow=True,
    )

    assert "replaced by a newer version" in response.text
    assert not Acknowledgement.objects.exists()


def test_it_never_sends_the_correct_answers_before_submission(staff_client):
    version = publish_standard_version(questions=QUIZ)

    response = staff_client.get(reverse("standards:knowledge_check", args=[version.pk]))

    assert response.status_code == 200
    assert "First words?" in response.text
    assert (
        "is_correct" not in response.text
        and "correct" not in response.text.lower().split("</form>")[0].split("<form")[-1]
    )


def test_it_records_a_failed_then_a_passed_attempt(staff_client, staff_employee):
    version = publish_standard_version(questions=QUIZ)
    question = version.questions.get()
    right = question.choices.get(is_correct=True)
    wrong = question.choices.get(is_correct=False)
    url = reverse("standards:knowledge_check", args=[version.pk])

    staff_client.post(url, {f"q{question.pk}": wrong.pk})
    staff_client.post(url, {f"q{question.pk}": right.pk})

    assert list(
        staff_employee.knowledge_check_attempts.order_by("created_at").values_list("passed", flat=True)
    ) == [False, True]


def test_it_shows_what_changed_to_someone_who_acknowledged_the_previous_version(staff_client, staff_employee):
    v1 = publish_standard_version(steps=[("Greet the customer", "")])
    services.acknowledgement_record(
        employee=staff_employee, version=v1, user=staff_employee.user, printed_name=staff_employee.full_name
    )
    publish_standard_version(
        v1.standard, steps=[("Greet the customer by name", "")], change_summary="Use names"
    )

    response = staff_client.get(reverse("standards:read", args=[v1.standard_id]))

    assert 'data-testid="what-changed"' in response.text
    assert "Greet the customer by name" in response.text
    assert "Use names" in response.text


def test_it_lets_staff_flag_a_step(staff_client):
    version = publish_standard_version()
    step = version.steps.first()

    response = staff_client.post(reverse("standards:step_flag", args=[step.pk]), {"note": "Only protects us"})

    assert response.status_code == 302
    assert StepFlag.objects.get().step == step


def test_it_hides_the_steps_of_a_draft_from_staff(client, staff_employee, manager_employee):
    version = publish_standard_version()
    draft = services.standard_version_start_draft(standard=version.standard, author=version.standard.owner)
    url = reverse("standards:step_flag", args=[draft.steps.first().pk])

    client.force_login(staff_employee.user)
    assert client.get(url).status_code == 404
    assert client.post(url, {"note": "Only protects us"}).status_code == 404
    assert not StepFlag.objects.exists()
    client.force_login(manager_employee.user)
    assert client.get(url).status_code == 200


def test_it_forbids_staff_to_edit_standards(staff_client):
    version = publish_standard_version()

    assert staff_client.get(reverse("standards:standard_edit", args=[version.standard_id])).status_code == 403
    assert staff_client.post(reverse("standards:draft_start", args=[version.standard_id])).status_code == 403


# --- managers ---------------------------------------------------------------------


def test_it_creates_edits_and_publishes_a_standard(manager_client, manager_employee):
    response = manager_client.post(
        reverse("standards:standard_create"),
        {
            "code": "srv-042",
            "title": "Answering the phone",
            "category": "phone",
            "applies_to_all_customer_facing": "on",
            "owner": manager_employee.user.pk,
            "review_interval_months": 12,
        },
    )
    standard = Standard.objects.get(code="SRV-042")
    draft = standard.versions.get()
    assert response.url == reverse("standards:draft_edit", args=[draft.pk])

    manager_client.post(
        reverse("standards:draft_edit", args=[draft.pk]),
        {
            "body": "Pick up by the third ring.",
            "change_summary": "First version",
            "knowledge_check": "? When do you pick up?\n* By the third ring\n- Whenever",
            "pass_mark_percent": 80,
            "steps-TOTAL_FORMS": 2,
            "steps-INITIAL_FORMS": 0,
            "steps-0-text": "Pick up by the third ring",
            "steps-0-customer_benefit": "Nobody likes waiting",
            "steps-1-text": "",
        },
    )
    response = manager_client.post(
        reverse("standards:draft_publish", args=[draft.pk]), {"kind": "major", **CHECKLIST}
    )
    draft.refresh_from_db()

    assert response.status_code == 302
    assert draft.label == "1.0"
    assert draft.steps.get().customer_benefit == "Nobody likes waiting"
    assert draft.questions.count() == 1


def test_it_refuses_to_publish_without_the_anti_standard_question(manager_client):
    version = publish_standard_version()
    draft = services.standard_version_start_draft(standard=version.standard, author=version.standard.owner)

    response = manager_client.post(
        reverse("standards:draft_publish", args=[draft.pk]),
        {"kind": "major", **{k: v for k, v in CHECKLIST.items() if k != "delights_customer"}},
    )

    draft.refresh_from_db()
    assert response.status_code == 200
    assert draft.status == "draft"


def test_it_does_not_open_a_published_version_in_the_editor(manager_client):
    version = publish_standard_version()

    assert manager_client.get(reverse("standards:draft_edit", args=[version.pk])).status_code == 404


def test_it_shows_the_diff_between_versions(manager_client):
    v1 = publish_standard_version(steps=[("Smile", "")])
    v2 = publish_standard_version(v1.standard, steps=[("Smile and greet", "")])

    response = manager_client.get(
        reverse("standards:version_compare", args=[v1.standard_id]), {"old": v1.pk, "new": v2.pk}
    )

    assert "Smile and greet" in response.text
    assert "diff-added" in response.text


def test_it_records_a_review_from_the_owner(client):
    version = publish_standard_version()
    client.force_login(version.standard.owner)

    response = client.post(
        reverse("standards:standard_review", args=[version.standard_id]), {"note": "Still right", **CHECKLIST}
    )

    assert response.status_code == 302
    assert version.standard.reviews.count() == 1


def test_it_exports_coverage_as_csv(manager_client):
    version = publish_standard_version()
    signed = EmployeeFactory()
    services.acknowledgement_record(
        employee=signed, version=version, user=signed.user, printed_name=signed.full_name
    )

    response = manager_client.get(reverse("standards:standard_coverage_csv", args=[version.standard_id]))

    lines = response.content.decode().strip().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert len(lines) == 1 + 2  # header, the manager and the signer
    assert any(signed.full_name in line and "1.0" in line for line in lines)


def test_it_records_a_compliance_check(manager_client, staff_employee):
    version = publish_standard_version()
    first, second = version.steps.all()

    response = manager_client.post(
        reverse("standards:compliance_check_create", args=[version.standard_id]),
        {
            "employee": staff_employee.pk,
            "observed_on": "2026-01-10",
            f"step_{first.pk}": "done",
            f"step_{second.pk}": "not_done",
        },
    )

    assert response.status_code == 302
    assert ComplianceCheck.objects.get().compliance_percent == 50
    assert "50" in manager_client.get(reverse("standards:compliance")).text


def test_it_shows_the_audit_trail(manager_client):
    version = publish_standard_version()

    response = manager_client.get(reverse("standards:standard_history", args=[version.standard_id]))

    assert "Version published" in response.text


def test_it_shows_stale_standards_and_coverage_on_the_manager_home(manager_client):
    with time_machine.travel(datetime.datetime(2024, 1, 1, 9, tzinfo=datetime.UTC)):
        stale = publish_standard_version()

    response = manager_client.get(reverse("home"))

    assert 'data-testid="panel-standards-manager"' in response.text
    assert stale.standard.code in response.text


def test_it_shows_standards_to_acknowledge_on_the_staff_home(staff_client):
    version = publish_standard_version()

    response = staff_client.get(reverse("home"))

    assert 'data-testid="panel-to-acknowledge"' in response.text
    assert version.standard.code in response.text


def test_it_filters_the_library(manager_client):
    greeting = publish_standard_version(StandardFactory(category="greeting", title="Greeting visitors"))
    publish_standard_version(StandardFactory(category="phone", title="Answering calls"))

    response = manager_client.get(reverse("standards:library"), {"category": "greeting"})

    assert greeting.standard.title in response.text
    assert "Answering calls" not in response.text


def test_it_has_no_published_version_edit_in_admin(admin_client):
    version = publish_standard_version()

    response = admin_client.post(
        reverse("admin:standards_standardversion_change", args=[version.pk]), {"body": "changed"}
    )

    version.refresh_from_db()
    assert response.status_code == 403
    assert version.body != "changed"
    assert StandardVersion.objects.filter(body="changed").count() == 0


def test_it_audits_a_draft_edited_in_admin(admin_client, admin_user):
    version = publish_standard_version()
    draft = services.standard_version_start_draft(standard=version.standard, author=version.standard.owner)
    url = reverse("admin:standards_standardversion_change", args=[draft.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if name in form.fields and value is not None}
    data["body"] = "Changed in admin"
    steps = list(draft.steps.all())
    data.update(
        {
            "steps-TOTAL_FORMS": len(steps),
            "steps-INITIAL_FORMS": len(steps),
            "steps-MIN_NUM_FORMS": 0,
            "steps-MAX_NUM_FORMS": 1000,
        }
    )
    for i, step in enumerate(steps):
        data.update(
            {
                f"steps-{i}-id": step.pk,
                f"steps-{i}-version": draft.pk,
                f"steps-{i}-order": step.order,
                f"steps-{i}-text": step.text,
                f"steps-{i}-customer_benefit": step.customer_benefit,
            }
        )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.body == "Changed in admin"
    event = draft.standard.audit_events.latest("pk")
    assert (event.action, event.actor, event.version) == ("draft_edited", admin_user, draft)


def test_it_reorders_and_deletes_steps_in_the_draft(manager_client):
    version = publish_standard_version(steps=[("First", ""), ("Second", ""), ("Third", "")])
    draft = services.standard_version_start_draft(standard=version.standard, author=version.standard.owner)

    manager_client.post(
        reverse("standards:draft_edit", args=[draft.pk]),
        {
            "body": "b",
            "change_summary": "",
            "knowledge_check": "",
            "pass_mark_percent": 80,
            "steps-TOTAL_FORMS": 3,
            "steps-INITIAL_FORMS": 3,
            "steps-0-text": "First",
            "steps-0-ORDER": 2,
            "steps-1-text": "Second",
            "steps-1-ORDER": 1,
            "steps-2-text": "Third",
            "steps-2-ORDER": 3,
            "steps-2-DELETE": "on",
        },
    )

    assert list(draft.steps.values_list("text", flat=True)) == ["Second", "First"]


def test_it_shows_the_knowledge_check_questions_in_random_order(staff_client):
    from standards.forms import KnowledgeCheckForm

    version = publish_standard_version(
        questions=[(f"Question {i}?", [("right", True), ("wrong", False)]) for i in range(5)]
    )

    orders = {tuple(KnowledgeCheckForm(version=version).fields) for _ in range(30)}

    assert len(orders) > 1


def test_it_shows_a_standard_with_its_knowledge_check_to_managers(manager_client):
    version = publish_standard_version(questions=QUIZ)

    response = manager_client.get(reverse("standards:standard_detail", args=[version.standard_id]))

    assert "Knowledge check: 1 question, pass mark 80 %." in response.text


def test_it_retires_a_standard_and_drops_it_from_my_standards(manager_client, manager_employee):
    version = publish_standard_version()

    manager_client.post(reverse("standards:standard_retire", args=[version.standard_id]))

    version.standard.refresh_from_db()
    assert version.standard.status == "retired"
    page = manager_client.get(reverse("standards:my_standards")).text
    assert f'data-code="{version.standard.code}"' not in page


def test_it_resolves_a_flag(manager_client):
    version = publish_standard_version()
    flag = services.step_flag_create(
        step=version.steps.first(), user=version.standard.owner, note="Protects us"
    )

    manager_client.post(reverse("standards:flag_resolve", args=[flag.pk]), {"resolution": "Rewritten"})

    flag.refresh_from_db()
    assert flag.resolution == "Rewritten" and flag.resolved_at is not None


def test_it_lists_who_has_not_acknowledged_with_overdue_marks(manager_client):
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)):
        version = publish_standard_version()
    late = EmployeeFactory()

    with time_machine.travel(datetime.datetime(2026, 2, 5, 9, tzinfo=datetime.UTC)):
        response = manager_client.get(
            reverse("standards:standard_coverage", args=[version.standard_id]), {"missing": "1"}
        )

    assert late.full_name in response.text
    assert "overdue" in response.text


def test_it_marks_only_missed_deadlines_overdue_in_the_csv(manager_client):
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)):
        version = publish_standard_version()
    late = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    signed = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    services.acknowledgement_record(
        employee=signed, version=version, user=signed.user, printed_name=signed.full_name
    )
    new_hire = EmployeeFactory(hired_on=datetime.date(2026, 2, 1))

    with time_machine.travel(datetime.datetime(2026, 2, 5, 9, tzinfo=datetime.UTC)):
        response = manager_client.get(reverse("standards:standard_coverage_csv", args=[version.standard_id]))

    rows = {row[0]: row for row in csv.reader(response.content.decode().splitlines()[1:])}
    assert (rows[late.full_name][5], rows[late.full_name][6]) == ("2026-01-19", "yes")
    assert rows[signed.full_name][6] == ""
    assert (rows[new_hire.full_name][5], rows[new_hire.full_name][6]) == ("2026-02-15", "")


def test_it_asks_before_retiring_and_can_reinstate(manager_client):
    version = publish_standard_version()
    standard = version.standard
    page = manager_client.get(reverse("standards:standard_detail", args=[standard.pk])).content.decode()
    assert "data-confirm" in page and "you can reinstate it later" in page

    manager_client.post(reverse("standards:standard_retire", args=[standard.pk]))
    standard.refresh_from_db()
    assert standard.status == "retired"
    assert (
        "Reinstate"
        in manager_client.get(reverse("standards:standard_detail", args=[standard.pk])).content.decode()
    )

    manager_client.post(reverse("standards:standard_reinstate", args=[standard.pk]))
    standard.refresh_from_db()
    assert standard.status == "published"
    assert standard.audit_events.filter(action="reinstated").exists()


def test_it_says_which_questions_were_wrong_without_the_answers(staff_client, staff_employee):
    version = publish_standard_version(
        questions=[
            ("First words?", [("Hello, how can I help?", True), ("What?", False)]),
            ("Last words?", [("Goodbye, thank you!", True), ("Next!", False)]),
        ]
    )
    questions = {q.text: q for q in version.questions.prefetch_related("choices")}
    first_right = next(c for c in questions["First words?"].choices.all() if c.is_correct)
    last_wrong = next(c for c in questions["Last words?"].choices.all() if not c.is_correct)

    response = staff_client.post(
        reverse("standards:knowledge_check", args=[version.pk]),
        {
            f"q{questions['First words?'].pk}": first_right.pk,
            f"q{questions['Last words?'].pk}": last_wrong.pk,
        },
        follow=True,
    )

    text = response.content.decode()
    assert "Not right yet: «Last words?»" in text
    assert "«First words?»" not in text
    assert "Goodbye, thank you!" not in text.split("Not right yet")[1].split("</div>")[0]
