"""Reading an inbound mail (complaints.intake.mail): the clean record, and every refusal."""

from __future__ import annotations

import datetime

import pytest

from complaints.intake.mail import MailRefused, html_to_text, mail_key, mail_language, mail_parse
from complaints.intake.models import QuarantineReason
from tests.complaints.intake.mails import (
    CUSTOMER,
    MAILBOX,
    SUBJECT,
    a_bounce,
    a_mail,
    raw_headers_and_body,
    raw_mail,
)


def refusal(raw: bytes) -> MailRefused:
    with pytest.raises(MailRefused) as refused:
        mail_parse(raw)
    return refused.value


def test_it_reads_sender_subject_text_and_headers():
    message = a_mail(headers={"Cc": "Boss <boss@example.test>", "In-Reply-To": "<n.1@site.test>"})
    message["References"] = "<n.1@site.test> <n.2@site.test>"

    parsed = mail_parse(message.as_bytes())

    assert (parsed.sender, parsed.sender_name) == (CUSTOMER, "Анна Петрова")
    assert parsed.subject == SUBJECT
    assert parsed.body == "Заказ 4711 привезли в 21:00 вместо 19:00.\nКурьер не позвонил."
    assert parsed.message_id == "<complaint-1@example.test>"
    assert parsed.in_reply_to == "<n.1@site.test>"
    assert parsed.references == ("<n.1@site.test>", "<n.2@site.test>")
    assert (parsed.to, parsed.cc) == ((MAILBOX,), ("boss@example.test",))
    assert parsed.date == datetime.datetime(2026, 12, 1, 7, 0, tzinfo=datetime.UTC)


def test_it_prefers_the_plain_text_of_an_alternative():
    parsed = mail_parse(raw_mail(text="Plain words.\n", html="<p>HTML words</p>"))

    assert parsed.body == "Plain words."


def test_it_turns_an_html_only_mail_into_inert_text():
    html = (
        "<div>The kettle <b>broke</b> &amp; leaked.<br>Photo: <img src='https://tracker.test/p.png'>"
        "<a href='https://evil.test/'>see here</a></div><script>alert(1)</script>"
        "<style>p { color: red }</style><p>Second line</p>"
    )

    parsed = mail_parse(raw_mail(text=None, html=html))

    assert parsed.body == "The kettle broke & leaked.\nPhoto: see here\n\nSecond line"


def test_it_keeps_no_tag_of_hostile_html():
    text = html_to_text(
        '<p onclick="x()">a<iframe src="https://evil.test"></iframe><svg onload=1>b</svg></p>'
    )

    assert "<" not in text and "evil" not in text
    assert text.startswith("a")


def test_it_reads_raw_utf8_headers():
    raw = raw_headers_and_body(
        "From: Jörg Müller <jorg@example.test>\nSubject: Жалоба на доставку\n"
        "Content-Type: text/plain; charset=utf-8",
        "Текст жалобы.",
    )

    parsed = mail_parse(raw)

    assert (parsed.sender_name, parsed.subject, parsed.body) == (
        "Jörg Müller",
        "Жалоба на доставку",
        "Текст жалобы.",
    )


def test_it_reads_the_plus_address_a_mail_server_delivered_to():
    parsed = mail_parse(raw_mail(headers={"Delivered-To": "servicecraft+abc@servicecraft.test"}))

    assert "servicecraft+abc@servicecraft.test" in parsed.recipients


@pytest.mark.parametrize(
    ("content_language", "text", "expected"),
    [
        ("ru-RU", "Hello", "ru"),
        ("", "Курьер опоздал, order 12", "ru"),
        ("", "The courier was late", ""),
        ("de", "Hallo", ""),
    ],
)
def test_it_tells_the_language_the_customer_wrote_in(content_language, text, expected):
    assert mail_language(content_language=content_language, text=text) == expected


def test_it_keys_a_mail_by_its_message_id():
    assert mail_key(raw_mail(message_id="<abc@example.test>")) == "<abc@example.test>"


def test_it_keys_a_mail_without_message_id_by_its_bytes():
    first = mail_key(raw_mail(message_id=None))
    other = mail_key(raw_mail(message_id=None, text="Something else.\n"))

    assert first.startswith("sha256:") and other.startswith("sha256:")
    assert first != other
    assert mail_key(raw_mail(message_id=None)) == first


