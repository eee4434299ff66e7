"""How a search of the standards is shown: the words it looked for, marked in a title, and
the line of a body where they occur. Pure functions of text (the matching itself is the
selectors' full-text search); word forms are matched by a short stem, so «клиенты» marks
«клиентом» as the search found it.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TERM = re.compile(r'(-?)(?:"([^"]*)"|(\S+))')
# More words than this in one search are ignored (each word costs a few index scans).
SEARCH_MAX_TERMS = 10
# A word is marked by its first letters: longer words lose up to two endings' letters.
_MIN_STEM = 4
SNIPPET_CHARS = 160


def search_terms(search: str) -> list[tuple[str, bool]]:
    """(word or "quoted phrase", excluded?) for each term of ``search``; ``-word`` excludes.
    The selectors' search and the marking here read a search the same way."""
    terms = []
    for minus, phrase, word in _TERM.findall(search or ""):
        text = (phrase or word).strip().strip('"')
        if text:
            terms.append((text, bool(minus)))
    return terms[:SEARCH_MAX_TERMS]


def wanted_terms(search: str) -> list[str]:
    """The words and "quoted phrases" a search looks for (not its ``-excluded`` ones)."""
    return [text for text, excluded in search_terms(search) if not excluded and re.search(r"\w", text)]


def _stem(term: str) -> str:
    if " " in term or len(term) <= _MIN_STEM + 1:
        return term
    return term[: max(_MIN_STEM, len(term) - 2)]


def _pattern(search: str) -> re.Pattern | None:
    stems = sorted({_stem(term) for term in wanted_terms(search)}, key=len, reverse=True)
    if not stems:
        return None
    # A stem marks the rest of its word too ("клиент" → "клиентом").
    return re.compile("|".join(re.escape(stem) + r"\w*" for stem in stems), re.IGNORECASE)


def highlight(text: str, search: str) -> SafeString:
    """``text`` escaped, with every occurrence of a searched word in ``<mark>``."""
    text = text or ""
    pattern = _pattern(search)
    if pattern is None:
        return mark_safe(escape(text))  # noqa: S308 - escaped just here
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


def snippet(body: str, search: str, *, width: int = SNIPPET_CHARS) -> SafeString:
    """The first line of ``body`` with a searched word, cut to about ``width`` characters
    around it and marked; empty when the body has none (the match was in the title or a step)."""
    pattern = _pattern(search)
    if pattern is None or not body:
        return mark_safe("")
    for line in body.splitlines():
        plain = re.sub(r"[#*_>`]+", "", line).strip()
        match = pattern.search(plain)
        if match is None:
            continue
        start = max(0, match.start() - width // 3)
        piece = plain[start : start + width]
        prefix = "… " if start > 0 else ""
        suffix = " …" if start + width < len(plain) else ""
        return mark_safe(escape(prefix) + highlight(piece, search) + escape(suffix))  # noqa: S308
    return mark_safe("")
