"""The weekly report archive: the list, one report, its charts, and "send again"."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.query_params import int_param
from notifications.tasks import deliver_notification
from people.roles import MANAGER, role_required
from reports import rendering, selectors
from reports import services as reports
from reports.forms import ReportResendForm
from reports.models import Report


def _get_report(pk: int) -> Report:
    return get_object_or_404(Report.objects.select_related("department"), pk=pk)


@role_required(MANAGER)
def report_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.report_archive(), 25).get_page(int_param(request, "page", default=1))
    return render(request, "reports/report_list.html", {"page": page})


@role_required(MANAGER)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(pk)
    context = rendering.report_context(
        report, chart_src=lambda name: reverse("reports:report_chart", args=[report.pk, name])
    )
    return render(
        request,
        "reports/report_detail.html",
        {
            **context,
            "deliveries": selectors.report_emails(report),
            "resend_form": ReportResendForm(initial={"recipient": request.user}),
        },
    )


@role_required(MANAGER)
def report_chart(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    chart = rendering.report_chart(_get_report(pk), name)
    if chart is None:
        raise Http404
    response = HttpResponse(chart.png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@role_required(MANAGER)
def report_resend(request: HttpRequest, pk: int) -> HttpResponse:

    report = _get_report(pk)
    form = ReportResendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who should receive the report."))
        return redirect("reports:report_detail", pk=report.pk)
    recipient = form.cleaned_data["recipient"]
    name = recipient.get_full_name() or recipient.username
    with transaction.atomic():
        delivery = reports.report_resend(report=report, recipient=recipient)
        if delivery is not None:
            transaction.on_commit(lambda: deliver_notification.delay(delivery.pk))
    if delivery is None:
        messages.info(
            request,
            _("The report was sent to %(name)s less than a minute ago; it was not sent again.")
            % {"name": name},
        )
    else:
        messages.success(request, _("The report is on its way to %(name)s.") % {"name": name})
    return redirect("reports:report_detail", pk=report.pk)


@require_POST
@role_required(MANAGER)
def report_preview(request: HttpRequest) -> HttpResponse:
    """Last complete week's company report, built now if the Monday task has not built it
    yet (a fresh install), so a manager can read it and send it to themselves."""
    report = reports.report_get_or_build(
        week_start=reports.report_week_for(timezone.localdate()), department=None
    )
    return redirect("reports:report_detail", pk=report.pk)
