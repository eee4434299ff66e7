"""What a person holds in the weekly reports, for the handover when they leave (see
:mod:`people.handover`): the weekly report they receive. A report needs no owner — it
stops for a leaver — but the leaver's successor usually should start receiving it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import services as notifications
from notifications.models import NotificationSettings
from people.handover import HandoverProvider, HolderFilter, Holding
from people.roles import MANAGER
from reports.services import report_department_for


def reports_received(where: HolderFilter) -> list[Holding]:
    users = list(
        get_user_model()
        .objects.filter(where(""), is_active=True, groups__name=MANAGER)
        .exclude(email="")
        .exclude(notification_settings__weekly_report=False)
        .prefetch_related("headed_departments")
        .distinct()
    )
    preferences = notifications.settings_for_users(user.pk for user in users)
    holdings = []
    for user in users:
        headed = sorted(user.headed_departments.all(), key=lambda department: department.name)
        department = report_department_for(user, preferences[user.pk], headed)
        scope = department.name if department else _("the whole company")
        holdings.append(
            Holding(
                "weekly_report",
                user.pk,
                user.pk,
                _("Receives the weekly report of %(scope)s") % {"scope": scope},
                "",
                department.pk if department else None,
            )
        )
    return holdings


def _set_weekly_report(user, receive: bool) -> None:
    preference = notifications.settings_for_users([user.pk])[user.pk]
    notifications.notification_settings_save(
        user=user,
        enabled_kinds=[],
        offered_kinds=[],
        weekly_report=receive,
        report_scope=preference.report_scope or NotificationSettings.ReportScope.AUTO,
    )


def report_reassign(*, object_ids: list[int], successor, actor) -> int:
    """The successor receives the weekly report (their scope as they chose it)."""
    _set_weekly_report(successor, True)
    return len(object_ids)


def report_release(*, object_ids: list[int], actor) -> int:
    """The leaver's report stops."""
    for user in get_user_model().objects.filter(pk__in=object_ids):
        _set_weekly_report(user, False)
    return len(object_ids)


PROVIDERS = [
    HandoverProvider(
        key="weekly_report",
        title=gettext_lazy("Weekly report"),
        list_held=reports_received,
        reassign=report_reassign,
        successor_roles=frozenset({MANAGER}),
        release=report_release,
        order=70,
    )
]
