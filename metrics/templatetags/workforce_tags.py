"""``{% workforce_dashboard tiles %}``: turnover and tenure tiles and chart for the dashboard.

The dashboard (metrics) shows the people figures next to the service figures; they are
stored with the snapshot (``metrics.selectors.dashboard_workforce``).
"""

from __future__ import annotations

from django import template

from metrics.selectors import DashboardFigures, dashboard_workforce
from metrics.turnover_charts import turnover_chart_data_uri

register = template.Library()


@register.inclusion_tag("metrics/turnover/snippets/dashboard_section.html")
def workforce_dashboard(tiles: DashboardFigures) -> dict:
    figures, trend = dashboard_workforce(tiles)
    return {"figures": figures, "chart": turnover_chart_data_uri(trend)}
