"""Inbound mails for the intake's tests, built with the standard library as mail programs send them."""

from __future__ import annotations

from email.message import EmailMessage

CUSTOMER = "anna@example.test"
MAILBOX = "complaints@servicecraft.test"
SUBJECT = "Жалоба: курьер опоздал на два часа"
TEXT = "Заказ 4711 привезли в 21:00 вместо 19:00.\nКурьер не позвонил.\n"


def a_mail(
    *,
    sender: str = f"Анна Петрова <{CUSTOMER}>",
    to: str = MAILBOX,
    subject: str = SUBJECT,
    text: str | None = TEXT,
    html: str | None = None,
    message_id: str | None = "<complaint-1@example.test>",
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    message = EmailMessage()
    if sender:
        message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = "Tue, 01 Dec 2026 10:00:00 +0300"
    if message_id:
        message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    if text is not None:
        message.set_content(text)
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    return message


def raw_mail(**kwargs) -> bytes:
    return a_mail(**kwargs).as_bytes()


def raw_headers_and_body(headers: str, body: str) -> bytes:
    """A mail written out by hand (for what EmailMessage would refuse to make)."""
    return (headers.strip() + "\n\n" + body).replace("\n", "\r\n").encode("utf-8")


def a_bounce() -> bytes:
    """A delivery status notification (RFC 3464) about one of our emails."""
    return raw_headers_and_body(
        """
From: Mail Delivery System <MAILER-DAEMON@mx.example.test>
To: servicecraft@servicecraft.test
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-1@mx.example.test>
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"
""",
        """--b1
Content-Type: text/plain

The mail could not be delivered to nobody@example.test.
--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.test
Final-Recipient: rfc822; nobody@example.test
Action: failed
Status: 5.1.1
--b1--
""",
    )
