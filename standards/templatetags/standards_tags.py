from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from standards.markdown import render_markdown

register = template.Library()


@register.filter
def standard_markdown(text: str) -> SafeString:
    """Render a standard's Markdown body, sanitised."""
    return render_markdown(text)
