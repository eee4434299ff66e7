"""The figures a yearly target can be set on: each one the product already computes.

A figure says how it reads (percent, days, money, a count, a rate per 1,000 customers),
which way is better, whether it exists per department, and whether it is a *flow* (a
rate of the month: complaints, promises kept, churn) or a *level* (a standing read at
the month's last snapshot: value at risk, coverage, turnover). How each month's value
is fetched is in :mod:`programme.actuals`; the figures are stored as fractions (0–1)
where they are shares.

Hook for the measured r: the pulse survey (#13) measures the share of unhappy
customers who complain. Once the metrics snapshot stores it, add a figure here
(``measured_r``, percent, higher is better: more unhappy customers speak up) and its
reader in :mod:`programme.actuals` (``FETCHERS``); until then the silent leavers are
the figure of the unheard.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

HIGHER = "higher"
LOWER = "lower"
DIRECTIONS = (HIGHER, LOWER)

FLOW = "flow"
LEVEL = "level"

PERCENT = "percent"
DAYS = "days"
MONEY = "money"
COUNT = "count"
PER_THOUSAND = "per_thousand"


@dataclass(frozen=True)
class ProgrammeFigure:
    key: str
    # English message ids (gettext_noop): stored in weekly reports, translated when shown.
    label: str
    unit: str
    better: str
    kind: str
    per_department: bool
    source: str

    @property
    def scale(self) -> int:
        """What a stored value is multiplied by to show it (percent: 0.85 → 85)."""
        return 100 if self.unit == PERCENT else 1


FIGURES: tuple[ProgrammeFigure, ...] = (
    ProgrammeFigure(
        "promise_kept",
        gettext_noop("Promises kept"),
        PERCENT,
        HIGHER,
        FLOW,
        True,
        gettext_noop("Complaints resolved in the month by the date promised to the customer."),
    ),
    ProgrammeFigure(
        "time_to_resolve",
        gettext_noop("Time to resolve (median, days)"),
        DAYS,
        LOWER,
        FLOW,
        True,
        gettext_noop("Median time from receipt to resolution of the complaints resolved in the month."),
    ),
    ProgrammeFigure(
        "complaints_per_thousand",
        gettext_noop("Complaints per 1,000 customers"),
        PER_THOUSAND,
        LOWER,
        FLOW,
        True,
        gettext_noop("Complaints received in the month per 1,000 customers active at its start."),
    ),
    ProgrammeFigure(
        "silent_leavers",
        gettext_noop("Probable silent leavers"),
        COUNT,
        LOWER,
        LEVEL,
        False,
        gettext_noop(
            "Customers the purchase model thinks have left without complaining, at the month's last "
            "metrics recompute."
        ),
    ),
    ProgrammeFigure(
        "churn",
        gettext_noop("Monthly churn"),
        PERCENT,
        LOWER,
        FLOW,
        False,
        gettext_noop("Share of the customers active at the month's start who were lost in it."),
    ),
    ProgrammeFigure(
        "value_at_risk",
        gettext_noop("Value at risk"),
        MONEY,
        LOWER,
        LEVEL,
        False,
        gettext_noop(
            "Lifetime value of probable silent leavers and of customers with an open or unsatisfied "
            "complaint, at the month's last metrics recompute."
        ),
    ),
    ProgrammeFigure(
        "ack_coverage",
        gettext_noop("Acknowledgement coverage"),
        PERCENT,
        HIGHER,
        LEVEL,
        True,
        gettext_noop("Share of the current standards' audience who acknowledged the current version."),
    ),
    ProgrammeFigure(
        "training_compliance",
        gettext_noop("Training compliance"),
        PERCENT,
        HIGHER,
        LEVEL,
        True,
        gettext_noop("Share of customer-facing employees inside the twice-a-year rule."),
    ),
    ProgrammeFigure(
        "satisfaction",
        gettext_noop("Customer satisfaction after resolution"),
        PERCENT,
        HIGHER,
        FLOW,
        True,
        gettext_noop("Share of survey answers 'satisfied' among the surveys of the month's resolutions."),
    ),
    ProgrammeFigure(
        "staff_turnover",
        gettext_noop("Staff turnover (12 months)"),
        PERCENT,
        LOWER,
        LEVEL,
        True,
        gettext_noop("Leavers of the last 12 months per average headcount, at the month's end."),
    ),
)

BY_KEY = {figure.key: figure for figure in FIGURES}
FIGURE_KEYS = tuple(BY_KEY)


def figure(key: str) -> ProgrammeFigure:
    return BY_KEY[key]


def figure_choices() -> list[tuple[str, str]]:
    """(key, translated label) for forms."""
    return [(item.key, gettext(item.label)) for item in FIGURES]
