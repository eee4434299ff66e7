"""Rows made in Python against the per-row template loop they replaced.

A page whose rows are now worked out in Python (``complaints.list_rows``, the customer page's
complaints, the thread) must print what its template printed when it did the work row by
row. Its test keeps the old loop in a file next to it, cuts the loop out of the template as it
is now, renders both, and compares them as a reader sees them: whitespace aside, the same HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def template_loop(template: str, opening: str) -> str:
    """The loop of ``template`` (a name under templates/) that starts with the tag ``opening``,
    up to its ``{% endfor %}``, without its ``{% empty %}`` branch (a loop with no loop inside)."""
    text = (TEMPLATES / template).read_text()
    start = text.index(opening)
    ends = [end for end in (text.find("{% empty %}", start), text.find("{% endfor %}", start)) if end != -1]
    return text[start : min(ends)] + "{% endfor %}"


def rendered(loop: str, context: dict) -> str:
    """``loop`` (a template's text, i18n loaded for it) rendered with ``context``, whitespace
    normalised: runs of it made one space, and none left between tags."""
    html = Template("{% load i18n %}" + loop).render(Context(context))
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()
