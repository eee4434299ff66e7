"""The Content-Security-Policy allows no inline style (style-src 'self'): a ``style="..."`` in a
page template would be blocked in the browser and logged as a violation. Emails are exempt
(mail programs need inline styles; they are not served under the policy)."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_it_keeps_inline_styles_out_of_page_templates():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        if "emails" not in path.relative_to(TEMPLATES).parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\sstyle=[\"']", line)
    ]
    assert offenders == []
