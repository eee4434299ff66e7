"""Template filters for the shared number formats (:mod:`common.formatting`), for apps that
have no formatting filters of their own."""

from __future__ import annotations

from django import template

from common import formatting

register = template.Library()


@register.filter
def share_percent(share, decimals: int = 0) -> str:
    """A share (0..1) as a whole percentage in the active language ("67 %"), "—" without one."""
    if share is None or share == "":
        return "—"
    return formatting.percent(share, int(decimals))
