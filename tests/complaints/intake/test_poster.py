"""The page to print for the counter: a big QR code, the link, an invitation in both languages."""

from __future__ import annotations

from django.urls import reverse

from complaints.intake.links import intake_target, intake_token


def _url(department) -> str:
    return reverse("intake:poster", kwargs={"token": intake_token(department)})


def test_it_shows_the_code_and_the_link_in_text(manager_client, department):
    body = manager_client.get(_url(department)).content.decode()

    assert reverse("intake:qr", kwargs={"token": intake_token(department), "fmt": "svg"}) in body
    assert f'data-testid="intake-poster-link">{intake_target(department).url}<' in body
    assert "Delivery" in body


def test_it_invites_in_english_and_russian_whatever_the_readers_language(manager_client, department):
    body = manager_client.get(_url(department)).content.decode()

    assert "Something went wrong? Tell us." in body
    assert "Что-то пошло не так? Расскажите нам." in body


def test_it_prints_on_an_a4_page(manager_client, department):
    body = manager_client.get(_url(department)).content.decode()

    assert 'intake-print.css" media="print"' in body


def test_it_is_for_managers_only(staff_client, department):
    assert staff_client.get(_url(department)).status_code == 403
