from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from standards import search
from standards.markdown import render_markdown
from standards.selectors import MyStatus

register = template.Library()


@register.filter
def standard_markdown(text: str) -> SafeString:
    """Render a standard's Markdown body, sanitised."""
    return render_markdown(text)


@register.filter
def search_highlight(text: str, query: str) -> SafeString:
    """``text`` with the words of the search ``query`` marked (escaped)."""
    return search.highlight(text, query)


@register.filter
def search_snippet(body: str, query: str) -> SafeString:
    """The line of a standard's body where the search ``query`` matched, marked."""
    return search.snippet(body, query)


# A person's status for one standard: the badge's colour and words.
_MY_STATUS_BADGES = {
    MyStatus.ACKNOWLEDGED: ("text-bg-success", _("Acknowledged")),
    MyStatus.OVERDUE: ("text-bg-danger", _("Overdue")),
    MyStatus.REACKNOWLEDGE: ("text-bg-warning", _("Re-acknowledgement needed")),
    MyStatus.TO_READ: ("text-bg-primary", _("To read")),
}


@register.filter
def my_status_badge(status: str) -> SafeString:
    """The badge of a person's status for a standard (``selectors.MyStatus``): built here, not
    included from a snippet, because "My standards" shows one per row."""
    colour, words = _MY_STATUS_BADGES.get(status, _MY_STATUS_BADGES[MyStatus.TO_READ])
    return format_html('<span class="badge {}">{}</span>', colour, words)
