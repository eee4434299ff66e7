from __future__ import annotations

import pytest

from people import demo as organisation_demo
from people.models import Employee
from standards import demo, selectors
from standards.models import Acknowledgement, Standard, StandardVersion, StepFlag

pytestmark = pytest.mark.django_db


def test_it_seeds_a_realistic_library_idempotently():
    organisation_demo.seed()
    demo.seed()
    counts = (Standard.objects.count(), StandardVersion.objects.count(), Acknowledgement.objects.count())
    demo.seed()

    assert counts == (
        Standard.objects.count(),
        StandardVersion.objects.count(),
        Acknowledgement.objects.count(),
    )
    assert counts[0] == 15
    assert selectors.stale_standard_count() >= 1
    assert StepFlag.objects.filter(resolved_at__isnull=True).exists()
    olga = Employee.objects.get(user__username="olga")
    statuses = {row.standard.code: row.status for row in selectors.my_standards(olga)}
    assert statuses["SRV-001"] == "reacknowledge"
    assert "acknowledged" in statuses.values()
    assert any(row.is_overdue for e in Employee.objects.all() for row in selectors.my_standards(e))
