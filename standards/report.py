"""The weekly report's standards section: acknowledgement coverage, stale standards, checks."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_noop

from common.report_blocks import TABLE_ROWS, Week, day_cell, metric, person_cell, table
from standards import selectors as standards


def _standards(week: Week) -> dict | None:
    if week.department_id:
        coverage = next(
            (
                row.coverage
                for row in standards.acknowledgement_coverage_by_department()
                if row.department_id == week.department_id
            ),
            None,
        )
    else:
        coverage = standards.acknowledgement_coverage()
    stale = list(standards.stale_standards(today=week.end + datetime.timedelta(days=1))[:TABLE_ROWS])
    stale_count = standards.stale_standard_count(today=week.end + datetime.timedelta(days=1))
    open_flags = standards.open_step_flags().count()
    return {
        "key": "standards",
        "title": gettext_noop("Standards"),
        "metrics": [
            metric(
                gettext_noop("Acknowledgement coverage of current versions"),
                coverage.percent / 100 if coverage and coverage.percent is not None else None,
                None,
                format="percent",
                better="higher",
            ),
            metric(
                gettext_noop("Acknowledgements missing"),
                coverage.missing if coverage else None,
                None,
                better="lower",
            ),
            metric(
                gettext_noop("Standards overdue for review"),
                stale_count,
                None,
                better="lower",
            ),
            metric(gettext_noop("Steps flagged as anti-standards"), open_flags, None, better="lower"),
        ],
        "tables": [
            table(
                gettext_noop("Stale standards (review overdue)"),
                [gettext_noop("Standard"), gettext_noop("Owner"), gettext_noop("Review was due")],
                [[f"{s.code} {s.title}", person_cell(s.owner), day_cell(s.next_review_due)] for s in stale],
                empty=gettext_noop("Every standard was reviewed in time."),
                total=stale_count,
            )
        ],
    }


# The sections this app contributes to the weekly report (reports.sections).
SECTIONS = [_standards]
