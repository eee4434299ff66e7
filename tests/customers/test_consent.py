"""The customers' consent to survey emails: from the import, and the opt-outs every email honours."""

from __future__ import annotations

import pytest
from django.core import signing

from customers import selectors, services
from customers.models import Customer, EmailOptOut, OptOutSource
from customers.signals import email_opted_out
from tests.factories import CustomerFactory

HEADER = "external_id,name,email,segment,first_seen,churned_on"


def _import(tmp_path, text: str):
    path = tmp_path / "customers.csv"
    path.write_text(text, encoding="utf-8")
    return services.customers_import(path=path)


def test_it_imports_consent_and_language_when_the_file_has_them(db, tmp_path):
    result = _import(
        tmp_path,
        f"{HEADER},email_consent,language\n"
        "C1,Anna,anna@example.com,retail,2024-01-05,,yes,ru\n"
        "C2,Boris,boris@example.com,retail,2024-01-05,,no,\n"
        "C3,Vera,vera@example.com,retail,2024-01-05,,,EN\n",
    )
    assert result.ok, result.errors
    found = {c.external_id: c for c in Customer.objects.all()}
    assert (found["C1"].email_consent, found["C1"].language) == ("yes", "ru")
    assert found["C1"].email_consent_at is not None
    assert (found["C2"].email_consent, found["C2"].language) == ("no", "")
    assert (found["C3"].email_consent, found["C3"].language) == ("", "en")
    assert found["C3"].email_consent_at is None


def test_it_keeps_the_recorded_consent_when_a_file_has_no_such_column(db, tmp_path):
    CustomerFactory(external_id="C1", email_consent="yes", language="ru")
    result = _import(tmp_path, f"{HEADER}\nC1,Anna,anna@example.com,retail,2024-01-05,\n")
    assert result.ok and result.updated == 1
    anna = Customer.objects.get(external_id="C1")
    assert (anna.name, anna.email_consent, anna.language) == ("Anna", "yes", "ru")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [("email_consent", "maybe", "Not yes or no"), ("language", "de", "Not a language of the site")],
)
def test_it_refuses_a_consent_or_language_it_does_not_know(db, tmp_path, column, value, message):
    result = _import(tmp_path, f"{HEADER},{column}\nC1,Anna,anna@example.com,retail,2024-01-05,,{value}\n")
    assert not result.ok
    assert result.errors[0].column == column and message in result.errors[0].message
    assert not Customer.objects.exists()


def test_it_records_an_opt_out_once_in_lower_case(db):
    anna = CustomerFactory(email="Anna@Example.com")
    received = []
    email_opted_out.connect(lambda **kwargs: received.append(kwargs["email"]), weak=False, dispatch_uid="t")
    try:
        assert services.customer_email_opt_out(email=" ANNA@example.com ", source=OptOutSource.LINK)
        assert not services.customer_email_opt_out(email="anna@example.com", source=OptOutSource.LINK)
    finally:
        email_opted_out.disconnect(dispatch_uid="t")
    [opt_out] = EmailOptOut.objects.all()
    assert (opt_out.email, opt_out.customer, opt_out.source) == ("anna@example.com", anna, "link")
    assert received == ["anna@example.com"]
    assert selectors.email_opted_out("ANNA@EXAMPLE.COM")
    assert selectors.opted_out_addresses(["Anna@example.com", "bob@example.com"]) == {"anna@example.com"}


def test_it_takes_an_opt_out_back(db):
    services.customer_email_opt_out(email="anna@example.com", source=OptOutSource.LINK)
    assert services.customer_email_opt_in(email="Anna@example.com")
    assert not services.customer_email_opt_in(email="anna@example.com")
    assert not selectors.email_opted_out("anna@example.com")


def test_it_reads_back_the_address_of_an_unsubscribe_token():
    token = services.unsubscribe_token(email="Anna@Example.com")
    assert services.unsubscribe_token_read(token) == "anna@example.com"


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps({"e": "anna@example.com"}, salt="another.salt"),
        signing.dumps({"e": "no-at-sign"}, salt=services.UNSUBSCRIBE_SALT),
        signing.dumps(["anna@example.com"], salt=services.UNSUBSCRIBE_SALT),
    ],
    # Named: the signed tokens carry a timestamp, and test ids must be the same in every worker.
    ids=["not-signed", "another-salt", "not-an-address", "not-a-dict"],
)
def test_it_refuses_a_changed_or_foreign_unsubscribe_token(token):
    with pytest.raises(services.UnsubscribeLinkError):
        services.unsubscribe_token_read(token)


def test_it_refuses_a_token_with_a_changed_letter():
    token = services.unsubscribe_token(email="anna@example.com")
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(services.UnsubscribeLinkError):
        services.unsubscribe_token_read(changed)
