"""The turnover chart (trailing 12 months at each month end), as a PNG data URI for pages."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from common.charts import cached_data_uri, weekly_line
from people.turnover import TurnoverPoint


def turnover_chart_data_uri(points: list[TurnoverPoint]) -> str:
    labels = [formats.date_format(point.month_end, "M y") for point in points]
    values = [round(point.turnover_rate or 0, 6) for point in points]
    return cached_data_uri(
        "turnover",
        [labels, values],
        lambda: weekly_line(
            title=_("Staff turnover, trailing 12 months"), labels=labels, values=values, percent=True
        ),
        fmt="png",
    )
