"""The public complaint form (/c/<token>/): no login, no JavaScript, safe against robots and floods."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints.intake import flood
from complaints.intake.forms import STORY_MAX_LENGTH
from complaints.intake.links import intake_token
from complaints.models import Complaint
from customers.models import Customer
from tests.complaints.intake.conftest import STORY
from tests.factories import CustomerFactory


@pytest.fixture
def limits(settings):
    def set_limits(**figures):
        settings.SERVICECRAFT = {**settings.SERVICECRAFT, **figures}

    return set_limits


def test_it_shows_the_form_to_anyone_without_javascript(client, form_url):
    response = client.get(form_url)

    body = response.content.decode()
    assert response.status_code == 200
    assert "<script" not in body
    assert 'name="story"' in body and 'name="contact"' in body and 'name="consent"' in body
    assert 'data-testid="intake-department">To: Delivery' in body


def test_it_loads_nothing_from_other_sites(client, form_url):
    body = client.get(form_url).content.decode()

    assert not re.search(r'(src|href)="(https?:)?//', body)


def test_it_logs_a_website_complaint_for_the_links_department(client, form_url, department, typed):
    response = client.post(form_url, typed)

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.channel == "website"
    assert complaint.department == department
    assert complaint.logged_by is None
    assert complaint.summary == "The courier left the parcel in the rain."
    assert complaint.details == STORY
    assert (complaint.customer_name, complaint.customer_contact) == ("Elena Petrova", "elena@example.com")


def test_it_sends_the_customer_to_the_confirmation_with_the_reference(client, form_url, typed):
    response = client.post(form_url, typed, follow=True)

    complaint = Complaint.objects.get()
    body = response.content.decode()
    assert f'data-testid="intake-reference">#{complaint.pk}<' in body
    assert "What happens next" in body


def test_it_logs_a_complaint_of_no_department_from_the_company_link(client, db, typed):
    url = reverse("intake:public_form", kwargs={"token": intake_token(None)})

    client.post(url, typed)

    assert Complaint.objects.get().department is None


def test_it_takes_a_complaint_without_any_contact(client, form_url):
    client.post(form_url, {"story": "Rude answer at the counter"})

    complaint = Complaint.objects.get()
    assert (complaint.customer_name, complaint.customer_contact, complaint.customer) == ("", "", None)


def test_it_re_renders_an_invalid_form_with_messages_and_everything_typed(client, form_url, typed):
    typed = {**typed, "story": "", "contact": "elena@example"}

    response = client.post(form_url, typed)

    body = response.content.decode()
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert 'data-testid="error-story"' in body and 'data-testid="error-contact"' in body
    assert 'value="Elena Petrova"' in body and 'value="elena@example"' in body
    assert "checked" in body  # the consent box stays ticked


def test_it_keeps_the_story_typed_when_another_field_is_wrong(client, form_url, typed):
    response = client.post(form_url, {**typed, "contact": "call me maybe"})

    body = response.content.decode()
    assert "The courier left the parcel in the rain." in body
    assert 'data-testid="error-contact"' in body


def test_it_asks_for_consent_before_using_a_contact(client, form_url, typed):
    response = client.post(form_url, {**typed, "consent": ""})

    assert 'data-testid="error-consent"' in response.content.decode()
    assert not Complaint.objects.exists()


def test_it_refuses_oversized_fields_with_a_message(client, form_url, typed):
    response = client.post(form_url, {**typed, "story": "x" * (STORY_MAX_LENGTH + 1), "name": "n" * 201})

    body = response.content.decode()
    assert not Complaint.objects.exists()
    assert f"at most {STORY_MAX_LENGTH} characters" in body
    assert 'data-testid="error-name"' in body


def test_it_answers_429_with_a_clear_message_past_the_limit_per_address(client, form_url, typed, limits):
    limits(INTAKE_PER_ADDRESS_PER_HOUR=2)
    for _attempt in range(2):
        assert client.post(form_url, typed, REMOTE_ADDR="203.0.113.7").status_code == 302

    response = client.post(form_url, typed, REMOTE_ADDR="203.0.113.7")

    body = response.content.decode()
    assert response.status_code == 429
    assert "try again in an hour" in body and "The courier left the parcel in the rain." in body
    assert Complaint.objects.count() == 2
    assert client.post(form_url, typed, REMOTE_ADDR="203.0.113.8").status_code == 302


def test_it_answers_429_past_the_hourly_limit_of_all_addresses(client, form_url, typed, limits):
    limits(INTAKE_PER_HOUR=3)
    for number in range(3):
        client.post(form_url, typed, REMOTE_ADDR=f"198.51.100.{number}")

    response = client.post(form_url, typed, REMOTE_ADDR="198.51.100.99")

    assert response.status_code == 429
    assert "unusual number of complaints" in response.content.decode()
    assert Complaint.objects.count() == 3


def test_it_counts_the_refusals(client, form_url, typed, limits):
    limits(INTAKE_PER_ADDRESS_PER_HOUR=1)
    client.post(form_url, typed)
    client.post(form_url, typed)
    client.post(form_url, {**typed, "website": "http://spam.example"})

    counts = {row["reason"]: row["today"] for row in flood.refusal_counts()}
    assert counts[flood.Refusal.ADDRESS] == 1
    assert counts[flood.Refusal.HONEYPOT] == 1
    assert counts[None] == 2


def test_it_makes_nothing_of_a_filled_honeypot_but_answers_as_usual(client, form_url, typed):
    response = client.post(form_url, {**typed, "website": "http://spam.example"}, follow=True)

    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert "Thank you" in response.content.decode()


def test_it_does_not_count_a_form_with_mistakes_against_the_limit(client, form_url, typed, limits):
    limits(INTAKE_PER_ADDRESS_PER_HOUR=1)
    for _attempt in range(3):
        client.post(form_url, {**typed, "story": ""})

    assert client.post(form_url, typed).status_code == 302


def test_it_links_the_complaint_to_a_new_customer_made_from_the_contact(client, form_url, typed):
    client.post(form_url, typed)

    customer = Customer.objects.get()
    assert Complaint.objects.get().customer == customer
    assert (customer.name, customer.email, customer.created_here) == (
        "Elena Petrova",
        "elena@example.com",
        True,
    )


def test_it_makes_no_customer_of_a_refused_submission(client, form_url, typed, limits):
    limits(INTAKE_PER_ADDRESS_PER_HOUR=0)

    assert client.post(form_url, typed).status_code == 429
    assert not Customer.objects.exists()


def test_it_makes_no_customer_of_a_robots_submission(client, form_url, typed):
    client.post(form_url, {**typed, "website": "http://spam.example"})

    assert not Customer.objects.exists()


def test_it_answers_the_same_whether_the_email_is_one_customers_several_or_nobodys(client, form_url, typed):
    CustomerFactory(email="known@example.com")
    CustomerFactory(email="family@example.com")
    CustomerFactory(email="Family@example.com")

    def page(email: str) -> str:
        response = client.post(form_url, {**typed, "contact": email}, follow=True)
        # What differs by nature between two sendings: the reference, its signed link, the CSRF token.
        body = re.sub(r"#\d+", "#N", response.content.decode())
        body = re.sub(r"/received/[^/]+/", "/received/R/", body)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", body)

    assert page("known@example.com") == page("stranger@example.com") == page("family@example.com")
    assert Customer.objects.filter(email="stranger@example.com").count() == 1


def test_it_says_a_broken_link_does_not_work(client, db):
    response = client.get(reverse("intake:public_form", kwargs={"token": "5:forged-signature"}))

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_it_speaks_russian_when_the_visitor_chose_it(client, form_url, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"

    body = client.get(form_url).content.decode()

    assert 'lang="ru"' in body and "Отправить жалобу" in body


def test_it_acknowledges_in_the_language_the_visitor_wrote_in(client, form_url, settings, typed):
    from notifications.models import Notification

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    client.post(form_url, typed)

    [acknowledgement] = Notification.objects.filter(to_email="elena@example.com")
    assert acknowledgement.language == "ru"
