"""The weekly draw: who may be asked, how many, fairly and politely, and the emails it sends."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.db.models import Count
from django.utils import timezone

from complaints.survey.pulse import selectors as pulse_selectors
from complaints.survey.pulse import services as pulse
from complaints.survey.pulse.models import PulseInvitation, PulseWave
from complaints.survey.pulse.tasks import draw_pulse_survey
from customers.models import OptOutSource
from customers.services import customer_email_opt_out
from notifications.models import Notification
from tests.factories import CustomerFactory, PulseInvitationFactory, PurchaseFactory

# A Tuesday: the week of Monday 2024-06-10.
NOW = "2024-06-11 10:00 +03:00"
TODAY = datetime.date(2024, 6, 11)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def switched_on(db):
    pulse.pulse_switch(actor=None, enabled=True)


def _buyer(*, days_ago: int = 3, **fields):
    """A customer who bought ``days_ago`` days ago and gave consent (unless told otherwise)."""
    fields.setdefault("email_consent", "yes")
    customer = CustomerFactory(**fields)
    PurchaseFactory(customer=customer, date=TODAY - datetime.timedelta(days=days_ago))
    return customer


def _days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_it_asks_a_share_of_the_customers_who_may_be_asked(switched_on, settings):
    settings.SERVICECRAFT = {"PULSE_SAMPLE_RATE": 0.25}
    for _ in range(20):
        _buyer()
    wave = pulse.pulse_wave_draw(seed=1)
    assert (wave.population, wave.eligible, wave.sampled) == (20, 20, 5)
    assert wave.invitations.count() == 5
    assert wave.sample_rate == 0.25 and wave.sample_size is None


def test_it_asks_a_fixed_number_when_a_size_is_set(switched_on, settings):
    settings.SERVICECRAFT = {"PULSE_SAMPLE_SIZE": 7, "PULSE_SAMPLE_RATE": 0.01}
    for _ in range(20):
        _buyer()
    assert pulse.pulse_wave_draw(seed=1).sampled == 7


def test_it_reproduces_a_draw_with_its_seed(switched_on, settings):
    settings.SERVICECRAFT = {"PULSE_SAMPLE_RATE": 0.3}
    for _ in range(30):
        _buyer()
    first = pulse.pulse_wave_draw(seed=1234)
    chosen = set(first.invitations.values_list("customer_id", flat=True))
    assert first.seed == 1234
    PulseWave.objects.all().delete()
    again = pulse.pulse_wave_draw(seed=1234)
    assert set(again.invitations.values_list("customer_id", flat=True)) == chosen
    PulseWave.objects.all().delete()
    other = pulse.pulse_wave_draw(seed=4321)
    assert set(other.invitations.values_list("customer_id", flat=True)) != chosen


def test_it_asks_only_customers_who_bought_in_the_window(switched_on, settings):
    settings.SERVICECRAFT = {"PULSE_SAMPLE_RATE": 1.0, "PULSE_PURCHASE_WINDOW_DAYS": 30}
    recent = _buyer(days_ago=29)
    _buyer(days_ago=30)
    _buyer(days_ago=200)
    CustomerFactory(email_consent="yes")  # never bought
    _buyer(days_ago=2, churned_on=TODAY - datetime.timedelta(days=1))  # ended the contract
    wave = pulse.pulse_wave_draw(seed=1)
    assert wave.population == 1
    assert list(wave.invitations.values_list("customer_id", flat=True)) == [recent.pk]


def test_it_asks_a_customer_at_most_once_in_ninety_days(switched_on, settings):
    settings.SERVICECRAFT = {"PULSE_SAMPLE_RATE": 1.0}
    asked_89_days_ago = _buyer()
    asked_91_days_ago = _buyer()
    PulseInvitationFactory(customer=asked_89_days_ago, created_at=_days_ago(89))
    PulseInvitationFactory(customer=asked_91_days_ago, created_at=_days_ago(91))
    wave = pulse.pulse_wave_draw(seed=1)
    assert wave.skipped_asked_recently == 1
    assert list(wave.invitations.values_list("customer_id", flat=True)) == [asked_91_days_ago.pk]


def test_it_takes_the_pause_between_two_asks_from_the_settings(switched_on, settings):
    settings.SERVICECRAFT = {"PULSE_SAMPLE_RATE": 1.0, "PULSE_MIN_DAYS_BETWEEN_ASKS": 30}
    customer = _buyer()
    PulseInvitationFactory(customer=customer, created_at=_days_ago(45))
    assert pulse.pulse_wave_draw(seed=1).sampled == 1


def test_it_skips_and_counts_customers_without_email_consent_or_who_unsubscribed(switched_on, settings):
    settings.SERVICECRAFT = {"PULSE_SAMPLE_RATE": 1.0}
    asked = _buyer()
    _buyer(email="")
    _buyer(email_consent="")  # not recorded
    _buyer(email_consent="no")  # refused
    unsubscribed = _buyer(email="Someone@Example.com")
    customer_email_opt_out(email="someone@example.com", source=OptOutSource.LINK)
    wave = pulse.pulse_wave_draw(seed=1)
    assert (wave.population, wave.skipped_no_email, wave.skipped_no_consent, wave.skipped_opted_out) == (
        5,
        1,
        2,
        1,
    )
    assert list(wave.invitations.values_list("customer_id", flat=True)) == [asked.pk]
    assert not PulseInvitation.objects.filter(customer=unsubscribed).exists()


def test_it_counts_a_customer_under_the_first_reason_only(switched_on):
    # No email and no consent: counted once, as "no email".
    _buyer(email="", email_consent="")
    wave = pulse.pulse_wave_draw(seed=1)
    assert (wave.skipped_no_email, wave.skipped_no_consent, wave.eligible) == (1, 0, 0)


def test_it_stratifies_by_segment_in_proportion(switched_on, settings):
    settings.SERVICECRAFT = {"PULSE_SAMPLE_SIZE": 10, "PULSE_STRATIFY_BY": "segment"}
    for _ in range(60):
        _buyer(segment="retail")
    for _ in range(30):
        _buyer(segment="online")
    for _ in range(10):
        _buyer(segment="business")
    wave = pulse.pulse_wave_draw(seed=5)
    asked = dict(PulseInvitation.objects.filter(wave=wave).values_list("segment").annotate(n=Count("pk")))
    assert asked == {"retail": 6, "online": 3, "business": 1}
    assert wave.stratified_by == "segment"
    assert wave.strata == {
        "business": {"eligible": 10, "sampled": 1},
        "online": {"eligible": 30, "sampled": 3},
        "retail": {"eligible": 60, "sampled": 6},
    }


def test_it_does_not_stratify_unless_asked(switched_on, settings):
    settings.SERVICECRAFT = {"PULSE_SAMPLE_SIZE": 10}
    for segment in ["retail"] * 5 + ["online"] * 5:
        _buyer(segment=segment)
    wave = pulse.pulse_wave_draw(seed=5)
    assert wave.strata == {"": {"eligible": 10, "sampled": 10}}


def test_it_draws_once_a_week(switched_on):
    _buyer()
    assert pulse.pulse_wave_draw(seed=1) is not None
    assert pulse.pulse_wave_draw(seed=2) is None
    assert PulseWave.objects.count() == 1
    with time_machine.travel("2024-06-17 10:00 +03:00", tick=False):
        assert pulse.pulse_wave_draw(seed=3).week_start == datetime.date(2024, 6, 17)


def test_it_draws_nothing_while_switched_off(db):
    _buyer()
    assert pulse.pulse_wave_draw(seed=1) is None
    assert not PulseWave.objects.exists()


def test_it_emails_each_customer_once_in_their_language(
    switched_on, settings, django_capture_on_commit_callbacks
):
    settings.SERVICECRAFT = {"PULSE_SAMPLE_RATE": 1.0}
    _buyer(email="anna@example.com", name="Anna Petrova", language="ru")
    _buyer(email="bob@example.com", name="Bob Stone")
    with django_capture_on_commit_callbacks(execute=True):
        assert draw_pulse_survey.delay().get() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert draw_pulse_survey.delay().get() == 0  # the same week: nothing more
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"anna@example.com", "bob@example.com"}
    assert by_address["anna@example.com"].subject == "Как у нас всё прошло?"
    assert "Anna Petrova" in by_address["anna@example.com"].body
    assert by_address["bob@example.com"].subject == "How was your experience with us?"
    body = by_address["bob@example.com"].body
    assert "/survey/pulse/a/" in body and "/survey/unsubscribe/" in body
    assert (
        by_address["bob@example.com"].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    assert Notification.objects.filter(kind="pulse_survey", status="sent").count() == 2


def test_it_previews_the_next_draw_without_drawing(db, settings):
    settings.SERVICECRAFT = {"PULSE_SAMPLE_RATE": 0.5, "PULSE_STRATIFY_BY": "segment"}
    for _ in range(4):
        _buyer(segment="retail")
    _buyer(segment="online")
    _buyer(segment="online", email_consent="")
    preview = pulse_selectors.draw_preview()
    assert (preview.population, preview.no_consent, preview.eligible, preview.sample) == (6, 1, 5, 3)
    assert [(row.stratum, row.eligible, row.sample) for row in preview.strata] == [
        ("online", 1, 1),
        ("retail", 4, 2),
    ]
    assert not PulseWave.objects.exists()


@pytest.mark.parametrize("rows", [5, 50])
def test_it_previews_in_a_fixed_number_of_queries(db, django_assert_max_num_queries, rows):
    for i in range(rows):
        _buyer(segment=["retail", "online", "business"][i % 3])
    with django_assert_max_num_queries(1):
        pulse_selectors.draw_preview()
