"""The turnover chart (trailing 12 months at each month end), as a PNG data URI for pages.

Drawn from plain numbers by :mod:`servicecraft.lib.charts`; cached by the numbers it
draws, so a page view redraws only when a figure changed.
"""

from __future__ import annotations

import base64
import hashlib
import json

from django.core.cache import cache
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .lib.charts import weekly_line_png
from .workforce import TurnoverPoint

CACHE_SECONDS = 3600


def turnover_chart_data_uri(points: list[TurnoverPoint]) -> str:
    labels = [formats.date_format(point.month_end, "M y") for point in points]
    values = [round(point.turnover_rate or 0, 6) for point in points]
    key = (
        "workforce-turnover:"
        + hashlib.sha256(json.dumps([get_language(), labels, values]).encode()).hexdigest()
    )
    cached = cache.get(key)
    if cached is None:
        png = weekly_line_png(
            title=_("Staff turnover, trailing 12 months"), labels=labels, values=values, percent=True
        )
        cached = "data:image/png;base64," + base64.b64encode(png).decode()
        cache.set(key, cached, CACHE_SECONDS)
    return cached
