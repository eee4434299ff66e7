"""The twice-a-year training rule, in one place.

Everything that says whether an employee is inside the rule — the pages, the
planner, the reminders, the weekly report — calls :func:`training_status`. The
database side (which sessions count) lives in ``training.selectors``; this module
is pure date arithmetic so that it can be tested case by case.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from common.programme import programme_setting

COMPLIANT = "compliant"
DUE = "due"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
NEVER_TRAINED = "never_trained"
EXEMPT = "exempt"

STATUS_LABELS = {
    COMPLIANT: _("Compliant"),
    DUE: _("Due"),
    DUE_SOON: _("Due soon"),
    OVERDUE: _("Overdue"),
    NEVER_TRAINED: _("Never trained"),
    EXEMPT: _("Not required"),
}
# Most urgent first: the order of lists and of the status badges' legend.
STATUS_ORDER = [OVERDUE, DUE_SOON, NEVER_TRAINED, DUE, COMPLIANT, EXEMPT]
NEEDS_TRAINING = frozenset({OVERDUE, NEVER_TRAINED, DUE_SOON, DUE})
# The statuses of NEEDS_TRAINING come first in STATUS_ORDER: "needs training" is "rank below this".
NEEDS_TRAINING_RANKS = len(NEEDS_TRAINING)
assert set(STATUS_ORDER[:NEEDS_TRAINING_RANKS]) == NEEDS_TRAINING


def urgency_rank(status: str) -> int:
    """The place of ``status`` in :data:`STATUS_ORDER` (0 most urgent), the stored sort key."""
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)


@dataclass(frozen=True)
class TrainingPolicy:
    """The rule's figures; defaults from the articles (see ``../shared/DOMAIN.md``).

    Each is the programme figure ``TRAINING_<NAME>`` (``common.programme``), e.g.
    ``TRAINING_NEW_HIRE_DAYS=60`` or ``TRAINING_PERIOD_MONTHS=4`` in the environment.
    """

    # Calendar periods of this many months each need one counted session: 6 = the
    # two half-years (January–June, July–December), "at least twice a year".
    period_months: int = 6
    # A new hire attends a first session within this many days of the hire date
    # (the adaptation period), and a period ending sooner than this after the hire
    # date does not count against them.
    new_hire_days: int = 90
    # "Due soon" when the due date is at most this many days away.
    due_soon_days: int = 30
    # The HR planner looks this many days ahead by default.
    planner_days: int = 60
    # Compliance pages show the trend over this many past periods.
    trend_periods: int = 4

    @classmethod
    def from_settings(cls) -> TrainingPolicy:
        return cls(
            **{name: int(programme_setting(f"TRAINING_{name.upper()}")) for name in cls.__dataclass_fields__}
        )

    def __post_init__(self) -> None:
        if 12 % self.period_months:
            raise ValueError("TRAINING period_months must divide 12 (e.g. 6, 4, 3)")


@dataclass(frozen=True)
class Period:
    """One calendar period of the rule (a half-year by default), both ends inclusive."""

    start: datetime.date
    end: datetime.date

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        months = self.end.month - self.start.month + 1
        if months == 6:
            return f"{self.start.year} H{1 if self.start.month == 1 else 2}"
        return f"{self.start.year} P{(self.start.month - 1) // months + 1}"


def period_of(day: datetime.date, policy: TrainingPolicy) -> Period:
    first_month = (day.month - 1) // policy.period_months * policy.period_months + 1
    start = datetime.date(day.year, first_month, 1)
    return Period(start, _next_period_start(start, policy) - datetime.timedelta(days=1))


def previous_period(period: Period) -> Period:
    return period_of_like(period.start - datetime.timedelta(days=1), period)


def next_period(period: Period) -> Period:
    return period_of_like(period.end + datetime.timedelta(days=1), period)


def period_of_like(day: datetime.date, like: Period) -> Period:
    months = like.end.month - like.start.month + 1
    return period_of(day, TrainingPolicy(period_months=months))


def _next_period_start(start: datetime.date, policy: TrainingPolicy) -> datetime.date:
    month = start.month + policy.period_months
    return datetime.date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def one_year_before(day: datetime.date) -> datetime.date:
    """The same day a year earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def period_required(period: Period, *, hired_on: datetime.date, policy: TrainingPolicy) -> bool:
    """Whether ``period`` counts against someone hired on ``hired_on``."""
    return hired_on <= last_hire_date_required(period, policy=policy)


