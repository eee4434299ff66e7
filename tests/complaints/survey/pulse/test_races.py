"""Two at once (PostgreSQL): two answers to one link leave one answer; two draws draw one week."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from complaints.survey.pulse import services as pulse
from complaints.survey.pulse.models import PulseInvitation, PulseWave
from notifications.models import Notification
from tests.concurrency import run_at_once
from tests.factories import CustomerFactory, PulseInvitationFactory, PurchaseFactory


def _race(*works) -> list:
    outcome = run_at_once(*works)
    if outcome.errors:
        raise outcome.errors[0]
    return outcome.results


@pytest.mark.django_db(transaction=True)
def test_it_keeps_one_answer_when_two_arrive_at_once(require_postgres):
    invitation = PulseInvitationFactory()
    url = pulse.pulse_answer_url(invitation_id=invitation.pk)
    answers = [
        {"satisfaction": "2", "problem": "yes", "told": "formal"},
        {"satisfaction": "5", "problem": "no"},
    ]
    statuses = _race(*(lambda data=data: Client().post(url, data).status_code for data in answers))
    assert statuses == [302, 302]
    [row] = PulseInvitation.objects.filter(pk=invitation.pk)
    # Whichever came last, the row is one whole answer, never a mix of the two.
    assert (row.satisfaction, row.problem, row.told) in {(2, True, "formal"), (5, False, "")}
    assert row.answered_at is not None and row.changes == 1


@pytest.mark.django_db(transaction=True)
def test_it_draws_a_week_once_when_two_workers_draw_at_once(require_postgres):
    pulse.pulse_switch(actor=None, enabled=True)
    for _ in range(10):
        PurchaseFactory(customer=CustomerFactory(email_consent="yes"), date=timezone.localdate())
    results = _race(lambda: pulse.pulse_wave_draw(seed=1), lambda: pulse.pulse_wave_draw(seed=2))
    assert sum(result is not None for result in results) == 1
    assert PulseWave.objects.count() == 1
    invited = PulseInvitation.objects.count()
    assert invited == 1  # 10 % of 10
    assert Notification.objects.filter(kind="pulse_survey").count() == invited
