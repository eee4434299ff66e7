from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from standards import search
from standards.markdown import render_markdown

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
