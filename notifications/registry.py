"""How the apps reach the notifications without the notifications importing them.

- **Emails.** An app registers the builder of each kind of email it sends, from its
  ``AppConfig.ready()``: ``register_email("training_invitation", builder)``. A builder
  takes the :class:`~notifications.models.Notification` and returns the whole message
  in the recipient's language; sending, retries and bookkeeping are the same for all.
- **Reminders.** An app with reminders has a ``<app>/reminders.py`` module (found in
  INSTALLED_APPS order, which is also the order of the digest's sections) with
  ``KINDS`` (the kinds a person can switch off) and ``reminder_items(today)``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from django.core.mail import EmailMessage
from django.utils import formats, timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext

from common.discovery import app_modules

EmailBuilder = Callable[..., EmailMessage]

_email_builders: dict[str, EmailBuilder] = {}


def register_email(kind: str, builder: EmailBuilder) -> None:
    """Say how an email of ``kind`` is built; registering a kind twice is a mistake."""
    if _email_builders.get(kind, builder) is not builder:
        raise ValueError(f"email kind {kind!r} is registered twice")
    _email_builders[kind] = builder


def email_builder(kind: str) -> EmailBuilder:
    return _email_builders[kind]


def email_kinds() -> tuple[str, ...]:
    """Every kind that is sent as an email (digest items are not: their digest is)."""
    return tuple(_email_builders)


@dataclass(frozen=True)
class ReminderKind:
    """A kind of reminder a person can switch off on the preferences page.

    ``roles`` are the roles whose holders can receive it (empty: everyone); a kind
    for managers reaches department heads too, so heads are offered it as well.
    """

    code: str
    label: str | Promise
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ReminderItem:
    """One thing to remind one person of; ``key`` names the subject (and its stage)."""

    recipient_user_id: int
    kind: str
    key: str
    text: str | Promise
    url: str = ""


def _format_param(value):
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return value


def _render_text(message: str, params: dict) -> str:
    return gettext(message) % {name: _format_param(value) for name, value in params.items()}


_lazy_text = lazy(_render_text, str)


def reminder_text(message: str, **params) -> Promise:
    """A reminder sentence rendered later, in the language of the person who reads it.

    Mark ``message`` with ``gettext_noop`` where it is written so it is translated.
    """
    return _lazy_text(message, params)


def reminder_providers() -> list[ModuleType]:
    return app_modules("reminders")


def reminder_kinds() -> list[ReminderKind]:
    return [kind for provider in reminder_providers() for kind in provider.KINDS]


def reminder_items(today: datetime.date) -> list[ReminderItem]:
    return [item for provider in reminder_providers() for item in provider.reminder_items(today)]
