from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from complaints import demo, rules, selectors
from complaints.models import Complaint, ComplaintEvent, CorrectiveAction
from people import demo as organisation_demo


def test_it_seeds_a_realistic_log_once(db):
    organisation_demo.seed()
    demo.seed()
    counts = (Complaint.objects.count(), ComplaintEvent.objects.count(), CorrectiveAction.objects.count())
    demo.seed()

    assert counts == (
        Complaint.objects.count(),
        ComplaintEvent.objects.count(),
        CorrectiveAction.objects.count(),
    )
    assert counts[0] == demo.COUNT
    assert selectors.overdue_complaints().exists()
    shares = {
        check.band.key: check.share
        for check in rules.root_cause_band_check({row["root_cause"]: row["n"] for row in _cause_counts()})
    }
    assert 0.45 <= shares["processes_systems_products"] <= 0.65
    assert 0.15 <= shares["customers"] <= 0.35
    assert 0.15 <= shares["people"] <= 0.35


@time_machine.travel(datetime.datetime(2026, 12, 2, 6, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=False)
def test_nothing_in_the_log_happens_after_the_moment_it_is_seeded(db):
    # Seeded early in the morning: today's complaints came in before, not later in the day.
    organisation_demo.seed()
    demo.seed()
    now = timezone.now()

    assert Complaint.objects.filter(received_at__gt=now).count() == 0
    assert Complaint.objects.filter(resolved_at__gt=now).count() == 0
    assert ComplaintEvent.objects.filter(at__gt=now).count() == 0


def _cause_counts():
    from django.db.models import Count

    return Complaint.objects.exclude(root_cause="").values("root_cause").annotate(n=Count("id"))
