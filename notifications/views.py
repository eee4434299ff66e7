"""Pages of notifications: email preferences, the report archive and re-sending a report."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from notifications import services as notifications
from notifications.forms import NotificationPreferencesForm
from people.roles import MANAGER, has_role, role_required
from people.selectors import employee_for_user


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
        return redirect("notifications:preferences")
    employee = employee_for_user(request.user)
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "language": employee.get_language_display() if employee else None},
    )
