"""Template tags of the emails: a stylesheet shared with the site, inlined."""

from __future__ import annotations

from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@cache
def _stylesheet(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise template.TemplateSyntaxError(f"no static file {path!r}")
    with open(found, encoding="utf-8") as stylesheet:
        return stylesheet.read()


@register.simple_tag
def inline_stylesheet(path: str) -> SafeString:
    """The text of a stylesheet under static/, for a ``<style>`` element: mail clients
    fetch no linked stylesheets, and one file keeps the archive page and the email alike."""
    return mark_safe(_stylesheet(path))