def last_hire_date_required(period: Period, *, policy: TrainingPolicy) -> datetime.date:
    """The latest hire date of whom ``period`` is required: it must end at least the
    adaptation period (``new_hire_days``) after the hire. The compliance trend filters
    on it in the database."""
    return period.end - datetime.timedelta(days=policy.new_hire_days)


def counted_days(
    trained_on: Iterable[datetime.date], *, hired_on: datetime.date, today: datetime.date
) -> list[datetime.date]:
    """The days of counted sessions the rule reads, oldest first: those from the hire
    date up to ``today`` (a session booked ahead or before the hire counts for nothing)."""
    return sorted(day for day in trained_on if hired_on <= day <= today)


@dataclass(frozen=True)
class TrainingStatus:
    status: str
    # compliant: the end of the next period; due/never trained: the deadline ahead;
    # overdue: the deadline that was missed; exempt: None.
    due_on: datetime.date | None
    last_trained_on: datetime.date | None
    count_last_12_months: int

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def needs_training(self) -> bool:
        return self.status in NEEDS_TRAINING

    @property
    def is_compliant(self) -> bool:
        return self.status == COMPLIANT


def training_status(
    *,
    hired_on: datetime.date,
    left_on: datetime.date | None,
    customer_facing: bool,
    trained_on: Iterable[datetime.date],
    today: datetime.date,
    policy: TrainingPolicy | None = None,
    count_last_12_months: int | None = None,
) -> TrainingStatus:
    """Where one employee stands under the twice-a-year rule on ``today``.

    The rule (figures from the articles, configurable in :class:`TrainingPolicy`):

    - Every active customer-facing employee attends at least one *counted* session
      (``trained_on``: the days of attended sessions of courses that count) in each
      calendar half-year, January–June and July–December — so at least twice a year.
    - A new hire attends a first one within 90 days of the hire date; a half-year
      that ends less than 90 days after the hire date does not count against them.
    - People who have left (``left_on`` on or before ``today``) and people who do
      not meet customers are out of scope (``exempt``).

    Statuses, the first that applies:

    - ``compliant``: a counted session in the current half-year; due again by the
      end of the next one.
    - ``overdue``: not yet trained this half-year and either the previous
      half-year was required and had no counted session, or the new-hire deadline
      passed without any session since the hire date. ``due_on`` is the missed date.
    - ``due_soon``: the due date is at most 30 days away (a new hire too).
    - ``never_trained``: no counted session since the hire date, still in time.
    - ``due``: otherwise; ``due_on`` is the earliest open deadline (the new-hire
      deadline, or the end of the current half-year when it is required).

    Sessions after ``today`` and before the hire date are ignored; several sessions
    in one half-year satisfy it once but each counts in ``count_last_12_months``.
    Callers that aggregate in the database pass the count, and as ``trained_on``
    only the days the rule reads: the last one and the latest of the current and
    of the previous half-year.
    """
    policy = policy or TrainingPolicy.from_settings()
    if (left_on is not None and left_on <= today) or not customer_facing:
        return TrainingStatus(EXEMPT, None, None, 0)
    days = counted_days(trained_on, hired_on=hired_on, today=today)
    last = days[-1] if days else None
    year_ago = one_year_before(today)
    count = (
        count_last_12_months if count_last_12_months is not None else sum(1 for day in days if day > year_ago)
    )

    current = period_of(today, policy)
    if last is not None and last in current:
        return TrainingStatus(COMPLIANT, next_period(current).end, last, count)

    new_hire_deadline = hired_on + datetime.timedelta(days=policy.new_hire_days)
    previous = previous_period(current)
    if period_required(previous, hired_on=hired_on, policy=policy) and not any(
        day in previous for day in days
    ):
        return TrainingStatus(OVERDUE, previous.end, last, count)
    if last is None and new_hire_deadline < today:
        return TrainingStatus(OVERDUE, new_hire_deadline, last, count)

    deadlines = []
    if last is None:
        deadlines.append(new_hire_deadline)
    if period_required(current, hired_on=hired_on, policy=policy):
        deadlines.append(current.end)
    due_on = min(deadlines, default=current.end)
    if (due_on - today).days <= policy.due_soon_days:
        return TrainingStatus(DUE_SOON, due_on, last, count)
    if last is None:
        return TrainingStatus(NEVER_TRAINED, due_on, last, count)
    return TrainingStatus(DUE, due_on, last, count)
