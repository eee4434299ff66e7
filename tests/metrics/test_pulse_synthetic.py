"""The whole pipeline on a synthetic population whose complaint rate we know.

600 customers bought last week. Half of them had a problem; of those, 35 % told an employee on
the spot, 5 % complained formally and 60 % told nobody — so r = 0.40. The front line logs
every formal complaint but only half of what it hears on the spot, so the logging gap is
0.175 / 0.40 = 0.4375. The pulse survey asks half of the customers (a seeded draw), the
emails are read from the outbox, 70 % of the customers answer through the real answer page,
the metrics are recomputed — and the measured figures must hold the true ones inside their
90 % interval (the channels and the gap, four intervals in all, their 99 % ones). Everything
random is seeded, so the run is the same every time; that a 90 % interval holds the truth nine
times in ten is tested on its own (``test_pulse_analysis.test_it_covers_the_true_share_nine_times_in_ten``).
"""

from __future__ import annotations

import datetime
import random
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client

from complaints.survey.pulse import services as pulse
from complaints.survey.pulse.models import PulseInvitation
from complaints.survey.pulse.tasks import draw_pulse_survey
from customers.models import Customer, Purchase
from metrics import analysis
from metrics import services as metrics
from tests.factories import ComplaintFactory

NOW = "2024-06-11 10:00 +03:00"
TODAY = datetime.date(2024, 6, 11)
CUSTOMERS = 600
P_PROBLEM = 0.5
P_ON_THE_SPOT, P_FORMAL = 0.35, 0.05
TRUE_R = P_ON_THE_SPOT + P_FORMAL
P_LOGGED_ON_THE_SPOT = 0.5
TRUE_GAP = P_ON_THE_SPOT * (1 - P_LOGGED_ON_THE_SPOT) / TRUE_R
P_ANSWER = 0.7
LINK = re.compile(r"https?://[^/\s]+(/survey/pulse/a/[^\s/]+/)")


def _population() -> None:
    Customer.objects.bulk_create(
        Customer(
            external_id=f"S{i:04d}",
            name=f"Customer {i}",
            email=f"customer{i}@example.com",
            segment=["retail", "business"][i % 2],
            first_seen=datetime.date(2023, 1, 1),
            email_consent="yes",
        )
        for i in range(CUSTOMERS)
    )
    Purchase.objects.bulk_create(
        Purchase(
            external_id=f"P{customer.pk}",
            customer=customer,
            date=TODAY - datetime.timedelta(days=6),
            amount=50,
        )
        for customer in Customer.objects.all()
    )


def _truth(rng: random.Random) -> dict[str, tuple[bool, str]]:
    """Each customer's experience: (had a problem, told: no / on_the_spot / formal)."""
    truth = {}
    for customer in Customer.objects.order_by("pk"):
        problem = rng.random() < P_PROBLEM
        told = "no"
        if problem:
            draw = rng.random()
            told = "on_the_spot" if draw < P_ON_THE_SPOT else "formal" if draw < TRUE_R else "no"
        truth[customer.email] = (problem, told)
    return truth


def _log_what_the_front_line_logs(truth: dict, rng: random.Random) -> None:
    received = datetime.datetime(2024, 6, 6, 15, tzinfo=datetime.UTC)
    for customer in Customer.objects.order_by("pk"):
        _problem, told = truth[customer.email]
        if told == "formal" or (told == "on_the_spot" and rng.random() < P_LOGGED_ON_THE_SPOT):
            ComplaintFactory(customer=customer, received_at=received, channel="phone")


def _answer_every_email(truth: dict, rng: random.Random) -> int:
    answered = 0
    for message in mail.outbox:
        if rng.random() >= P_ANSWER:
            continue
        problem, told = truth[message.to[0]]
        [path] = LINK.findall(message.body)
        customer = Client()
        assert customer.get(path).status_code == 200  # opening the link records nothing
        data = {
            "satisfaction": str(rng.choice([1, 2, 3]) if problem else rng.choice([4, 5])),
            "problem": "yes" if problem else "no",
        }
        if problem:
            data.update(
                told=told, about=rng.choice(["people", "systems", "processes", "products", "customers"])
            )
        if rng.random() < 0.5:
            data["recommend"] = str(rng.randint(0, 10))
        response = customer.post(path, data)
        assert response.status_code == 302, response.content.decode()[:500]
        answered += 1
    return answered


@pytest.mark.slow
def test_it_recovers_a_known_complaint_rate_from_the_whole_pipeline(
    db, settings, manager_client, django_capture_on_commit_callbacks
):
    settings.SERVICECRAFT = {"PULSE_SAMPLE_RATE": 0.5}
    rng = random.Random(13)
    with time_machine.travel(NOW, tick=False):
        _population()
        truth = _truth(rng)
        _log_what_the_front_line_logs(truth, rng)
        pulse.pulse_switch(actor=None, enabled=True)

        # Sample → emails, read from the outbox.
        with django_capture_on_commit_callbacks(execute=True):
            # A fixed seed: the same customers are drawn on every run and every database.
            sent = draw_pulse_survey.delay(seed=2024).get()
        assert sent == len(mail.outbox) == CUSTOMERS // 2
        assert {message.to[0] for message in mail.outbox} == set(
            PulseInvitation.objects.values_list("email", flat=True)
        )

        # Simulated answers through the real views.
        answered = _answer_every_email(truth, rng)
        assert PulseInvitation.objects.filter(answered_at__isnull=False).count() == answered

        # Recompute.
        snapshot = metrics.snapshot_recompute()

    figures = snapshot.figures["pulse"]
    rate = figures["complaint_rate"]
    assert figures["answers"] == answered
    assert rate["answers_with_problem"] >= 30 and figures["source"] == "measured"
    # The measured r holds the true r inside its 90 % interval.
    assert rate["told"]["low"] <= TRUE_R <= rate["told"]["high"], rate["told"]
    assert abs(rate["told"]["value"] - TRUE_R) < 0.1
    # The channels and the logging gap too; each is one more 90 % interval that misses one time in
    # ten, so they are held to their 99 % interval (from the same counts) to keep the test honest
    # rather than lucky.
    problems = rate["answers_with_problem"]
    told = figures["logging_gap"]["told"]
    for measured, n, true in (
        (rate["by_channel"]["on_the_spot"], problems, P_ON_THE_SPOT),
        (rate["by_channel"]["formal"], problems, P_FORMAL),
        (figures["logging_gap"]["gap"], told, TRUE_GAP),
    ):
        wide = analysis.wilson_interval(round(measured["value"] * n), n, level=0.99)
        assert wide.low <= true <= wide.high, (measured, true)
    assert figures["response"]["rate"] == pytest.approx(answered / sent)

    # The silent-leaver estimate of the period now comes from the measured rate, and says so.
    estimate = snapshot.figures["periods"]["month"]["departments"]["all"]["silent_leavers_estimate"]
    assert estimate["source"] == "measured"
    summary = manager_client.get("/metrics/api/summary.json").json()
    assert summary["complaint_rate"]["source"] == "measured"
    assert summary["complaint_rate"]["measured"] == rate["told"]
    assert summary["silent_leavers_estimate"]["source"] == "measured"
