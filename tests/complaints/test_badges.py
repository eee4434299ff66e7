"""The status badges of a page's rows: rendered once per kind, overdue marked only given a day."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string

from complaints import badges
from complaints.models import Complaint

TODAY = datetime.date(2026, 6, 15)
LATE = TODAY - datetime.timedelta(days=1)


def test_it_renders_one_badge_per_kind_of_badge(monkeypatch):
    rendered = []
    monkeypatch.setattr(
        badges, "render_to_string", lambda *a, **k: rendered.append(a) or render_to_string(*a, **k)
    )
    page = badges.StatusBadges(today=TODAY)
    for _ in range(5):
        page.badge(Complaint(status="new", promised_on=LATE))
        page.badge(Complaint(status="new", promised_on=TODAY))
    assert len(rendered) == 2


@pytest.mark.parametrize(("today", "marked"), [(TODAY, True), (None, False)])
def test_it_marks_an_overdue_complaint_only_when_given_the_day(today, marked):
    badge = badges.StatusBadges(today=today).badge(Complaint(status="in_progress", promised_on=LATE))
    assert ("overdue" in badge) is marked
