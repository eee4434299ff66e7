"""The programme's rules as pure functions: quarters, when a review is due, whether a
target is on track, and what an effectiveness check found.

The tunable figures come from :mod:`common.programme` (``PROGRAMME_*``, our choices,
listed in the README); callers read them and pass them in, so every rule here is tested
with plain values.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from common.dates import add_months
from programme.figures import FLOW, HIGHER, ProgrammeFigure

# --- months and quarters -----------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_of_year(year: int) -> list[datetime.date]:
    return [datetime.date(year, month, 1) for month in range(1, 13)]


def months_back(today: datetime.date, count: int) -> list[datetime.date]:
    """The first days of the ``count`` months up to and including today's, oldest first."""
    first = month_start(today)
    return [add_months(first, -back) for back in range(count - 1, -1, -1)]


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter | None:
        """``2026-Q1`` → Quarter(2026, 1); None for anything else."""
        match = re.fullmatch(r"(\d{4})-Q([1-4])", text or "")
        return cls(int(match[1]), int(match[2])) if match else None

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        return month_end(datetime.date(self.year, 3 * self.number, 1))

    @property
    def months(self) -> list[datetime.date]:
        return [add_months(self.start, offset) for offset in range(3)]

    @property
    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @property
    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def __str__(self) -> str:
        return self.label


def review_opens_on(quarter: Quarter) -> datetime.date:
    """A quarter's golden-rules review opens on the first day of its last month."""
    return quarter.months[-1]


def review_due_on(quarter: Quarter, *, grace_days: int) -> datetime.date:
    """…and is due ``grace_days`` (PROGRAMME_REVIEW_GRACE_DAYS) after the quarter ends."""
    return quarter.end + datetime.timedelta(days=grace_days)


def quarter_to_review(today: datetime.date, *, grace_days: int) -> Quarter | None:
    """The quarter whose review window (its last month up to its due date) holds ``today``."""
    for quarter in (Quarter.of(today), Quarter.of(today).previous):
        if review_opens_on(quarter) <= today <= review_due_on(quarter, grace_days=grace_days):
            return quarter
    return None


def reviewable_quarters(today: datetime.date, *, grace_days: int) -> list[Quarter]:
    """The quarters a review may be filed for today: the current one, and the previous one
    until its due date (a late review is better than none)."""
    current = Quarter.of(today)
    quarters = [current]
    if today <= review_due_on(current.previous, grace_days=grace_days):
        quarters.insert(0, current.previous)
    return quarters


# --- targets ------------------------------------------------------------------------------

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_DATA = "no_data"
STATUSES = (ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA)
# The statuses that call for a look, worst first: the programme page lists these departments.
NEEDS_ATTENTION = (OFF_TRACK, AT_RISK)


def judged_value(
    figure: ProgrammeFigure,
    values: Sequence[tuple[datetime.date, float | None, bool]],
    *,
    status_months: int,
) -> float | None:
    """The value a target is judged on, from (month, value, month complete) oldest first.

    A *flow* (a rate of the month: complaints, promises kept, churn) is noisy month to
    month: it is judged on the mean of the last ``status_months``
    (PROGRAMME_TARGET_STATUS_MONTHS) complete months that have a value. A *level* (value
    at risk, coverage, turnover) is a standing reading: the latest value counts, the
    current month's included.
    """
    if figure.kind == FLOW:
        recent = [value for _month, value, complete in values if complete and value is not None]
        recent = recent[-status_months:]
        return sum(recent) / len(recent) if recent else None
    for _month, value, _complete in reversed(values):
        if value is not None:
            return value
    return None


def target_status(value: float | None, *, target: float, direction: str, margin: float) -> str:
    """On track when ``value`` meets the target; at risk when it misses by no more than
    ``margin`` (PROGRAMME_TARGET_AT_RISK_MARGIN) × |target|; off track beyond; no data
    without a value. "Meets" follows the direction: at least the target when higher is
    better, at most when lower is better."""
    if value is None:
        return NO_DATA
    shortfall = target - value if direction == HIGHER else value - target
    if shortfall <= 1e-12:
        return ON_TRACK
    if shortfall <= margin * abs(target):
        return AT_RISK
    return OFF_TRACK


# --- did the action work? -------------------------------------------------------------------

FEWER = "fewer"
NO_CLEAR_CHANGE = "no_clear_change"
MORE = "more"
NOTHING_BEFORE_OR_AFTER = "no_data"
NO_BASIS = "no_basis"


@dataclass(frozen=True)
class Windows:
    before_start: datetime.date
    before_end: datetime.date
    after_start: datetime.date
    after_end: datetime.date

    @property
    def days(self) -> int:
        return (self.after_end - self.after_start).days + 1


def effectiveness_windows(*, created_on: datetime.date, completed_on: datetime.date, days: int) -> Windows:
    """The two periods an effectiveness check compares, both ``days`` long
    (PROGRAMME_EFFECTIVENESS_CHECK_DAYS), both inclusive: the days before the action was
    created (the problem it answered) and the days from its completion (the fix at work).
    The time the action was in progress belongs to neither."""
    return Windows(
        before_start=created_on - datetime.timedelta(days=days),
        before_end=created_on - datetime.timedelta(days=1),
        after_start=completed_on,
        after_end=completed_on + datetime.timedelta(days=days - 1),
    )


def check_due_on(completed_on: datetime.date, *, days: int) -> datetime.date:
    """The check runs the day after the "after" window closes."""
    return completed_on + datetime.timedelta(days=days)


def effectiveness_verdict(*, has_basis: bool, total: int, low: float | None, high: float | None) -> str:
    """What a check found. Without a root cause on any of the action's complaints there is
    nothing to count; without a complaint before or after there is nothing to compare;
    otherwise the interval of the rate ratio (after ÷ before) decides: wholly below 1,
    fewer complaints; wholly above, more; across 1, no clear change."""
    if not has_basis:
        return NO_BASIS
    if total == 0:
        return NOTHING_BEFORE_OR_AFTER
    if high is not None and high < 1:
        return FEWER
    if low is not None and low > 1:
        return MORE
    return NO_CLEAR_CHANGE
