"""Pages of the people side of service: turnover and tenure, and the HR employee import."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from metrics import turnover_comparison as workforce_selectors
from metrics.turnover_charts import turnover_chart_data_uri
from people import selectors
from people.roles import HR, MANAGER, role_required
from people.turnover import LONG_TENURE_YEARS, configured_adaptation_months


@role_required(HR, MANAGER)
def workforce(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    comparison = workforce_selectors.department_comparison_report(on=today)
    return render(
        request,
        "metrics/turnover/overview.html",
        {
            "company": selectors.workforce_summary(on=today),
            "rows": comparison.rows,
            "comparison": comparison,
            "correlations": workforce_selectors.turnover_correlations(comparison.rows),
            "chart": turnover_chart_data_uri(selectors.workforce_trend(on=today)),
            "adaptation_months": configured_adaptation_months(),
            "long_tenure_years": LONG_TENURE_YEARS,
        },
    )
