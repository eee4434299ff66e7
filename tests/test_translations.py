"""English and Russian ship together: the Russian catalogue is complete and compiled."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "ru" / "LC_MESSAGES"


def test_it_translates_every_message_into_russian():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_it_ships_a_compiled_catalogue_matching_the_source():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        entry.msgid
        for entry in po.translated_entries()
        if not entry.msgid_plural
        and (
            compiled.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else compiled.gettext(entry.msgid)
        )
        != entry.msgstr
    ]
    assert stale == [], "run `make messages` (compilemessages) and commit django.mo"


@override_settings(LANGUAGE_CODE="en")
def test_it_renders_the_shell_in_russian(client, db):
    from tests.factories import EmployeeFactory

    client.force_login(EmployeeFactory(roles=["HR"]).user)
    with translation.override("ru"):
        response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ru")
    body = response.content.decode()
    assert 'lang="ru"' in body
    assert "Главная" in body and "Сотрудники" in body


def test_it_writes_english_dates_day_first_and_russian_dates_the_russian_way():
    import datetime

    from django.utils.formats import date_format

    day = datetime.date(2025, 7, 27)
    with translation.override("en"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "27 Jul 2025"
    with translation.override("ru"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "27.07.2025"
