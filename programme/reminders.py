"""What the programme reminds people of, in the daily digest.

- Action owners: an effectiveness check measured and waiting for their verdict.
- Managers: the quarter's golden-rules review while its window is open and they have not
  filed it; their own targets that are off track.
- Managers and HR: the daily handover check, anything still held by someone who has left
  (a deactivation that parked items, or a leaving date that passed without one).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from common.programme import programme_setting
from notifications.registry import ReminderItem, ReminderKind, reminder_text
from people import handover
from people.models import Employee
from people.roles import HR, MANAGER
from people.selectors import role_user_ids
from programme import rules, selectors
from programme.models import Verdict

KINDS = [
    ReminderKind("effectiveness_verdict_due", _("My actions' effectiveness checks waiting for my verdict")),
    ReminderKind(
        "golden_rules_review_due", _("The quarter's golden-rules review (managers)"), frozenset({MANAGER})
    ),
    ReminderKind(
        "programme_target_off_track", _("My programme targets off track (managers)"), frozenset({MANAGER})
    ),
    ReminderKind(
        "handover_left_behind",
        _("Things still held by people who have left (managers, HR)"),
        frozenset({MANAGER, HR}),
    ),
]


def reminder_items(today: datetime.date) -> Iterator[ReminderItem]:
    yield from _verdicts()
    yield from _golden_rules(today)
    yield from _targets(today)
    yield from _left_behind(today)


def _verdicts() -> Iterator[ReminderItem]:
    for check in selectors.checks_awaiting_all():
        yield ReminderItem(
            check.action.owner_id,
            "effectiveness_verdict_due",
            f"effectiveness:{check.pk}",
            reminder_text(
                gettext_noop(
                    "Did “%(action)s” work? The check of %(date)s found: %(result)s. Record your verdict."
                ),
                action=check.action.description[:80],
                date=check.due_on,
                result=Verdict(check.verdict).label if check.verdict else "—",
            ),
            reverse("programme:check_detail", args=[check.pk]),
        )


def _golden_rules(today: datetime.date) -> Iterator[ReminderItem]:
    grace = int(programme_setting("PROGRAMME_REVIEW_GRACE_DAYS"))
    quarter = rules.quarter_to_review(today, grace_days=grace)
    if quarter is None:
        return
    url = f"{reverse('programme:golden_rules_review')}?quarter={quarter.label}"
    for user_id in selectors.managers_without_review(quarter=quarter):
        yield ReminderItem(
            user_id,
            "golden_rules_review_due",
            f"golden-rules:{quarter.label}",
            reminder_text(
                gettext_noop("Score the four golden rules for %(quarter)s: due by %(date)s"),
                quarter=quarter.label,
                date=rules.review_due_on(quarter, grace_days=grace),
            ),
            url,
        )


def _targets(today: datetime.date) -> Iterator[ReminderItem]:
    url = reverse("programme:overview")
    for item in selectors.target_progress_in_scope(year=today.year, today=today):
        if item.company.status == rules.OFF_TRACK:
            yield ReminderItem(
                item.target.owner_id,
                "programme_target_off_track",
                f"target:{item.target.pk}:off-track",
                reminder_text(
                    gettext_noop("The %(year)s target “%(figure)s” is off track"),
                    year=item.target.year,
                    figure=_(item.figure.label),
                ),
                url,
            )


def _summary(counts: list[tuple[object, int]]) -> str:
    return ", ".join(f"{title}: {count}" for title, count in counts)


_lazy_summary = lazy(_summary, str)


def _left_behind(today: datetime.date) -> Iterator[ReminderItem]:
    """One line per person who left and still holds something, to every manager and HR."""
    found = handover.holdings(handover.holder_inactive(today))
    if not found:
        return
    by_holder: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for holding in found:
        by_holder[holding.holder_id][holding.provider] += 1
    employees = dict(Employee.objects.filter(user_id__in=by_holder).values_list("user_id", "pk"))
    names = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=by_holder)
    }
    recipients = set(role_user_ids(MANAGER)) | set(role_user_ids(HR))
    titles = {provider.key: provider.title for provider in handover.handover_providers()}
    for holder_id, counts in by_holder.items():
        url = (
            reverse("people:employee_handover", args=[employees[holder_id]]) if holder_id in employees else ""
        )
        summary = _lazy_summary([(titles[key], count) for key, count in counts.items()])
        for recipient in recipients - {holder_id}:
            yield ReminderItem(
                recipient,
                "handover_left_behind",
                f"handover:{holder_id}",
                reminder_text(
                    gettext_noop("%(name)s has left but still holds: %(items)s. Hand it over."),
                    name=names.get(holder_id, "—"),
                    items=summary,
                ),
                url,
            )
