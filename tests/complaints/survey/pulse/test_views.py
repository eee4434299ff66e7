"""The customer's answer page (public, signed link) and the managers' pulse pages."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from complaints.survey.pulse import services as pulse
from complaints.survey.pulse.models import PulseInvitation, PulseWave
from tests.factories import CustomerFactory, PulseInvitationFactory, PurchaseFactory

GOOD = {"satisfaction": "2", "problem": "yes", "told": "on_the_spot", "about": "processes", "comment": ""}


def _url(invitation) -> str:
    return pulse.pulse_answer_url(invitation_id=invitation.pk)


def test_it_opens_the_questions_without_recording_anything(client, db):
    invitation = PulseInvitationFactory()
    response = client.get(_url(invitation))
    assert response.status_code == 200
    assert "How was your experience with us?" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.answered_at is None and invitation.satisfaction is None


def test_it_only_preselects_the_score_chosen_in_the_email(client, db):
    invitation = PulseInvitationFactory()
    response = client.get(_url(invitation) + "?satisfaction=4")
    assert response.context["form"].initial == {"satisfaction": "4"}
    assert 'value="4" autocomplete="off" checked' in response.content.decode()
    assert PulseInvitation.objects.get(pk=invitation.pk).answered_at is None


def test_it_ignores_a_score_it_does_not_know(client, db):
    response = client.get(_url(PulseInvitationFactory()) + "?satisfaction=9")
    assert response.context["form"].initial == {}


def test_it_records_nothing_for_a_head_request(client, db):
    invitation = PulseInvitationFactory()
    assert client.head(_url(invitation)).status_code == 200
    assert PulseInvitation.objects.get(pk=invitation.pk).answered_at is None


def test_it_records_the_answer_posted_from_the_page(client, db):
    invitation = PulseInvitationFactory()
    url = _url(invitation)
    response = client.post(url, {**GOOD, "comment": "The queue was long.", "recommend": "6"})
    assert response.status_code == 302 and response["Location"] == url + "?saved=1"
    invitation.refresh_from_db()
    assert (invitation.satisfaction, invitation.problem, invitation.told, invitation.about) == (
        2,
        True,
        "on_the_spot",
        "processes",
    )
    assert (invitation.comment, invitation.recommend, invitation.changes) == ("The queue was long.", 6, 0)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="pulse-saved"' in page and "Change my answer" in page


def test_it_lets_the_customer_change_the_answer_until_the_link_expires(client, db):
    invitation = PulseInvitationFactory()
    url = _url(invitation)
    client.post(url, GOOD)
    first = PulseInvitation.objects.get(pk=invitation.pk).answered_at
    client.post(url, {"satisfaction": "5", "problem": "no", "told": "formal", "about": "people"})
    invitation.refresh_from_db()
    assert (invitation.satisfaction, invitation.problem, invitation.told, invitation.about) == (
        5,
        False,
        "",
        "",
    )
    assert invitation.answered_at == first and invitation.changes == 1
    assert PulseInvitation.objects.count() == 1
    form = client.get(url).context["form"]
    assert form.initial["satisfaction"] == "5" and form.initial["problem"] == "no"


def test_it_asks_whether_the_customer_told_us_when_something_went_wrong(client, db):
    invitation = PulseInvitationFactory()
    response = client.post(_url(invitation), {"satisfaction": "2", "problem": "yes"})
    assert response.status_code == 200
    assert "Please say whether you told us" in response.content.decode()
    assert PulseInvitation.objects.get(pk=invitation.pk).answered_at is None


@pytest.mark.parametrize(
    "data",
    [
        {"problem": "no"},
        {"satisfaction": "6", "problem": "no"},
        {"satisfaction": "3", "problem": "maybe"},
        {"satisfaction": "3", "problem": "yes", "told": "carrier-pigeon"},
        {"satisfaction": "3", "problem": "no", "recommend": "11"},
        {"satisfaction": "3", "problem": "no", "comment": "x" * 2001},
    ],
)
def test_it_refuses_an_incomplete_or_foreign_answer(client, db, data):
    invitation = PulseInvitationFactory()
    assert client.post(_url(invitation), data).status_code == 200
    assert PulseInvitation.objects.get(pk=invitation.pk).answered_at is None


def test_it_shows_a_friendly_page_for_a_tampered_link(client, db):
    invitation = PulseInvitationFactory()
    url = _url(invitation)
    response = client.post(url[:-4] + "xyz/", GOOD)
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert PulseInvitation.objects.get(pk=invitation.pk).answered_at is None


def test_it_refuses_a_link_of_the_other_survey(client, db):
    from complaints.survey.services import survey_token

    invitation = PulseInvitationFactory()
    token = survey_token(survey_id=invitation.pk, answer="yes")
    assert client.get(reverse("survey:pulse:answer", args=[token])).status_code == 400


def test_it_refuses_a_link_to_an_invitation_that_is_gone(client, db):
    invitation = PulseInvitationFactory()
    url = _url(invitation)
    invitation.delete()
    assert client.get(url).status_code == 400


def test_it_refuses_an_answer_after_the_link_expired(client, db):
    now = timezone.now()
    invitation = PulseInvitationFactory(created_at=now)
    url = _url(invitation)
    with time_machine.travel(now + datetime.timedelta(days=30, minutes=1), tick=False):
        response = client.post(url, GOOD)
        assert response.status_code == 410
        assert "has expired" in response.content.decode()
        assert client.get(url).status_code == 410
    assert PulseInvitation.objects.get(pk=invitation.pk).answered_at is None


def test_it_refuses_an_old_token_even_when_the_invitation_was_extended(client, db, settings):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        invitation = PulseInvitationFactory(created_at=now, expires_at=now + datetime.timedelta(days=90))
        url = _url(invitation)
    with time_machine.travel(now + datetime.timedelta(days=31), tick=False):
        assert client.get(url).status_code == 410


def test_it_speaks_the_language_of_the_invitation(client, db):
    invitation = PulseInvitationFactory(language="ru")
    page = client.get(_url(invitation)).content.decode()
    assert 'lang="ru"' in page and "Как у нас всё прошло?" in page


def test_it_speaks_the_language_the_customer_chose_on_the_page(client, db, settings):
    invitation = PulseInvitationFactory(language="ru")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(_url(invitation)).content.decode()
    assert "How was your experience with us?" in page


def test_it_records_an_answer_given_in_russian(client, db):
    invitation = PulseInvitationFactory(language="ru")
    response = client.post(_url(invitation), {**GOOD, "told": "formal"})
    assert response.status_code == 302
    assert PulseInvitation.objects.get(pk=invitation.pk).told == "formal"
    assert "Спасибо" in client.get(response["Location"]).content.decode()


# --- managers ---------------------------------------------------------------------------


def test_it_shows_the_next_draw_before_it_goes(manager_client, settings):
    settings.SERVICECRAFT = {"PULSE_SAMPLE_RATE": 0.5}
    for consent in ["yes", "yes", "yes", "yes", ""]:
        customer = CustomerFactory(email_consent=consent)
        PurchaseFactory(customer=customer, date=timezone.localdate())
    response = manager_client.get(reverse("survey:pulse:overview"))
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.population, preview.no_consent, preview.eligible, preview.sample) == (5, 1, 4, 2)
    page = response.content.decode()
    assert 'data-testid="pulse-next-size">2<' in page
    assert "Switch on" in page
    assert not PulseWave.objects.exists()


@pytest.mark.parametrize("waves", [1, 8])
def test_it_shows_the_overview_in_a_fixed_number_of_queries(
    manager_client, django_assert_max_num_queries, waves
):
    for n in range(waves):
        PulseInvitationFactory(wave__week_start=datetime.date(2024, 1, 1) + datetime.timedelta(weeks=n))
    manager_client.get(reverse("survey:pulse:overview"))  # the session and settings rows exist
    with django_assert_max_num_queries(9):
        response = manager_client.get(reverse("survey:pulse:overview"))
    assert len(response.context["waves"]) == waves


def test_it_switches_the_pulse_survey_on_and_off(manager_client):
    response = manager_client.post(reverse("survey:pulse:switch"), {"enabled": "on"})
    assert response.status_code == 302
    assert pulse.pulse_enabled()
    manager_client.post(reverse("survey:pulse:switch"), {})
    assert not pulse.pulse_enabled()


@pytest.mark.parametrize(
    ("language", "title", "subject"),
    [
        ("en", "How was your experience with us?", "How was your experience with us?"),
        ("ru", "Как у нас всё прошло?", "Как у нас всё прошло?"),
    ],
)
def test_it_previews_the_survey_in_each_language(manager_client, language, title, subject):
    response = manager_client.get(reverse("survey:pulse:preview"), {"language": language})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'lang="{language}"' in page and title in page
    assert 'data-testid="pulse-preview-banner"' in page and "disabled" in page
    assert response.context["preview"]["subject"] == subject
    email = manager_client.get(reverse("survey:pulse:preview_email"), {"language": language})
    assert subject in email.content.decode()
    assert "'unsafe-inline'" in email["Content-Security-Policy"]
    assert not PulseInvitation.objects.exists()


def test_it_exports_the_answers_with_formulas_neutralised(manager_client):
    PulseInvitationFactory(
        customer__external_id="C-1",
        customer__name='=HYPERLINK("http://evil.example")',
        answered_at=timezone.now(),
        satisfaction=2,
        problem=True,
        told="formal",
        about="products",
        comment="@SUM(A1) broke",
        recommend=3,
    )
    PulseInvitationFactory()  # not answered: not exported
    response = manager_client.get(reverse("survey:pulse:export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["week", "asked_at", "answered_at"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["customer_name"] == '\'=HYPERLINK("http://evil.example")'
    assert row["comment"] == "'@SUM(A1) broke"
    assert (row["customer_external_id"], row["problem"], row["told"], row["recommend"]) == (
        "C-1",
        "yes",
        "formal",
        "3",
    )


def test_it_installs_the_weekly_draw_and_says_when_it_runs(manager_client):
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.select_related("crontab").get(task="complaints.draw_pulse_survey")
    assert (entry.crontab.day_of_week, entry.crontab.hour, entry.crontab.minute) == ("2", "10", "0")
    page = manager_client.get(reverse("survey:pulse:overview")).content.decode()
    assert "The draw runs every Tuesday at 10:00." in page
    entry.enabled = False
    entry.save(update_fields=["enabled"])
    page = manager_client.get(reverse("survey:pulse:overview")).content.decode()
    assert "the weekly draw is disabled" in page


def test_it_says_when_the_draw_runs_in_russian(manager_client):
    manager_client.cookies["django_language"] = "ru"
    page = manager_client.get(reverse("survey:pulse:overview"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "по вторникам в 10:00" in page
