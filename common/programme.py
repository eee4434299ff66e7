"""The programme's figures: every ``SERVICECRAFT`` key, declared once, read one way.

A figure says how the programme behaves (how often staff are trained, how long a
promise is padded, what share of unhappy customers complain…). Each is declared here
with its default, its unit and where the default comes from: the articles the product
is built on (:data:`ARTICLES`, see ``docs/domain.md``) or a choice of ours
(:data:`OUR_CHOICE`). A deployment overrides one with an environment variable of the
same name (read by the settings, see the README) or ``SERVICECRAFT`` in its settings.

Code reads a figure only with :func:`programme_setting`; reading a key that is not
declared is an error, and a test checks that nothing reads ``settings.SERVICECRAFT``
directly.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ARTICLES = "the articles"
OUR_CHOICE = "our choice"


def _optional_int(text: str) -> int | None:
    return int(text) if text.strip() else None


# What the pulse survey can stratify its sample by ("": a simple random sample).
STRATA = ("", "segment")


def _stratum(text: str) -> str:
    value = text.strip().lower()
    if value not in STRATA:
        raise ValueError(f"one of {', '.join(repr(s) for s in STRATA)}")
    return value


def _pair(text: str) -> tuple[float, float]:
    low, high = (float(part) for part in text.split(","))
    return (low, high)


@dataclass(frozen=True)
class Figure:
    key: str
    default: Any
    unit: str
    source: str
    description: str
    # How an environment variable's text becomes the value.
    parse: Callable[[str], Any] = int


FIGURES: tuple[Figure, ...] = (
    # --- email delivery (notifications) ---
    Figure(
        "EMAIL_RENDER_SECONDS",
        60,
        "seconds",
        OUR_CHOICE,
        "Time allowed to build an email (the weekly report draws its charts) before it is sent. A "
        "claimed email is taken over by another run after this plus EMAIL_TIMEOUT (a worker died mid-send).",
    ),
    Figure("EMAIL_RETRIES", 6, "attempts", OUR_CHOICE, "Retries of an email while the mail server fails."),
    Figure(
        "EMAIL_RETRY_BASE_SECONDS",
        60,
        "seconds",
        OUR_CHOICE,
        "First wait before a retry (doubles each time).",
    ),
    Figure("EMAIL_RETRY_MAX_SECONDS", 3 * 3600, "seconds", OUR_CHOICE, "Longest wait between two retries."),
    Figure(
        "REMINDER_PERIOD_DAYS",
        {"default": 7, "training_session_tomorrow": 1, "complaint_due_tomorrow": 1},
        "days per reminder kind (JSON)",
        OUR_CHOICE,
        "A reminder item is repeated at most once per this many days ('default' for kinds not listed).",
        json.loads,
    ),
    # --- plausible data (every date a form or an import accepts; uploads) ---
    Figure(
        "PLAUSIBLE_EARLIEST_DATE",
        datetime.date(1900, 1, 1),
        "date (YYYY-MM-DD)",
        OUR_CHOICE,
        "A date typed or imported before this is a typo (0001-01-01), refused with a message.",
        datetime.date.fromisoformat,
    ),
    Figure(
        "PLAUSIBLE_YEARS_AHEAD",
        1,
        "years",
        OUR_CHOICE,
        "A date more than this many years after today is a typo (9999-12-31); dates of events "
        "(a complaint received, a purchase, a customer first seen) may not be in the future at all.",
    ),
    Figure(
        "IMPORT_FILES_KEEP_DAYS",
        0,
        "days",
        OUR_CHOICE,
        "Uploaded import files (customer names and emails) are deleted this many days after their "
        "import finished; 0: as soon as it finishes.",
    ),
    # --- people and accounts ---
    Figure(
        "ADAPTATION_MONTHS",
        6,
        "months",
        ARTICLES,
        "A newcomer's adaptation period (the articles: 3–6 months; the upper bound keeps everyone "
        "who may still be adapting in the newcomers' figures).",
    ),
    Figure(
        "EMAIL_CHANGE_LINK_MAX_AGE_HOURS",
        72,
        "hours",
        OUR_CHOICE,
        "How long the link that confirms a new email address of an account above Staff works.",
    ),
    Figure(
        "PASSWORD_RESET_PER_ADDRESS_PER_HOUR",
        10,
        "requests",
        OUR_CHOICE,
        "Password-reset requests allowed per client address and hour.",
    ),
    Figure(
        "PASSWORD_RESET_PER_ACCOUNT_PER_HOUR",
        3,
        "requests",
        OUR_CHOICE,
        "Password-reset emails per account and hour; past it the page looks the same and sends nothing.",
    ),
    Figure(
        "SIGNATURE_PASSWORD_PER_ACCOUNT_PER_HOUR",
        10,
        "attempts",
        OUR_CHOICE,
        "Password entries when signing an acknowledgement, per account and hour from any address "
        "(wrong ones also count as failed sign-ins per username and address).",
    ),
    # --- standards ---
    Figure(
        "STANDARDS_ACKNOWLEDGEMENT_DAYS",
        14,
        "days",
        OUR_CHOICE,
        "Days to acknowledge a new major version, from its publication (or a later hire date).",
    ),
    # --- training ---
    Figure(
        "TRAINING_PERIOD_MONTHS",
        6,
        "months",
        ARTICLES,
        "Each calendar period of this many months needs one counted session ('at least twice a "
        "year'); must divide 12.",
    ),
    Figure(
        "TRAINING_NEW_HIRE_DAYS",
        90,
        "days",
        ARTICLES,
        "A new hire's first session is due within this many days of the hire date (adaptation: 3 months).",
    ),
    Figure("TRAINING_DUE_SOON_DAYS", 30, "days", OUR_CHOICE, "'Due soon' when the due date is this close."),
    Figure("TRAINING_PLANNER_DAYS", 60, "days", OUR_CHOICE, "How far ahead the HR planner looks."),
    Figure("TRAINING_TREND_PERIODS", 4, "periods", OUR_CHOICE, "Past periods in the compliance trend."),
    # --- complaints ---
    Figure(
        "COMPLAINT_PROMISE_BUFFER",
        Fraction(5, 3),
        "factor (a number or p/q)",
        ARTICLES,
        "Promise date = expected effort × this ('if the job takes about three days, promise five').",
        Fraction,
    ),
    Figure(
        "INTAKE_PER_ADDRESS_PER_HOUR",
        5,
        "complaints",
        OUR_CHOICE,
        "Complaints the public form takes from one client address in an hour; past it the visitor is "
        "asked to try again later (429).",
    ),
    Figure(
        "INTAKE_MAIL_PER_SENDER_PER_HOUR",
        10,
        "mails",
        OUR_CHOICE,
        "Mails the complaints mailbox takes from one sender address in an hour (new complaints and "
        "replies); the rest are put aside in the quarantine with the reason, not lost.",
    ),
    Figure(
        "INTAKE_PER_HOUR",
        200,
        "complaints",
        OUR_CHOICE,
        "Complaints the public form and the mailbox take in an hour from everyone together, so that a "
        "flood cannot fill the database or the email queue (mail over it is put aside in the quarantine).",
    ),
    Figure(
        "ATTACHMENT_MAX_BYTES",
        10 * 1024 * 1024,
        "bytes",
        OUR_CHOICE,
        "Largest file (a photo or a PDF) attached to a complaint, a note, a reply or a customer's "
        "mail; a bigger one is refused with the reason (a mail's is skipped, the mail is kept).",
    ),
    Figure(
        "ATTACHMENT_MAX_FILES",
        3,
        "files",
        OUR_CHOICE,
        "Files one public form, note, reply or inbound mail may attach; a mail's further files are "
        "skipped and logged.",
    ),
    Figure(
        "SURVEY_LINK_MAX_AGE_DAYS",
        30,
        "days",
        OUR_CHOICE,
        "How long the links of the satisfaction survey after resolution work.",
    ),
    Figure(
        "COMPLAINT_REPLY_REFERENCE_MAX_AGE_DAYS",
        365,
        "days",
        OUR_CHOICE,
        "How long the signed reply address of a complaint's emails threads a customer's answer into it.",
    ),
    Figure(
        "SURVEY_RESEND_AFTER_DAYS",
        None,
        "days (empty: never)",
        OUR_CHOICE,
        "A re-resolution at least this long after the last survey sends a new one; empty: one "
        "survey per complaint.",
        _optional_int,
    ),
    # --- the pulse survey (complaints.survey.pulse) ---
    Figure(
        "PULSE_PURCHASE_WINDOW_DAYS",
        30,
        "days",
        OUR_CHOICE,
        "The weekly pulse survey asks customers who bought in the last this many days, about those days.",
    ),
    Figure(
        "PULSE_SAMPLE_RATE",
        0.1,
        "share per week",
        OUR_CHOICE,
        "Share of the customers who may be asked that the weekly pulse survey asks (rounded up; "
        "ignored when PULSE_SAMPLE_SIZE is set).",
        float,
    ),
    Figure(
        "PULSE_SAMPLE_SIZE",
        None,
        "customers per week (empty: use the rate)",
        OUR_CHOICE,
        "A fixed number of customers to ask each week instead of a share (fewer when fewer may be asked).",
        _optional_int,
    ),
    Figure(
        "PULSE_MIN_DAYS_BETWEEN_ASKS",
        90,
        "days",
        OUR_CHOICE,
        "A customer gets the pulse survey at most once in this many days.",
    ),
    Figure(
        "PULSE_STRATIFY_BY",
        "",
        "'' or 'segment'",
        OUR_CHOICE,
        "Draw the weekly sample per customer segment, in proportion to each segment's size "
        "(empty: one simple random sample).",
        _stratum,
    ),
    Figure(
        "PULSE_LINK_MAX_AGE_DAYS",
        30,
        "days",
        OUR_CHOICE,
        "How long a pulse survey link works; until then the customer may change the answer.",
    ),
    # --- metrics ---
    Figure(
        "METRICS_INACTIVITY_DAYS",
        180,
        "days",
        OUR_CHOICE,
        "A customer who has not bought for this long counts as lost (half a year: usual for retail).",
    ),
    Figure(
        "METRICS_COMPLAINT_RATE_BAND",
        (0.03, 0.07),
        "low,high (shares)",
        ARTICLES,
        "The share of unhappy customers who complain, assumed until measured ('only 3–7 % complain').",
        _pair,
    ),
    Figure(
        "METRICS_MEASURED_R_MIN_ANSWERS",
        30,
        "answers with a problem",
        OUR_CHOICE,
        "From this many pulse answers that report a problem, the silent-leaver estimate uses the "
        "company's measured complaint rate; below it, METRICS_COMPLAINT_RATE_BAND (and says so).",
    ),
    Figure(
        "METRICS_MEASURED_R_WINDOW_DAYS",
        365,
        "days",
        OUR_CHOICE,
        "Pulse answers of the last this many days make the measured complaint rate and the logging gap.",
    ),
    Figure(
        "METRICS_P_ALIVE_THRESHOLD",
        0.5,
        "probability",
        OUR_CHOICE,
        "Below this probability of still being active a customer is a probable silent leaver.",
        float,
    ),
    Figure(
        "METRICS_ANNUAL_DISCOUNT_RATE",
        0.0,
        "rate per year",
        OUR_CHOICE,
        "Discount applied to future revenue in the lifetime value (0: none, as the articles).",
        float,
    ),
    Figure(
        "METRICS_LTV_CALCULATOR",
        {"monthly_revenue": 100, "years": 10, "referred_friends": 5},
        "JSON",
        ARTICLES,
        "The lifetime-value example: $100 a month, 10 years, 5 friends brought (= $72,000).",
        json.loads,
    ),
    # --- the programme (charter, targets, reviews, effectiveness of actions) ---
    Figure(
        "PROGRAMME_EFFECTIVENESS_CHECK_DAYS",
        90,
        "days",
        OUR_CHOICE,
        "A completed corrective action is checked this many days later: complaints of its root cause "
        "and department over that time against the same length of time before the action.",
    ),
    Figure(
        "PROGRAMME_FOLLOW_UP_DAYS",
        30,
        "days",
        OUR_CHOICE,
        "Proposed due date of the new action that replaces one confirmed not effective.",
    ),
    Figure(
        "PROGRAMME_TARGET_STATUS_MONTHS",
        3,
        "months",
        OUR_CHOICE,
        "A monthly figure's target status is judged on the mean of this many last complete months.",
    ),
    Figure(
        "PROGRAMME_TARGET_AT_RISK_MARGIN",
        0.10,
        "share of the target",
        OUR_CHOICE,
        "A figure missing its target by no more than this share of the target is 'at risk'; further "
        "off, 'off track'.",
        float,
    ),
    Figure(
        "PROGRAMME_REVIEW_GRACE_DAYS",
        15,
        "days",
        OUR_CHOICE,
        "The golden-rules review of a quarter opens in its last month and is due this many days after "
        "the quarter ends.",
    ),
)

_DECLARED = {figure.key: figure for figure in FIGURES}


def declared(key: str) -> Figure:
    try:
        return _DECLARED[key]
    except KeyError:
        raise ImproperlyConfigured(f"SERVICECRAFT[{key!r}] is not declared in common.programme") from None


def programme_setting(key: str) -> Any:
    """The value of the declared figure ``key``: the deployment's, else its default."""
    figure = declared(key)
    return getattr(settings, "SERVICECRAFT", {}).get(key, figure.default)


def from_environment(read: Callable[[str], str | None]) -> dict[str, Any]:
    """The figures set in the environment (``read(name)`` gives a variable's text or None),
    parsed; for the settings module."""
    values = {}
    for figure in FIGURES:
        text = read(figure.key)
        if text is not None:
            try:
                values[figure.key] = figure.parse(text)
            except (ValueError, TypeError, ZeroDivisionError) as error:
                raise ImproperlyConfigured(f"{figure.key}={text!r}: {error}") from None
    return values
