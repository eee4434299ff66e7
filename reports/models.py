"""The weekly report as stored: frozen when first built, read by every recipient's copy
and by the archive page."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """One weekly report (company-wide, or for one department), frozen when first built.

    ``figures`` holds numbers and English message ids only; each recipient's copy is
    rendered from it in their own language, and the archive page shows the same.
    """

    week_start = models.DateField(_("week starting"))
    department = models.ForeignKey(
        "people.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    figures = models.JSONField(_("figures"), default=dict)
    built_at = models.DateTimeField(_("built at"), default=timezone.now)

    class Meta:
        ordering = ["-week_start", "department__name"]
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")
        constraints = [
            models.UniqueConstraint(fields=["week_start", "department"], name="report_once_per_department"),
            # NULLs are distinct in a unique index: the company-wide report needs its own.
            models.UniqueConstraint(
                fields=["week_start"],
                condition=models.Q(department__isnull=True),
                name="report_once_company_wide",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.iso_week} · {self.department or _('whole company')}"

    @property
    def iso_week(self) -> str:
        year, week, _weekday = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def week_end(self) -> datetime.date:
        return self.week_start + datetime.timedelta(days=6)


class ReportDelivery(models.Model):
    """The email that carried a report to one person (its first sending or a re-send).

    The link lives here, not on the notification, so that notifications know nothing
    of the apps whose emails they carry.
    """

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="deliveries"
    )
    notification = models.OneToOneField(
        "notifications.Notification",
        verbose_name=_("email"),
        on_delete=models.CASCADE,
        related_name="report_delivery",
    )

    class Meta:
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")

    def __str__(self) -> str:
        return f"{self.report} → {self.notification.recipient_id}"
