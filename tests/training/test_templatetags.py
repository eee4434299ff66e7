"""The status badge of the training lists (``training_tags.training_status_badge``)."""

from __future__ import annotations

import datetime

from django.utils import translation

from training import rules
from training.rules import TrainingStatus
from training.templatetags.training_tags import training_status_badge

DAY = datetime.date(2026, 6, 30)


def test_it_names_the_missed_deadline_of_someone_overdue():
    badge = training_status_badge(TrainingStatus(rules.OVERDUE, DAY, None, 0))

    assert badge == (
        '<span class="badge training-status training-status-overdue" data-testid="training-status" '
        'data-status="overdue">Overdue · since 30 Jun 2026</span>'
    )


def test_it_names_the_deadline_ahead_of_someone_due():
    assert "Due soon · by 30 Jun 2026<" in training_status_badge(TrainingStatus(rules.DUE_SOON, DAY, None, 0))


def test_it_gives_no_date_to_the_compliant_and_the_exempt():
    assert ">Compliant<" in training_status_badge(TrainingStatus(rules.COMPLIANT, DAY, DAY, 1))
    assert ">Not required<" in training_status_badge(TrainingStatus(rules.EXEMPT, None, None, 0))


def test_it_speaks_the_language_of_the_page():
    with translation.override("ru"):
        badge = training_status_badge(TrainingStatus(rules.OVERDUE, DAY, None, 0))

    assert ">Просрочено · с 30.06.2026<" in badge
