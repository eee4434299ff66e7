"""The signed reply address: read back, forged and expired tokens refused."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import signing

from complaints.conversation import reply_address as reference

START = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def test_it_reads_back_the_complaint_of_its_own_address(settings):
    settings.DEFAULT_FROM_EMAIL = "Service desk <care@shop.example>"
    address = reference.reply_address(4321)
    assert address.startswith("care+") and address.endswith("@shop.example")
    assert reference.complaint_id_from_address(f'"Service desk" <{address}>') == 4321


def test_it_uses_the_configured_reply_mailbox(settings):
    settings.COMPLAINTS_REPLY_ADDRESS = "replies@mail.shop.example"
    address = reference.reply_address(7)
    assert address.startswith("replies+") and address.endswith("@mail.shop.example")


def test_it_keeps_the_address_within_the_64_characters_of_a_local_part(settings):
    settings.DEFAULT_FROM_EMAIL = "servicecraft <servicecraft@localhost>"
    local = reference.reply_address(10**9).rpartition("@")[0]
    assert len(local) <= 64
    assert reference.complaint_id_from_address(reference.reply_address(10**9)) == 10**9


def test_it_finds_the_address_among_several_recipients():
    headers = ["Someone <someone@example.com>", f"desk@example.com, {reference.reply_address(55)}"]
    assert reference.complaint_id_from_headers(*headers) == 55


def test_it_finds_nothing_in_addresses_without_a_token():
    assert reference.complaint_id_from_headers("desk@example.com", "other+news@example.com", "") is None


@pytest.mark.parametrize(
    "forge",
    [
        # another complaint's number with the signature of this one
        lambda token: signing.b62_encode(99) + token[token.index(".") :],
        # the signature changed by one character
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        # cut short
        lambda token: token[:-5],
        # signed for something else (the survey's links) with the same key
        lambda token: signing.TimestampSigner(salt="complaints.survey", sep=".").sign("1")[:-21],
        lambda token: "",
    ],
)
def test_it_refuses_a_forged_token(forge):
    token = reference.reply_token(1)
    with pytest.raises(reference.ReplyReferenceError) as error:
        reference.complaint_id_from_token(forge(token))
    assert error.value.reason == "invalid"


def test_it_refuses_an_address_without_a_plus_extension():
    with pytest.raises(reference.ReplyReferenceError, match="invalid"):
        reference.complaint_id_from_address("servicecraft@localhost")


def test_it_refuses_an_expired_token(settings):
    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "COMPLAINT_REPLY_REFERENCE_MAX_AGE_DAYS": 30}
    with time_machine.travel(START, tick=False):
        address = reference.reply_address(12)
    with time_machine.travel(START + datetime.timedelta(days=29), tick=False):
        assert reference.complaint_id_from_address(address) == 12
    with (
        time_machine.travel(START + datetime.timedelta(days=31), tick=False),
        pytest.raises(reference.ReplyReferenceError, match="expired"),
    ):
        reference.complaint_id_from_address(address)


def test_it_makes_a_token_of_characters_allowed_unquoted_in_an_address():
    token = reference.reply_token(123456)
    assert set(token) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
    assert ".." not in token and not token.startswith(".") and not token.endswith(".")
