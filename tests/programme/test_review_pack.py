"""The quarterly management review pack: one printable page with every input of the review,
and the decisions taken, each of which may become a corrective action."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from complaints.models import CorrectiveAction
from programme import services
from programme.models import ManagementDecision
from standards.models import StandardStatus
from tests.factories import ComplaintFactory, DepartmentFactory, EmployeeFactory, StandardFactory
from tests.programme.factories import EffectivenessCheckFactory, TargetFactory

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
NOW = datetime.datetime(2026, 5, 20, 9, 0, tzinfo=MOSCOW)
SECTIONS = [
    "pack-targets",
    "pack-complaints",
    "pack-actions",
    "pack-standards",
    "pack-rules",
    "pack-decisions",
]


@time_machine.travel(NOW, tick=False)
def test_it_shows_every_input_of_the_review_and_prints_on_a4(manager_client):
    TargetFactory(year=2026, figure="churn", direction="lower", value=0.02)
    ComplaintFactory(
        received_at=datetime.datetime(2026, 2, 3, 10, tzinfo=MOSCOW),
        status="resolved",
        root_cause="products",
        resolved_at=datetime.datetime(2026, 2, 4, 10, tzinfo=MOSCOW),
    )
    EffectivenessCheckFactory(due_on=datetime.date(2026, 3, 1), verdict="fewer")

    body = manager_client.get(reverse("programme:review_pack", args=["2026-Q1"])).content.decode()

    for section in SECTIONS:
        assert f'data-testid="{section}"' in body
    assert "Monthly churn" in body
    assert "Fewer complaints" in body
    assert "css/programme-print.css" in body and 'media="print"' in body


def test_it_turns_a_decision_into_a_corrective_action(manager_client):
    owner = EmployeeFactory(roles=["Staff"])
    due_on = datetime.date.today() + datetime.timedelta(days=90)
    response = manager_client.post(
        reverse("programme:review_pack", args=["2026-Q1"]),
        {
            "text": "Train the night shift on call-backs.",
            "make_action": "on",
            "kind": "train_staff",
            "owner": owner.user.pk,
            "due_on": due_on.isoformat(),
        },
    )

    assert response.status_code == 302
    decision = ManagementDecision.objects.get()
    assert (decision.year, decision.quarter, decision.text) == (
        2026,
        1,
        "Train the night shift on call-backs.",
    )
    action = CorrectiveAction.objects.get()
    assert decision.action == action
    assert (action.owner, action.due_on, action.kind) == (
        owner.user,
        due_on,
        "train_staff",
    )


def test_it_records_a_plain_decision(manager_client):
    manager_client.post(reverse("programme:review_pack", args=["2026-Q1"]), {"text": "Keep the targets."})
    assert ManagementDecision.objects.get().action is None
    assert not CorrectiveAction.objects.exists()


def test_it_asks_for_the_owner_of_an_action(manager_client):
    response = manager_client.post(
        reverse("programme:review_pack", args=["2026-Q1"]), {"text": "Fix it.", "make_action": "on"}
    )
    assert "Who owns the action?" in response.content.decode()
    assert not ManagementDecision.objects.exists()


@pytest.mark.parametrize("quarter", ["2026-Q9", "2099-Q1"])
def test_it_answers_404_for_a_quarter_that_cannot_be_reviewed(manager_client, quarter):
    assert manager_client.get(reverse("programme:review_pack", args=[quarter])).status_code == 404


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("size", [2, 10])
def test_it_builds_the_pack_in_bounded_queries(manager_client, django_assert_max_num_queries, size):
    department = DepartmentFactory()
    for n in range(size):
        ComplaintFactory(department=department, received_at=datetime.datetime(2026, 2, 1 + n, tzinfo=MOSCOW))
        EffectivenessCheckFactory(due_on=datetime.date(2026, 2, 1 + n))
        services.management_decision_record(
            actor=EmployeeFactory().user, quarter=services.rules.Quarter(2026, 1), text=f"Decision {n}"
        )
    with django_assert_max_num_queries(40):
        assert manager_client.get(reverse("programme:review_pack", args=["2026-Q1"])).status_code == 200


def test_it_opens_the_last_complete_quarter(manager_client):
    with time_machine.travel(NOW, tick=False):
        response = manager_client.get(reverse("programme:review_latest"))
    assert response["Location"] == reverse("programme:review_pack", args=["2026-Q1"])


@time_machine.travel(NOW, tick=False)
def test_it_reads_training_compliance_from_the_stored_standings(manager_client, monkeypatch):
    """The pack's training figure is one grouped count over the stored standings: the rule is
    not applied to every person again on each view (that took 260 ms at 5,000 employees)."""
    from training import selectors as training_selectors
    from training import services as training_services

    for _ in range(3):
        EmployeeFactory(customer_facing=True, hired_on=datetime.date(2020, 1, 1))
    training_services.training_standings_rebuild()
    expected = training_selectors.stored_compliance().summary.percent

    def per_person(*args, **kwargs):
        raise AssertionError("the review pack applied the training rule to every person")

    monkeypatch.setattr(training_selectors, "employee_standings", per_person)
    response = manager_client.get(reverse("programme:review_pack", args=["2026-Q1"]))

    assert response.status_code == 200
    assert response.context["pack"].training_compliance == expected


@time_machine.travel(NOW, tick=False)
def test_it_offers_every_standard_but_the_retired_to_revise(manager_client):
    kept = StandardFactory(code="SC-7", title="Greet within ten seconds")
    retired = StandardFactory(code="SC-8", title="Fax the confirmation", status=StandardStatus.RETIRED)

    html = manager_client.get(reverse("programme:review_pack", args=["2026-Q1"])).content.decode()

    select = html.split('name="standard"')[1].split("</select>")[0]
    assert f'<option value="{kept.pk}">SC-7 Greet within ten seconds</option>' in select
    assert f'value="{retired.pk}"' not in select
