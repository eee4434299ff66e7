"""Text from outside, made safe to show on one line and to put into an email header.

A name with a line break in it (``"Front desk\\r\\nBcc: everyone@example.com"``) ends up
in an email's subject; Django refuses such a header (``BadHeaderError``) and the email
never goes. Single-line values (names, titles, references) therefore lose their control
characters where a form takes them, and an import refuses them.
"""

from __future__ import annotations

import re

# Every C0 control character, DEL and the C1 controls, plus the Unicode line and paragraph
# separators, which some mail clients also break lines on.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text))


def single_line(text: str) -> str:
    """``text`` on one line: each run of control characters (and the spaces around it)
    becomes one space."""
    return re.sub(r"\s*(?:[\x00-\x1f\x7f-\x9f\u2028\u2029]\s*)+", " ", text).strip()
