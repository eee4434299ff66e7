"""The flood limits of the public form and the counters of refused submissions."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from complaints.intake.flood import Refusal, refusal_counts, refusal_record, submission_refusal


@pytest.fixture
def limits(settings):
    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "INTAKE_PER_ADDRESS_PER_HOUR": 2, "INTAKE_PER_HOUR": 3}


def test_it_refuses_an_address_past_its_hourly_limit(limits):
    assert [submission_refusal("10.0.0.1") for _ in range(3)] == [None, None, Refusal.ADDRESS]


def test_it_refuses_everyone_past_the_limit_of_all_addresses(limits):
    assert [submission_refusal(f"10.0.0.{n}") for n in range(4)] == [None, None, None, Refusal.HOURLY]


def test_it_does_not_charge_the_company_for_a_refused_address(limits):
    for _ in range(5):
        submission_refusal("10.0.0.1")

    assert submission_refusal("10.0.0.2") is None


def test_it_lets_an_address_in_again_an_hour_later(limits):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            submission_refusal("10.0.0.1")
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        assert submission_refusal("10.0.0.1") is None


def _counts(today: datetime.date) -> dict:
    return {row["reason"]: (row["today"], row["week"]) for row in refusal_counts(today)}


def _at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def test_it_counts_today_and_the_week_since_monday():
    monday = datetime.date(2025, 6, 2)
    for day, reason in [
        (monday - datetime.timedelta(days=1), Refusal.ADDRESS),  # last Sunday: not this week
        (monday, Refusal.ADDRESS),
        (monday + datetime.timedelta(days=2), Refusal.ADDRESS),
        (monday + datetime.timedelta(days=2), Refusal.HONEYPOT),
    ]:
        with time_machine.travel(_at_noon(day), tick=False):
            refusal_record(reason)

    wednesday = monday + datetime.timedelta(days=2)
    with time_machine.travel(_at_noon(wednesday), tick=False):
        counts = _counts(wednesday)

    assert counts[Refusal.ADDRESS] == (1, 2)
    assert counts[Refusal.HONEYPOT] == (1, 1)
    assert counts[Refusal.HOURLY] == (0, 0)
    assert counts[None] == (2, 3)
