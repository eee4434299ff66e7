"""Pages of the people side of service: turnover and tenure, and the HR employee import."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from common.query_params import choice_param, int_param, sort_headers
from metrics import turnover_comparison as workforce_selectors
from metrics.turnover_charts import turnover_chart_data_uri
from people.roles import HR, MANAGER, role_required
from people.turnover import LONG_TENURE_YEARS, configured_adaptation_months

# A row per department: a page of them, so that the page does not grow with the company.
DEPARTMENTS_PER_PAGE = 20


@role_required(HR, MANAGER)
def workforce(request: HttpRequest) -> HttpResponse:
    comparison = workforce_selectors.department_comparison_report()
    sort = choice_param(request, "sort", workforce_selectors.SORTS, default=workforce_selectors.DEFAULT_SORT)
    page = Paginator(comparison.sorted_rows(sort), DEPARTMENTS_PER_PAGE).get_page(
        int_param(request, "page", default=1)
    )
    return render(
        request,
        "metrics/turnover/overview.html",
        {
            "company": comparison.company.figures,
            "page": page,
            "rows": page.object_list,
            # The whole company first, then the page of departments.
            "table_rows": [comparison.company, *page.object_list] if page.object_list else [],
            "sort": sort,
            "headers": sort_headers(
                request,
                {key: order.descending for key, order in workforce_selectors.SORTS.items()},
                sort=sort,
                descending=workforce_selectors.SORTS[sort].descending,
                direction_param=None,
            ),
            "comparison": comparison,
            "correlations": comparison.correlations,
            "chart": turnover_chart_data_uri(comparison.trend),
            "adaptation_months": configured_adaptation_months(),
            "long_tenure_years": LONG_TENURE_YEARS,
        },
    )
