"""The navbar's count of complaints given to the reader and not opened yet (one query)."""

from __future__ import annotations

from django import template

from complaints.conversation.selectors import unopened_complaint_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unopened_complaints(context) -> int:
    request = context.get("request")
    return unopened_complaint_count(getattr(request, "user", None))
