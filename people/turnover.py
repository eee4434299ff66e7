"""Staff turnover and tenure: the people side of service, as pure arithmetic.

Why it exists (DOMAIN.md, "People and continuity"): fewer than half of employees
stay more than 5 years in one company, adaptation takes 3–6 months, and bad
service and staff turnover feed each other. These functions turn hire and leave
dates into the figures that let a manager see that: the turnover rate, the share
of long-tenured people, the people still in adaptation, the median tenure.

Nothing here touches the database: the selectors
(:func:`servicecraft.selectors.employment_spells`) read the dates in one query and
pass plain :class:`EmploymentSpell` values in, so every rule is tested by hand.

One convention runs through the module, the same as ``Employee.objects.active``:
a person is employed on day *d* when ``hired_on <= d`` and (``left_on`` is empty or
``left_on > d``); ``left_on`` is the day they are gone, and a leaver is counted on
that day.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from common.dates import add_months
from common.programme import programme_setting

# The articles: "adaptation takes 3–6 months". We count with the upper bound so that
# nobody who may still be adapting drops out of the newcomers' support (mentoring,
# the first trainings) too early; a company whose onboarding is shorter sets
# SERVICECRAFT["ADAPTATION_MONTHS"] = 3.
DEFAULT_ADAPTATION_MONTHS = 6
# The articles: "fewer than half of employees stay more than 5 years in one company".
LONG_TENURE_YEARS = 5
# The articles compare against this: a company where at least half stay longer
# than five years is doing better than most.
LONG_TENURE_REFERENCE_SHARE = 0.5
# Turnover is the usual HR figure: leavers over the last 12 months ÷ average headcount.
TURNOVER_WINDOW_MONTHS = 12
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class EmploymentSpell:
    """One person's time with the company, and the department they belong to now."""

    hired_on: datetime.date
    left_on: datetime.date | None = None
    department_id: int | None = None


@dataclass(frozen=True)
class WorkforceFigures:
    """The turnover and tenure figures of a group of people on one day.

    Rates and shares are fractions (0–1), None when there is nobody to divide by.
    """

    on: datetime.date
    headcount: int
    leavers: int
    average_headcount: float
    turnover_rate: float | None
    long_tenure: int
    long_tenure_share: float | None
    in_adaptation: int
    median_tenure_years: float | None

    @property
    def long_tenure_below_reference(self) -> bool:
        """True when fewer than half stay more than 5 years: the pattern the articles describe."""
        return self.long_tenure_share is not None and self.long_tenure_share < LONG_TENURE_REFERENCE_SHARE


@dataclass(frozen=True)
class TurnoverPoint:
    """Trailing-12-month turnover and headcount at the end of one month."""

    month_end: datetime.date
    headcount: int
    turnover_rate: float | None


def configured_adaptation_months() -> int:
    """SERVICECRAFT["ADAPTATION_MONTHS"], or :data:`DEFAULT_ADAPTATION_MONTHS` (6)."""
    return int(programme_setting("ADAPTATION_MONTHS"))


def is_employed_on(spell: EmploymentSpell, day: datetime.date) -> bool:
    return spell.hired_on <= day and (spell.left_on is None or spell.left_on > day)


class _DateCounts:
    """Hire and leave dates sorted once, so a headcount on any day is two binary searches.

    Relies on ``left_on >= hired_on`` (a database constraint): then the people
    employed on *d* are those hired by *d* minus those gone by *d*.
    """

    def __init__(self, spells: Iterable[EmploymentSpell]) -> None:
        spells = list(spells)
        self.hires = sorted(spell.hired_on for spell in spells)
        self.leaves = sorted(spell.left_on for spell in spells if spell.left_on is not None)

    def headcount(self, day: datetime.date) -> int:
        return bisect.bisect_right(self.hires, day) - bisect.bisect_right(self.leaves, day)

    def leavers(self, start: datetime.date, end: datetime.date) -> int:
        return bisect.bisect_right(self.leaves, end) - bisect.bisect_right(self.leaves, start)

    def turnover(self, end: datetime.date, months: int) -> tuple[int, float, float | None]:
        start = add_months(end, -months)
        leavers = self.leavers(start, end)
        points = [self.headcount(add_months(start, k)) for k in range(months + 1)]
        average = sum(points) / len(points)
        return leavers, average, (leavers / average if average else None)


def headcount_on(spells: Iterable[EmploymentSpell], day: datetime.date) -> int:
    return _DateCounts(spells).headcount(day)


def leavers_between(spells: Iterable[EmploymentSpell], start: datetime.date, end: datetime.date) -> int:
    """People whose leaving day falls in (start, end]: a window of N months counts each leaver once."""
    return _DateCounts(spells).leavers(start, end)


