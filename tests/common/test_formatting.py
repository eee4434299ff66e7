"""Numbers, money and dates read the same on every page, email and chart, in each language."""

from __future__ import annotations

import datetime

import pytest
from django.db import models
from django.template import Context, Template
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy

from common import charts, formatting


def test_it_writes_russian_numbers_with_a_decimal_comma_and_narrow_spaces():
    with translation.override("ru"):
        assert formatting.number(1234567.891, 1) == "1\u202f234\u202f567,9"
        assert formatting.percent(0.6667) == "67\u00a0%"
        assert formatting.money(72000) == "72\u202f000\u00a0USD"


def test_it_writes_english_numbers_with_commas():
    with translation.override("en"):
        assert formatting.number(1234567.891, 1) == "1,234,567.9"
        assert formatting.money(72000) == "72,000\u00a0USD"


def test_it_says_a_missing_figure_is_not_available():
    with translation.override("en"):
        assert formatting.percent(None) == "not available"


def test_it_writes_russian_dates_in_the_genitive_and_lower_case():
    day = datetime.date(2026, 12, 10)
    with translation.override("ru"):
        assert formats.date_format(day, "DATE_FORMAT") == "10 декабря 2026"
        assert formats.date_format(day, "YEAR_MONTH_FORMAT") == "декабрь 2026"
        assert formats.date_format(datetime.date(2026, 12, 7), "l") == "понедельник"


def test_it_labels_chart_axes_in_the_readers_language():
    with translation.override("ru"):
        assert charts.PERCENT_AXIS(0.255, 0) == "26\u00a0%"
        assert charts.NUMBER_AXIS(2500.5, 0) == "2\u202f500,5"


class _Colour(models.TextChoices):
    RED = "red", gettext_lazy("Red")
    GREEN = "green", gettext_lazy("Green")


def test_it_gives_the_label_of_a_choice_in_the_active_language_and_an_unknown_value_as_is():
    with translation.override("en"):
        label = formatting.choice_labels(_Colour)
    assert (label("red"), label("green"), label(""), label("blue")) == ("Red", "Green", "", "blue")
    assert type(label("red")) is str  # translated once, not a lazy string translated per row


@pytest.mark.parametrize("language", ["en", "ru"])
def test_it_prints_short_dates_as_the_date_filter_does(language):
    day = datetime.date(2026, 12, 10)
    # Late evening UTC: the next day in Moscow, so the time zone shows in the result.
    moment = datetime.datetime(2026, 12, 10, 22, 30, tzinfo=datetime.UTC)
    with translation.override(language), timezone.override("Europe/Moscow"):
        dates = formatting.ShortDates()
        printed = Template(
            '{{ day|date:"SHORT_DATE_FORMAT" }}|{{ moment|date:"SHORT_DATETIME_FORMAT" }}'
            '|{{ moment|date:"SHORT_DATE_FORMAT" }}'
        ).render(Context({"day": day, "moment": moment}))
        assert f"{dates.date(day)}|{dates.datetime(moment)}|{dates.date(moment)}" == printed
