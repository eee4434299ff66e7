"""Template helpers of the training app, for what lists render once per row."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from training import rules
from training.rules import TrainingStatus

register = template.Library()


@register.filter
def training_status_badge(status: TrainingStatus) -> SafeString:
    """The badge of a status under the rule, with its deadline when one is ahead or missed.

    Built in Python rather than included from a snippet: the planner and the compliance
    list render one per row, and a template include costs ten times as much."""
    text = status.label
    if status.due_on and status.status not in (rules.COMPLIANT, rules.EXEMPT):
        word = _("since") if status.status == rules.OVERDUE else pgettext("deadline", "by")
        text = f"{text} · {word} {date_filter(status.due_on, 'SHORT_DATE_FORMAT')}"
    return format_html(
        '<span class="badge training-status training-status-{0}" data-testid="training-status" '
        'data-status="{0}">{1}</span>',
        status.status,
        text,
    )
