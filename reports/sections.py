"""What the weekly report says: the sections the apps contribute, in one stored report.

Each app with something to say has a ``<app>/report.py`` whose ``SECTIONS`` lists
builders: a builder takes the report :class:`~common.report_blocks.Week` and returns a
section (shape in :mod:`common.report_blocks`) or None when it has nothing to say.
The report shows them in :data:`SECTION_ORDER`; a section of a new app comes last
until it is placed there.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils.translation import gettext_noop

from common.discovery import app_modules
from common.report_blocks import Week
from people.models import Department
from reports.models import Report

# The order of the report, by section key: the programme's targets open it, then what went
# wrong, the people last.
SECTION_ORDER = (
    "programme",
    "complaints",
    "satisfaction",
    "complaint_rate",
    "standards",
    "training",
    "customers",
    "people",
)


def section_builders() -> list[Callable[[Week], dict | None]]:
    return [builder for module in app_modules("report") for builder in module.SECTIONS]


def _in_report_order(sections: list[dict]) -> list[dict]:
    rank = {key: position for position, key in enumerate(SECTION_ORDER)}
    return sorted(sections, key=lambda section: rank.get(section["key"], len(rank)))


def build_figures(*, week_start: datetime.date, department: Department | None) -> dict:
    week = Week(week_start, department.pk if department else None)
    sections = _in_report_order([section for builder in section_builders() if (section := builder(week))])
    _fill_previous_from_last_report(sections, week_start=week_start, department=department)
    filters = [
        gettext_noop("Period: Monday to Sunday of the week, in the company time zone."),
        gettext_noop("Change: compared with the week before."),
    ]
    if department:
        filters.append(
            gettext_noop(
                "Scope: complaints, acknowledgement coverage, training and people of this department; "
                "stale standards, corrective actions and customer figures of the whole company."
            )
        )
    else:
        filters.append(gettext_noop("Scope: every department."))
    return {
        "week_start": week.start.isoformat(),
        "department": {"id": department.pk, "name": department.name} if department else None,
        "filters": filters,
        "sections": sections,
    }


def _label_key(label) -> str:
    """A metric's label as a key: its message id, also when it carries parameters."""
    return label["msgid"] if isinstance(label, dict) else label


def _fill_previous_from_last_report(sections: list[dict], *, week_start, department) -> None:
    """Figures that cannot be computed for a past week take last week's stored report's value."""
    last = Report.objects.filter(
        week_start=week_start - datetime.timedelta(days=7), department=department
    ).first()
    if last is None:
        return
    stored = {
        (section["key"], _label_key(item["label"])): item.get("value")
        for section in last.figures.get("sections", [])
        for item in section.get("metrics", [])
    }
    for section in sections:
        for item in section.get("metrics", []):
            if item.get("previous") is None:
                item["previous"] = stored.get((section["key"], _label_key(item["label"])))
