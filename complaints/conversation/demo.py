"""Demo canned replies, in English and Russian: an acknowledgement for any complaint, and
replies for the complaints of three root causes, using the placeholders. They start after the
greeting: the reply email greets the customer by name itself.

Added only while there are no canned replies at all: a second run, or a run after the
managers changed or deleted them, adds nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from complaints.conversation.models import CannedReply
from complaints.models import RootCause

# (title, root cause, language, text)
REPLIES = [
    (
        "We are looking into it",
        "",
        "en",
        "Thank you for telling us. Your complaint #{reference} is with "
        "{handler_name}, who will come back to you by {promise_date}.\n\nKind regards,\n{handler_name}",
    ),
    (
        "Мы разбираемся",
        "",
        "ru",
        "Спасибо, что сообщили нам. Вашей жалобой №{reference} "
        "занимается {handler_name}; мы ответим вам до {promise_date}.\n\nС уважением,\n{handler_name}",
    ),
    (
        "Apology for our colleague",
        RootCause.PEOPLE,
        "en",
        "We are sorry for how you were treated. This is not how we want to "
        "serve you: we have talked it through with the team and refreshed the standard it broke.\n\n"
        "Kind regards,\n{handler_name}",
    ),
    (
        "Извинение за сотрудника",
        RootCause.PEOPLE,
        "ru",
        "Приносим извинения за то, как с вами обошлись. Мы разобрали "
        "случай с командой и напомнили стандарт обслуживания.\n\nС уважением,\n{handler_name}",
    ),
    (
        "A fault in our system",
        RootCause.SYSTEMS,
        "en",
        "What happened (complaint #{reference}) was caused by a fault in our "
        "system, not by anything you did. It is being fixed, and we will confirm by {promise_date}.\n\n"
        "Kind regards,\n{handler_name}",
    ),
    (
        "Сбой в нашей системе",
        RootCause.SYSTEMS,
        "ru",
        "Причина (жалоба №{reference}) — сбой в нашей системе, а не "
        "ваша ошибка. Мы его устраняем и подтвердим до {promise_date}.\n\nС уважением,\n{handler_name}",
    ),
    (
        "Replacement of a faulty product",
        RootCause.PRODUCTS,
        "en",
        "We are sorry the product let you down. We will replace it free of "
        "charge: bring it with your receipt, or reply to this email and we will collect it.\n\n"
        "Kind regards,\n{handler_name}",
    ),
]


def seed() -> None:
    """Add the demo canned replies, last changed by the demo manager, unless there are any."""
    if CannedReply.objects.exists():
        return
    manager = get_user_model().objects.filter(username="manager").first()
    CannedReply.objects.bulk_create(
        CannedReply(title=title, root_cause=root_cause, language=language, body=body, updated_by=manager)
        for title, root_cause, language, body in REPLIES
    )
