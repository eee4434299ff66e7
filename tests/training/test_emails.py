"""The training emails: each written in the recipient's language, with the session's .ics."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.factories import EmployeeFactory, EnrolmentFactory
from training import emails

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("build", "subject", "method"),
    [
        (emails.invitation_message, "Приглашение", "METHOD:REQUEST"),
        (emails.change_message, "", "METHOD:REQUEST"),
        (emails.cancellation_message, "", "METHOD:CANCEL"),
    ],
)
def test_it_writes_each_email_in_the_recipient_s_language(build, subject, method):
    enrolment = EnrolmentFactory(employee=EmployeeFactory(language="ru"))

    with translation.override("en"):
        message = build(enrolment)

    english = {"Invitation", "Changed", "Cancelled"}
    assert not any(message.subject.startswith(word) for word in english)
    assert subject in message.subject
    assert enrolment.session.course.title in message.subject
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == ("session.ics", "text/calendar")
    assert method in content


def test_it_writes_english_for_an_english_speaker():
    enrolment = EnrolmentFactory(employee=EmployeeFactory(language="en"))

    with translation.override("ru"):
        message = emails.cancellation_message(enrolment)

    assert message.subject == f"Cancelled: {enrolment.session.course.title}"