def turnover_rate(
    spells: Iterable[EmploymentSpell], *, end: datetime.date, months: int = TURNOVER_WINDOW_MONTHS
) -> tuple[int, float, float | None]:
    """(leavers, average headcount, rate) over the ``months`` up to ``end``.

    Rate = leavers in (end − months, end] ÷ average headcount over the same window,
    where the average headcount is the mean of the headcounts on the window's first
    day and on each monthly date after it (13 points for a year: steadier than the
    (start + end) ÷ 2 shortcut when people come in waves, and still easy to compute
    by hand). None when nobody was employed.
    """
    return _DateCounts(spells).turnover(end, months)


def has_long_tenure(spell: EmploymentSpell, on: datetime.date, years: int = LONG_TENURE_YEARS) -> bool:
    """More than ``years`` years with the company: the anniversary has passed (on it, it is exactly five)."""
    return add_months(spell.hired_on, 12 * years) < on


def is_in_adaptation(spell: EmploymentSpell, on: datetime.date, months: int) -> bool:
    """Employed, and fewer than ``months`` months since the hire day."""
    return is_employed_on(spell, on) and on < add_months(spell.hired_on, months)


def median_tenure_years(spells: Iterable[EmploymentSpell], on: datetime.date) -> float | None:
    """Median time with the company of the people employed on ``on``, in years of 365.25 days."""
    days = [(on - spell.hired_on).days for spell in spells if is_employed_on(spell, on)]
    return statistics.median(days) / DAYS_PER_YEAR if days else None


def workforce_figures(
    spells: Sequence[EmploymentSpell], *, on: datetime.date, adaptation_months: int | None = None
) -> WorkforceFigures:
    """Every figure for one group of people on one day (see each function for its rule)."""
    months = configured_adaptation_months() if adaptation_months is None else adaptation_months
    current = [spell for spell in spells if is_employed_on(spell, on)]
    leavers, average, rate = turnover_rate(spells, end=on)
    long_tenure = sum(1 for spell in current if has_long_tenure(spell, on))
    return WorkforceFigures(
        on=on,
        headcount=len(current),
        leavers=leavers,
        average_headcount=average,
        turnover_rate=rate,
        long_tenure=long_tenure,
        long_tenure_share=long_tenure / len(current) if current else None,
        in_adaptation=sum(1 for spell in current if is_in_adaptation(spell, on, months)),
        median_tenure_years=median_tenure_years(current, on),
    )


def workforce_figures_by_department(
    spells: Sequence[EmploymentSpell], *, on: datetime.date, adaptation_months: int | None = None
) -> dict[int | None, WorkforceFigures]:
    """department id → figures. People count in the department they belong to now.

    The employee record keeps no history of moves between departments, so a person
    who changed department counts, for the whole window, in the new one.
    """
    groups: dict[int | None, list[EmploymentSpell]] = defaultdict(list)
    for spell in spells:
        groups[spell.department_id].append(spell)
    return {
        department_id: workforce_figures(group, on=on, adaptation_months=adaptation_months)
        for department_id, group in groups.items()
    }


def month_ends(end: datetime.date, months: int) -> list[datetime.date]:
    """The last day of each of the ``months`` months up to ``end``'s month, then ``end`` itself."""
    ends = []
    for back in range(months - 1, 0, -1):
        first = add_months(end.replace(day=1), -back)
        ends.append(first.replace(day=calendar.monthrange(first.year, first.month)[1]))
    ends.append(end)
    return ends


def turnover_trend(
    spells: Sequence[EmploymentSpell], *, end: datetime.date, months: int = 24
) -> list[TurnoverPoint]:
    """Trailing-12-month turnover at each month end (the current month ends today), oldest first."""
    counts = _DateCounts(spells)
    points = []
    for month_end in month_ends(end, months):
        _leavers, _average, rate = counts.turnover(month_end, TURNOVER_WINDOW_MONTHS)
        points.append(TurnoverPoint(month_end, counts.headcount(month_end), rate))
    return points


# Fewer departments than this say nothing about whether two figures move together.
MIN_DEPARTMENTS_FOR_CORRELATION = 3


def _ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def rank_correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation (−1…1) of paired values; None for fewer than three pairs or no spread.

    Ranks, not raw values: departments differ in size, and one outlier should not
    decide whether turnover and complaints "move together".
    """
    if len(xs) != len(ys) or len(xs) < MIN_DEPARTMENTS_FOR_CORRELATION:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mean_x, mean_y = statistics.fmean(rx), statistics.fmean(ry)
    covariance = sum((a - mean_x) * (b - mean_y) for a, b in zip(rx, ry, strict=True))
    spread = (sum((a - mean_x) ** 2 for a in rx) * sum((b - mean_y) ** 2 for b in ry)) ** 0.5
    return covariance / spread if spread else None
