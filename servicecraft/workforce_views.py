"""Pages of the people side of service: turnover and tenure, and the HR employee import."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors, services, workforce_selectors
from .employee_import import EMPLOYEE_COLUMNS
from .forms import EmployeeImportForm
from .roles import HR, MANAGER, role_required
from .workforce import LONG_TENURE_YEARS, configured_adaptation_months
from .workforce_charts import turnover_chart_data_uri


@role_required(HR, MANAGER)
def workforce(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    comparison = workforce_selectors.department_comparison_report(on=today)
    return render(
        request,
        "servicecraft/workforce/overview.html",
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


@role_required(HR, MANAGER)
def employee_import(request: HttpRequest) -> HttpResponse:
    """Upload HR's employee CSV: imported completely, or not at all with every problem listed."""
    form = EmployeeImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="") as handle:
            result = services.employees_import(handle=handle, actor=request.user)
        if result.ok and result.rows:
            messages.success(
                request,
                " ".join(
                    [
                        _("%(rows)s people imported: %(created)s new, %(updated)s updated.")
                        % {"rows": result.rows, "created": result.created, "updated": result.updated},
                        *result.notes,
                    ]
                ),
            )
            return redirect("servicecraft:employee_list")
    return render(
        request,
        "servicecraft/workforce/employee_import.html",
        {"form": form, "result": result, "columns": ",".join(EMPLOYEE_COLUMNS)},
    )
