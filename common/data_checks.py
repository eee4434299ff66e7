"""Rows already in the database whose dates break the plausibility rule.

Forms and imports refuse implausible dates (:func:`common.dates.implausible_date_reason`),
but rows written before that rule (or by hand in the database) may still hold a
complaint received in year 1 or a customer first seen in 9999. Pages show such rows
without failing (:mod:`common.database`) and the metrics recompute leaves them out;
this module finds them for ``python manage.py check_data``, which lists them for repair.

Every date and date-time column of servicecraft's own apps is checked against the
plausible bounds (columns the server fills itself, ``auto_now`` and
``auto_now_add``, are skipped). A column that records an event, which cannot be in the
future, is named by its app in its AppConfig::

    class ComplaintsConfig(AppConfig):
        event_date_fields = ("Complaint.received_at", "Complaint.resolved_at")
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from common.dates import earliest_plausible_date, latest_plausible_date, start_of_day

# At most this many rows are listed per column (all are counted).
LISTED_PER_COLUMN = 100


@dataclass(frozen=True)
class ImplausibleValues:
    """The rows of one column holding implausible dates."""

    model: str  # "complaints.Complaint"
    field: str
    event: bool
    count: int
    rows: list[tuple[object, str]]  # (primary key, the value as the database writes it)


def _own_app_configs():
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if base in Path(config.path).resolve().parents:
            yield config


def _date_columns() -> Iterator[tuple[type[models.Model], models.Field, bool]]:
    for config in _own_app_configs():
        events = set(getattr(config, "event_date_fields", ()))
        for model in config.get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.DateField):  # DateTimeField is a DateField
                    continue
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    continue
                yield model, field, f"{model.__name__}.{field.name}" in events


def _outside(field: models.Field, *, event: bool, today: datetime.date) -> Q:
    earliest, latest = earliest_plausible_date(), latest_plausible_date(today)
    last = today if event else latest
    if isinstance(field, models.DateTimeField):
        lower, upper = start_of_day(earliest), start_of_day(last + datetime.timedelta(days=1))
        return Q(**{f"{field.name}__lt": lower}) | Q(**{f"{field.name}__gte": upper})
    return Q(**{f"{field.name}__lt": earliest}) | Q(**{f"{field.name}__gt": last})


def implausible_values(today: datetime.date | None = None) -> list[ImplausibleValues]:
    """Every column with implausible dates, with its count and first rows (two queries a column)."""
    today = today or timezone.localdate()
    found = []
    for model, field, event in _date_columns():
        rows = model._default_manager.filter(_outside(field, event=event, today=today))
        count = rows.count()
        if not count:
            continue
        listed = list(
            rows.annotate(_raw_date=Cast(field.name, TextField()))
            .order_by("pk")
            .values_list("pk", "_raw_date")[:LISTED_PER_COLUMN]
        )
        found.append(ImplausibleValues(model._meta.label, field.name, event, count, listed))
    return found