def test_it_refuses_a_mail_over_the_size_limit(settings):
    raw = raw_mail()
    settings.INBOUND_MAIL_MAX_BYTES = len(raw) - 1

    assert refusal(raw).reason == QuarantineReason.TOO_LARGE


def test_it_refuses_by_the_announced_size_when_only_the_header_was_fetched(settings):
    settings.INBOUND_MAIL_MAX_BYTES = 1000

    with pytest.raises(MailRefused) as refused:
        mail_parse(raw_mail(), size=5000)

    assert refused.value.reason == QuarantineReason.TOO_LARGE
    assert "stays in the mailbox" in refused.value.detail


def test_it_refuses_a_mail_without_a_text_part():
    message = a_mail(text=None)
    message.set_content(b"\x89PNG\r\n", maintype="image", subtype="png", filename="photo.png")

    assert refusal(message.as_bytes()).reason == QuarantineReason.NO_TEXT


def test_it_refuses_a_multipart_without_its_boundary():
    raw = raw_headers_and_body(
        f"From: {CUSTOMER}\nSubject: x\nContent-Type: multipart/mixed; boundary=zzz", "no part starts here\n"
    )

    assert refusal(raw).reason == QuarantineReason.BROKEN


def test_it_refuses_a_multipart_that_names_no_boundary():
    raw = raw_headers_and_body(
        f"From: {CUSTOMER}\nSubject: x\nContent-Type: multipart/mixed", "--a\n\ntext\n--a--\n"
    )

    assert refusal(raw).reason == QuarantineReason.BROKEN


def test_it_refuses_text_in_an_unknown_charset():
    raw = raw_headers_and_body(
        f"From: {CUSTOMER}\nSubject: x\nContent-Type: text/plain; charset=x-klingon", "Qapla'\n"
    )

    refused = refusal(raw)

    assert refused.reason == QuarantineReason.UNKNOWN_CHARSET
    assert "x-klingon" in refused.detail


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Auto-Submitted": "auto-generated"},
        {"X-Autoreply": "yes"},
        {"X-Autorespond": "Out of office"},
        {"Precedence": "bulk"},
        {"Precedence": "auto_reply"},
        {"Precedence": "junk"},
    ],
)
def test_it_refuses_an_automatic_reply(headers):
    assert refusal(raw_mail(headers=headers)).reason == QuarantineReason.AUTO_REPLY


def test_it_accepts_a_mail_that_says_it_is_not_automatic():
    assert mail_parse(raw_mail(headers={"Auto-Submitted": "no"})).sender == CUSTOMER


def test_it_refuses_a_delivery_report():
    assert refusal(a_bounce()).reason == QuarantineReason.BOUNCE


def test_it_refuses_a_mail_from_the_mailer_daemon():
    assert refusal(raw_mail(sender="MAILER-DAEMON@mx.example.test")).reason == QuarantineReason.BOUNCE


def test_it_refuses_a_mail_with_the_empty_envelope_sender():
    assert refusal(raw_mail(headers={"Return-Path": "<>"})).reason == QuarantineReason.BOUNCE


def test_it_refuses_our_own_mail_come_back(settings):
    settings.DEFAULT_FROM_EMAIL = "Servicecraft <servicecraft@servicecraft.test>"

    assert refusal(raw_mail(sender="servicecraft@servicecraft.test")).reason == QuarantineReason.LOOP
    assert refusal(raw_mail(sender="Servicecraft+x1.y2@ServiceCraft.test")).reason == QuarantineReason.LOOP


def test_it_refuses_a_mail_carrying_our_outbox_header():
    refused = refusal(raw_mail(headers={"X-Servicecraft-Notification": "42"}))

    assert refused.reason == QuarantineReason.LOOP


def test_it_refuses_a_mail_without_a_sender_address():
    assert refusal(raw_mail(sender="")).reason == QuarantineReason.NO_SENDER
    assert refusal(raw_mail(sender="undisclosed-recipients:;")).reason == QuarantineReason.NO_SENDER


def test_it_refuses_a_mail_with_neither_text_nor_subject():
    assert refusal(raw_mail(subject="", text="  \n")).reason == QuarantineReason.NO_TEXT


def test_it_refuses_garbage_as_broken_or_without_sender():
    refused = refusal(b"\x00\xff\xfe garbage without headers")

    assert refused.reason in {QuarantineReason.NO_SENDER, QuarantineReason.BROKEN}
