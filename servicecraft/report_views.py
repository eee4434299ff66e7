"""Pages of notifications: email preferences, the report archive and re-sending a report."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import reports
from .lib import notifications
from .models import Notification, Report
from .report_forms import NotificationPreferencesForm, ReportResendForm
from .roles import MANAGER, has_role, role_required
from .selectors import employee_for_user


@role_required()
def notification_preferences(request: HttpRequest) -> HttpResponse:
    preference = notifications.settings_for_users([request.user.pk])[request.user.pk]
    is_manager = has_role(request.user, MANAGER)
    kinds = notifications.reminder_kinds_for(request.user)
    form = NotificationPreferencesForm(
        request.POST or None, preference=preference, is_manager=is_manager, kinds=kinds
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        notifications.notification_settings_save(
            user=request.user,
            enabled_kinds=data["enabled_kinds"],
            offered_kinds=[kind.code for kind in kinds],
            weekly_report=data.get("weekly_report", preference.weekly_report),
            report_scope=data.get("report_scope") or preference.report_scope,
        )
        messages.success(request, _("Your email preferences were saved."))
        return redirect("servicecraft:notification_preferences")
    employee = employee_for_user(request.user)
    return render(
        request,
        "servicecraft/notification_preferences.html",
        {"form": form, "language": employee.get_language_display() if employee else None},
    )


def _get_report(pk: int) -> Report:
    return get_object_or_404(Report.objects.select_related("department"), pk=pk)


@role_required(MANAGER)
def report_list(request: HttpRequest) -> HttpResponse:
    sent, failed = Notification.Status.SENT, Notification.Status.FAILED
    archive = (
        Report.objects.select_related("department")
        .annotate(
            sent_count=Count("deliveries", filter=Q(deliveries__status=sent)),
            failed_count=Count("deliveries", filter=Q(deliveries__status=failed)),
        )
        .order_by("-week_start", "department__name")
    )
    page = Paginator(archive, 25).get_page(request.GET.get("page"))
    return render(request, "servicecraft/report_list.html", {"page": page})


@role_required(MANAGER)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(pk)
    context = reports.report_context(
        report, chart_src=lambda name: reverse("servicecraft:report_chart", args=[report.pk, name])
    )
    deliveries = report.deliveries.select_related("recipient").order_by("-created_at")
    return render(
        request,
        "servicecraft/report_detail.html",
        {
            **context,
            "deliveries": deliveries,
            "resend_form": ReportResendForm(initial={"recipient": request.user}),
        },
    )


@role_required(MANAGER)
def report_chart(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    chart = reports.report_chart(_get_report(pk), name)
    if chart is None:
        raise Http404
    response = HttpResponse(chart.png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@role_required(MANAGER)
def report_resend(request: HttpRequest, pk: int) -> HttpResponse:
    from .tasks import deliver_notification

    report = _get_report(pk)
    form = ReportResendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who should receive the report."))
        return redirect("servicecraft:report_detail", pk=report.pk)
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
    return redirect("servicecraft:report_detail", pk=report.pk)
