"""Pages of the metrics app: the dashboard (from the latest snapshot), uploads, exports, the API."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.charts import svg_image_response
from common.exports import attachment
from common.job_status import JobStatus
from common.query_params import choice_param, int_param
from metrics import analysis, exports, selectors, services
from metrics.forms import DashboardFilterForm, LtvCalculatorForm
from metrics.snapshot import DEFAULT_PERIOD, PERIOD_MONTHS
from people.roles import MANAGER, role_required

LEAVERS_PER_PAGE = 50
POLL_SECONDS = 1


def _filters(request: HttpRequest, snapshot) -> tuple[str, int | None, DashboardFilterForm]:
    departments = snapshot.figures.get("departments", []) if snapshot else []
    form = DashboardFilterForm(request.GET or None, departments=departments)
    if form.is_valid():
        return selectors.valid_period(form.cleaned_data["period"]), form.cleaned_data["department"], form
    return selectors.valid_period(None), None, DashboardFilterForm(departments=departments)


@require_GET
@role_required(MANAGER)
def dashboard(request: HttpRequest) -> HttpResponse:
    snapshot = selectors.latest_snapshot()
    period, department_id, filter_form = _filters(request, snapshot)
    calculator_form = LtvCalculatorForm(request.GET if "calculate" in request.GET else None)
    calculator_value = None
    if calculator_form.is_bound and calculator_form.is_valid():
        calculator_value = analysis.ltv_calculator(**calculator_form.cleaned_data)
    context = {
        "snapshot": snapshot,
        "filter_form": filter_form,
        "calculator_form": calculator_form,
        "calculator_value": calculator_value,
        "recompute": selectors.running_recompute(),
        "recompute_failure": selectors.recompute_failure(),
        "poll_seconds": POLL_SECONDS,
    }
    if snapshot is not None:
        context["tiles"] = selectors.dashboard_figures(snapshot, period=period, department_id=department_id)
        context["charts"] = {
            name: reverse("metrics:chart", args=[snapshot.pk, name])
            for name in selectors.snapshot_chart_names(snapshot)
        }
    return render(request, "metrics/dashboard.html", context)


# A snapshot never changes, so neither does its chart at its URL.
CHART_MAX_AGE_SECONDS = 7 * 24 * 3600


@require_GET
@role_required(MANAGER)
def chart(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One stored chart of snapshot ``pk`` as an SVG image (the dashboard's ``<img>``)."""
    svg = selectors.snapshot_chart_svg(pk, name)
    if svg is None:
        raise Http404(_("There is no such chart."))
    return svg_image_response(svg, max_age_seconds=CHART_MAX_AGE_SECONDS, immutable=True)


@require_POST
@role_required(MANAGER)
def recompute(request: HttpRequest) -> HttpResponse:
    job = services.recompute_job_create(user=request.user)
    if request.headers.get("HX-Request"):
        return _recompute_progress_response(request, job.pk)
    messages.success(request, _("The figures are being recomputed."))
    return redirect("metrics:dashboard")


@require_GET
@role_required(MANAGER)
def recompute_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _recompute_progress_response(request, pk)


def _recompute_progress_response(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.recompute_job(pk)
    if job is None:
        raise Http404
    response = render(
        request, "metrics/snippets/recompute_progress.html", {"job": job, "poll_seconds": POLL_SECONDS}
    )
    if job.status == JobStatus.DONE and request.headers.get("HX-Request"):
        # A finished recompute reloads the dashboard with the new snapshot.
        response["HX-Refresh"] = "true"
    return response


@require_GET
@role_required(MANAGER)
def silent_leavers(request: HttpRequest) -> HttpResponse:
    snapshot = selectors.latest_snapshot()
    page = None
    if snapshot is not None:
        page = Paginator(selectors.silent_leaver_list(snapshot), LEAVERS_PER_PAGE).get_page(
            int_param(request, "page", default=1)
        )
    return render(request, "metrics/silent_leavers.html", {"snapshot": snapshot, "page": page})


@require_GET
@role_required(MANAGER)
def export(request: HttpRequest, what: str, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS or what not in ("figures", "silent-leavers"):
        raise Http404
    snapshot = selectors.latest_snapshot()
    if snapshot is None:
        messages.info(request, _("There are no figures yet: recompute first."))
        return redirect("metrics:dashboard")
    if what == "figures":
        period, department_id, _form = _filters(request, snapshot)
        tiles = selectors.dashboard_figures(snapshot, period=period, department_id=department_id)
        header, rows, title = exports.FIGURE_HEADER, exports.figure_rows(snapshot, tiles), "figures"
    else:
        header, rows, title = exports.LEAVER_HEADER, exports.leaver_rows(snapshot), "silent-leavers"
    body = exports.to_csv(header, rows) if fmt == "csv" else exports.to_xlsx(header, rows, title=title)
    response = HttpResponse(body, content_type=exports.FORMATS[fmt])
    stamp = snapshot.computed_at.strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = attachment(f"metrics-{title}-{stamp}.{fmt}")
    return response


def token_or_role_required(*roles: str) -> Callable:
    """Let in a request carrying a valid ``Authorization: Bearer <token>``; otherwise
    behave exactly like :func:`role_required` (session sign-in and roles)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        by_role = role_required(*roles)(view)

        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            header = request.headers.get("Authorization", "")
            if not header:
                return by_role(request, *args, **kwargs)
            scheme, _sep, key = header.partition(" ")
            if scheme.lower() != "bearer" or services.api_token_authenticate(key=key.strip()) is None:
                response = JsonResponse({"error": "invalid or revoked token"}, status=401)
                response["WWW-Authenticate"] = 'Bearer realm="servicecraft"'
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@require_GET
@token_or_role_required(MANAGER)
def api_summary(request: HttpRequest) -> JsonResponse:
    data = selectors.summary(
        selectors.latest_snapshot(),
        period=choice_param(request, "period", PERIOD_MONTHS, default=DEFAULT_PERIOD),
        department_id=int_param(request, "department"),
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
