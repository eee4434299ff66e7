"""Pages of the people side of service: turnover and tenure, and the HR employee import."""

from __future__ import annotations

import base64

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import selectors, workforce_selectors
from .lib.charts import weekly_line_png
from .roles import HR, MANAGER, role_required
from .workforce import LONG_TENURE_YEARS, configured_adaptation_months


def _turnover_chart(points) -> str:
    """The trailing-12-month turnover at each month end, as a PNG data URI."""
    png = weekly_line_png(
        title=_("Staff turnover, trailing 12 months"),
        labels=[formats.date_format(point.month_end, "M y") for point in points],
        values=[point.turnover_rate or 0 for point in points],
        percent=True,
    )
    return "data:image/png;base64," + base64.b64encode(png).decode()


@role_required(HR, MANAGER)
def workforce(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = workforce_selectors.department_comparison(on=today)
    return render(
        request,
        "servicecraft/workforce/overview.html",
        {
            "company": selectors.workforce_summary(on=today),
            "rows": rows,
            "correlations": workforce_selectors.turnover_correlations(rows),
            "chart": _turnover_chart(selectors.workforce_trend(on=today)),
            "adaptation_months": configured_adaptation_months(),
            "long_tenure_years": LONG_TENURE_YEARS,
        },
    )
