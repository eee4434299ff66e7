"""A canned reply's placeholders: known tokens replaced by plain text in one pass, everything
else (format fields, attribute lookups, printf markers) left exactly as written."""

from __future__ import annotations

import datetime

import pytest

from complaints.conversation.placeholders import (
    placeholder_values,
    placeholders_filled,
    placeholders_without_value,
)
from tests.factories import ComplaintFactory, UserFactory

VALUES = {"customer_name": "Elena Petrova", "reference": "1042", "promise_date": "", "handler_name": "Ivan"}


def test_it_fills_in_the_known_tokens():
    text = "Dear {customer_name}, complaint #{reference} is with {handler_name}."
    assert placeholders_filled(text, VALUES) == "Dear Elena Petrova, complaint #1042 is with Ivan."


@pytest.mark.parametrize(
    "literal",
    [
        "{0}",
        "{__class__}",
        "{customer_name.__class__}",
        "%s",
        "%(reference)s",
        "{{reference}}x",
        "{ reference }",
        "{",
    ],
)
def test_it_leaves_everything_else_as_written(literal):
    text = f"Hello {literal} {{customer_name}}"
    assert (
        placeholders_filled(text, VALUES) == f"Hello {literal.replace('{reference}', '1042')} Elena Petrova"
    )


def test_it_keeps_a_body_of_format_fields_literal():
    text = "{0} {__class__} %s {unknown} {customer_name}"
    assert placeholders_filled(text, VALUES) == "{0} {__class__} %s {unknown} Elena Petrova"


def test_it_does_not_fill_in_a_value_that_looks_like_a_token():
    values = {**VALUES, "customer_name": "{reference}"}
    assert placeholders_filled("{customer_name} / {reference}", values) == "{reference} / 1042"


def test_it_leaves_a_token_without_a_value_and_names_it():
    text = "By {promise_date}, {customer_name}; {promise_date} again."
    assert placeholders_filled(text, VALUES) == "By {promise_date}, Elena Petrova; {promise_date} again."
    assert placeholders_without_value(text, VALUES) == ["{promise_date}"]


def test_it_takes_the_values_from_the_complaint(db):
    handler = UserFactory(first_name="Ivan", last_name="Orlov")
    complaint = ComplaintFactory(
        customer_name="Elena Petrova", handler=handler, promised_on=datetime.date(2026, 3, 5)
    )
    values = placeholder_values(complaint=complaint, writer=UserFactory(), language="en")
    assert values == {
        "customer_name": "Elena Petrova",
        "reference": str(complaint.pk),
        "promise_date": "5 Mar 2026",
        "handler_name": "Ivan Orlov",
    }


def test_it_writes_the_promise_date_in_the_customers_language(db):
    complaint = ComplaintFactory(promised_on=datetime.date(2026, 3, 5))
    values = placeholder_values(complaint=complaint, writer=None, language="ru")
    assert values["promise_date"] == "5 марта 2026"


def test_it_signs_with_the_writer_when_nobody_handles_the_complaint(db):
    writer = UserFactory(first_name="Anna", last_name="Belova")
    complaint = ComplaintFactory(handler=None, promised_on=None)
    values = placeholder_values(complaint=complaint, writer=writer, language="en")
    assert (values["handler_name"], values["promise_date"]) == ("Anna Belova", "")
