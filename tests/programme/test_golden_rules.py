"""The quarterly golden-rules review: each manager scores the four rules 1–5 for their scope,
next to the evidence the product gathers; results per department and over time; a reminder
while the quarter's review is due."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints.models import ComplaintEvent
from notifications.registry import reminder_items
from people.roles import MANAGER
from programme import rules, selectors, services
from programme.models import GoldenRulesReview
from tests.factories import (
    ComplaintFactory,
    DepartmentFactory,
    EmployeeFactory,
    StandardFactory,
    publish_standard_version,
)

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
Q1 = rules.Quarter(2026, 1)
SCORES = {"product_quality": 4, "current_standards": 3, "timeliness": 2, "complaint_system": 5}


def _complaint(day, *, cause, department, promised=None, response_hours=None, resolve_days=None):
    received = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=MOSCOW)
    complaint = ComplaintFactory(
        received_at=received,
        department=department,
        status="resolved",
        root_cause=cause,
        promised_on=promised,
        resolved_at=received + datetime.timedelta(days=resolve_days or 1),
    )
    ComplaintEvent.objects.create(
        complaint=complaint,
        at=received + datetime.timedelta(hours=response_hours or 2),
        kind="status",
        from_status="new",
        to_status="in_progress",
    )
    return complaint


@time_machine.travel(datetime.datetime(2026, 3, 31, 12, tzinfo=MOSCOW), tick=False)
def test_it_gathers_the_evidence_of_each_rule(db):
    front = DepartmentFactory()
    _complaint(
        datetime.date(2026, 1, 10), cause="products", department=front, response_hours=2, resolve_days=1
    )
    _complaint(
        datetime.date(2026, 2, 10),
        cause="processes",
        department=front,
        promised=datetime.date(2026, 2, 20),
        response_hours=4,
        resolve_days=3,
    )
    _complaint(datetime.date(2026, 2, 11), cause="people", department=front, response_hours=6, resolve_days=5)
    _complaint(datetime.date(2026, 2, 12), cause="products", department=DepartmentFactory())
    fresh = StandardFactory()
    publish_standard_version(fresh)

    evidence = selectors.golden_rules_evidence(quarter=Q1, department_id=front.pk)

    assert evidence.product_share == pytest.approx(1 / 3)
    assert evidence.complaints_classified == 3
    assert evidence.promise_kept == 1.0
    assert evidence.response_days == pytest.approx(4 / 24)
    assert evidence.resolution_days == pytest.approx(3.0)
    assert (evidence.stale_standards, evidence.published_standards, evidence.stale_share) == (0, 1, 0.0)


@time_machine.travel(datetime.datetime(2026, 4, 2, 12, tzinfo=MOSCOW), tick=False)
def test_it_files_a_review_with_its_evidence_and_corrects_it(db):
    manager = EmployeeFactory(roles=[MANAGER])
    ComplaintFactory(
        received_at=datetime.datetime(2026, 2, 1, 10, tzinfo=MOSCOW),
        status="resolved",
        root_cause="products",
        resolved_at=datetime.datetime(2026, 2, 2, 10, tzinfo=MOSCOW),
        department=manager.department,
    )

    review = services.golden_rules_review_submit(
        reviewer=manager.user,
        quarter=Q1,
        department=manager.department,
        scores=SCORES,
        comment="Slow repairs.",
    )
    again = services.golden_rules_review_submit(
        reviewer=manager.user, quarter=Q1, department=manager.department, scores=SCORES | {"timeliness": 3}
    )

    assert again.pk == review.pk and again.timeliness == 3
    assert GoldenRulesReview.objects.count() == 1
    assert again.evidence["product_share"] == 1.0


def test_it_needs_every_score_between_1_and_5(db):
    manager = EmployeeFactory(roles=[MANAGER])
    with pytest.raises(ValidationError):
        services.golden_rules_review_submit(
            reviewer=manager.user, quarter=Q1, department=None, scores=SCORES | {"timeliness": 6}
        )


def test_it_shows_the_mean_scores_per_scope_and_quarter(db):
    front = DepartmentFactory(name="Front")
    for reviewer, timeliness in (
        (EmployeeFactory(roles=[MANAGER]), 2),
        (EmployeeFactory(roles=[MANAGER]), 4),
    ):
        services.golden_rules_review_submit(
            reviewer=reviewer.user, quarter=Q1, department=front, scores=SCORES | {"timeliness": timeliness}
        )
    services.golden_rules_review_submit(
        reviewer=EmployeeFactory(roles=[MANAGER]).user, quarter=Q1.previous, department=None, scores=SCORES
    )

    scopes, rows = selectors.golden_rules_history(today=datetime.date(2026, 4, 10))

    assert [key for key, _name in scopes] == ["all", str(front.pk)]
    by_quarter = {row.quarter: row.cells for row in rows}
    assert by_quarter[Q1][str(front.pk)]["timeliness"] == 3.0
    assert by_quarter[Q1.previous]["all"]["product_quality"] == 4.0
    assert "all" not in by_quarter[Q1]


def test_it_reminds_the_managers_who_have_not_filed_while_it_is_due(db):
    filed, pending = EmployeeFactory(roles=[MANAGER]), EmployeeFactory(roles=[MANAGER])
    services.golden_rules_review_submit(reviewer=filed.user, quarter=Q1, department=None, scores=SCORES)

    def due(day):
        return [
            (item.recipient_user_id, item.key)
            for item in reminder_items(day)
            if item.kind == "golden_rules_review_due"
        ]

    assert due(datetime.date(2026, 2, 27)) == []
    assert due(datetime.date(2026, 4, 10)) == [(pending.user.pk, "golden-rules:2026-Q1")]
    assert due(datetime.date(2026, 4, 16)) == []


@time_machine.travel(datetime.datetime(2026, 4, 2, 12, tzinfo=MOSCOW), tick=False)
def test_it_files_the_review_from_the_page(manager_client, manager_employee):
    page = manager_client.get(reverse("programme:golden_rules_review")).content.decode()
    assert 'data-testid="evidence-product_quality"' in page
    assert "2026-Q1" in page

    response = manager_client.post(
        reverse("programme:golden_rules_review"),
        {"quarter": "2026-Q1", "department": manager_employee.department_id, **SCORES, "comment": "Better."},
    )

    assert response.status_code == 302
    review = GoldenRulesReview.objects.get()
    assert (review.year, review.quarter, review.department, review.reviewer) == (
        2026,
        1,
        manager_employee.department,
        manager_employee.user,
    )
    listing = manager_client.get(reverse("programme:golden_rules") + "?quarter=2026-Q1").content.decode()
    assert "Better." in listing
