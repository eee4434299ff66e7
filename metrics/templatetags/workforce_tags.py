"""``{% workforce_dashboard department_key %}``: turnover and tenure tiles and chart for the dashboard.

The dashboard (metrics) shows the people figures next to the service figures; the
figures come from one query on the employee records (servicecraft.selectors).
"""

from __future__ import annotations

from django import template
from django.utils import timezone

from metrics.turnover_charts import turnover_chart_data_uri
from people.selectors import workforce_summary, workforce_trend

register = template.Library()


def department_id_from_key(key) -> int | None:
    """The dashboard's department key: "all" (or empty) for the company, else a department id."""
    return int(key) if str(key or "").isdigit() else None


@register.inclusion_tag("metrics/turnover/snippets/dashboard_section.html")
def workforce_dashboard(department_key="all") -> dict:
    today = timezone.localdate()
    department_id = department_id_from_key(department_key)
    return {
        "figures": workforce_summary(on=today, department_id=department_id),
        "chart": turnover_chart_data_uri(workforce_trend(on=today, department_id=department_id)),
    }
