"""The training demo data shows every status of the rule, and a second run changes nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from people import demo as organisation_demo
from training import demo, rules, selectors
from training.models import Course, Enrolment, Session

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "today", [datetime.date(2026, 11, 25), datetime.date(2027, 1, 1), datetime.date(2026, 6, 20)]
)
def test_it_seeds_a_mix_of_statuses_once(today):
    moment = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
    with time_machine.travel(moment, tick=False):
        organisation_demo.seed()
        demo.seed()
        counts = (Course.objects.count(), Session.objects.count(), Enrolment.objects.count())
        demo.seed()
        live = {standing.employee.pk: standing.status.status for standing in selectors.employee_standings()}
        stored = dict(selectors.stored_standings().values_list("employee_id", "status"))
    statuses = set(live.values())

    assert stored == live

    assert counts == (Course.objects.count(), Session.objects.count(), Enrolment.objects.count())
    assert {rules.OVERDUE, rules.DUE_SOON, rules.NEVER_TRAINED} <= statuses
    if today != datetime.date(2027, 1, 1):  # nobody can have trained yet on the first day of a half-year
        assert rules.COMPLIANT in statuses
