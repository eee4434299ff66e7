"""What metrics reminds managers of, for the daily digest: a recompute that failed.

The nightly recompute runs unattended; when it fails, the dashboard keeps the last good
figures, which silently grow old. Every manager gets one digest line per failed
recompute (the key names the job), until a later recompute succeeds.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from metrics import selectors
from notifications.registry import ReminderItem, ReminderKind, reminder_text
from people.roles import MANAGER
from people.selectors import role_user_ids

KINDS = [
    ReminderKind("metrics_recompute_failed", _("A failed recompute of the metrics"), frozenset({MANAGER}))
]


def reminder_items(today: datetime.date) -> Iterator[ReminderItem]:
    failure = selectors.recompute_failure()
    if failure is None:
        return
    snapshot = selectors.latest_snapshot()
    if snapshot is None:
        text = reminder_text(
            gettext_noop(
                "The metrics recompute failed at %(when)s, while %(reason)s; there are no figures yet."
            ),
            when=failure.finished_at,
            reason=failure.step_label,
        )
    else:
        text = reminder_text(
            gettext_noop(
                "The metrics recompute failed at %(when)s, while %(reason)s; the dashboard shows the figures "
                "computed at %(computed)s."
            ),
            when=failure.finished_at,
            reason=failure.step_label,
            computed=snapshot.computed_at,
        )
    url = reverse("metrics:dashboard")
    for user_id in role_user_ids(MANAGER):
        yield ReminderItem(user_id, "metrics_recompute_failed", f"recompute:{failure.pk}:failed", text, url)
