"""Every programme figure is declared once, read one way, and documented in the README."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from common.programme import FIGURES, declared, from_environment, programme_setting

REPO = Path(__file__).resolve().parents[2]
APPS = [
    "common",
    "people",
    "notifications",
    "customers",
    "standards",
    "training",
    "complaints",
    "metrics",
    "programme",
    "reports",
]


def _sources() -> list[Path]:
    return [path for app in APPS for path in (REPO / app).rglob("*.py") if "migrations" not in path.parts]


def test_it_reads_only_declared_figures():
    read = set()
    for path in _sources():
        read |= set(
            re.findall(r"(?:programme_setting|declared)\(\s*f?\"([A-Z_{}a-z.()]+)\"", path.read_text())
        )
    literal = {key for key in read if "{" not in key}
    assert literal, "no figure read at all: the pattern is wrong"
    assert literal <= {figure.key for figure in FIGURES}, literal - {figure.key for figure in FIGURES}


def test_it_reads_the_settings_only_through_the_accessor():
    offenders = [
        str(path.relative_to(REPO))
        for path in _sources()
        if "SERVICECRAFT" in path.read_text()
        and re.search(r"settings\.SERVICECRAFT|getattr\(settings, \"SERVICECRAFT\"", path.read_text())
        and path.name != "programme.py"
    ]
    assert offenders == []


def test_it_refuses_a_figure_that_is_not_declared():
    with pytest.raises(ImproperlyConfigured, match="not declared"):
        programme_setting("TRAINING_TWICE_A_DECADE")


def test_it_says_where_each_default_comes_from():
    for figure in FIGURES:
        assert figure.source in {"the articles", "our choice"}, figure.key
        assert figure.unit and figure.description, figure.key


def test_it_lists_every_figure_in_the_readme():
    readme = (REPO / "README.md").read_text()
    missing = [figure.key for figure in FIGURES if f"`{figure.key}`" not in readme]
    assert missing == []


def test_it_takes_a_deployments_value_over_the_default():
    assert programme_setting("TRAINING_PERIOD_MONTHS") == 6
    with override_settings(SERVICECRAFT={"TRAINING_PERIOD_MONTHS": 4}):
        assert programme_setting("TRAINING_PERIOD_MONTHS") == 4


def test_it_parses_figures_from_the_environment():
    environment = {
        "COMPLAINT_PROMISE_BUFFER": "3/2",
        "METRICS_COMPLAINT_RATE_BAND": "0.02,0.1",
        "SURVEY_RESEND_AFTER_DAYS": "",
        "REMINDER_PERIOD_DAYS": '{"default": 3}',
    }
    values = from_environment(environment.get)
    assert values == {
        "COMPLAINT_PROMISE_BUFFER": Fraction(3, 2),
        "METRICS_COMPLAINT_RATE_BAND": (0.02, 0.1),
        "SURVEY_RESEND_AFTER_DAYS": None,
        "REMINDER_PERIOD_DAYS": {"default": 3},
    }


def test_it_refuses_a_figure_it_cannot_read_from_the_environment():
    with pytest.raises(ImproperlyConfigured, match="TRAINING_PERIOD_MONTHS"):
        from_environment({"TRAINING_PERIOD_MONTHS": "six"}.get)


def test_it_declares_each_figure_once():
    keys = [figure.key for figure in FIGURES]
    assert len(keys) == len(set(keys))
    assert declared("ADAPTATION_MONTHS").source == "the articles"


def test_it_reads_the_pulse_survey_figures_from_the_environment():
    values = from_environment(
        {"PULSE_STRATIFY_BY": "Segment", "PULSE_SAMPLE_SIZE": "", "PULSE_SAMPLE_RATE": "0.25"}.get
    )
    assert values == {"PULSE_STRATIFY_BY": "segment", "PULSE_SAMPLE_SIZE": None, "PULSE_SAMPLE_RATE": 0.25}
    with pytest.raises(ImproperlyConfigured, match="PULSE_STRATIFY_BY"):
        from_environment({"PULSE_STRATIFY_BY": "department"}.get)
