"""The mail put aside, as managers see it: listed on the public form's page, each raw message a
download (never rendered by the browser)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.intake import selectors
from complaints.intake.models import QuarantinedMail
from complaints.intake.services import mail_receive
from tests.complaints.intake.mails import a_bounce, raw_mail

URL = reverse("intake:links")


@pytest.fixture
def bounce(db) -> QuarantinedMail:
    mail_receive(raw=a_bounce(), source="imap")
    return QuarantinedMail.objects.get()


def test_it_lists_quarantined_mail_with_reason_sender_and_subject(manager_client, bounce):
    body = manager_client.get(URL).content.decode()

    assert 'data-testid="intake-quarantine"' in body
    assert "Bounce or delivery report" in body
    assert "MAILER-DAEMON@mx.example.test" in body and "Undelivered Mail Returned to Sender" in body
    assert reverse("intake:quarantined_mail", kwargs={"pk": bounce.pk}) in body


def test_it_escapes_what_the_sender_wrote(manager_client, db):
    mail_receive(
        raw=raw_mail(subject="<script>alert(1)</script>", headers={"Precedence": "bulk"}), source="imap"
    )

    body = manager_client.get(URL).content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_it_says_when_nothing_is_put_aside(manager_client, db):
    assert 'data-testid="intake-quarantine-empty"' in manager_client.get(URL).content.decode()


def test_it_downloads_the_raw_message_as_an_opaque_file(manager_client, bounce):
    response = manager_client.get(reverse("intake:quarantined_mail", kwargs={"pk": bounce.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == a_bounce()


def test_it_answers_404_for_a_quarantined_mail_whose_file_is_gone(manager_client, bounce):
    bounce.raw.delete(save=False)

    response = manager_client.get(reverse("intake:quarantined_mail", kwargs={"pk": bounce.pk}))

    assert response.status_code == 404


def test_it_lists_the_latest_in_one_query(db, django_assert_num_queries):
    for number in range(3):
        mail_receive(
            raw=raw_mail(message_id=f"<auto-{number}@x.test>", headers={"X-Autoreply": "yes"}), source="imap"
        )

    with django_assert_num_queries(1):
        latest = selectors.quarantined_mail_latest(limit=2)

    assert [entry.message_id for entry in latest] == ["<auto-2@x.test>", "<auto-1@x.test>"]
