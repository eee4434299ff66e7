"""The satisfaction survey's records: one row per survey email, and the company's switches.

A complaint handled is only a win if the customer says so. After resolution the
customer gets one short email with two one-click answers; the row below records the
survey and the answer, and links the email that carried it (a notification of the
one outbox, claimed before sending, so it goes out once). Its unique key (complaint,
round) is what makes the survey "once per resolution": a second resolve, a
re-delivered task or a retry finds the row.

Imported by ``complaints.models`` so Django registers the models with the app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SurveyAnswer(models.TextChoices):
    SATISFIED = "yes", _("Satisfied")
    NOT_SATISFIED = "no", _("Not satisfied")


class SatisfactionSurvey(models.Model):
    """A survey sent to the customer of one resolved complaint, and their answer."""

    complaint = models.ForeignKey(
        "complaints.Complaint", verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="surveys"
    )
    # 1 for the first resolution; a later one only when SURVEY_RESEND_AFTER_DAYS allows it.
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    email = models.EmailField(_("sent to"))
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    # The email that carried it: its delivery state (sent, failed…) is the email's.
    notification = models.OneToOneField(
        "notifications.Notification",
        verbose_name=_("email"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="satisfaction_survey",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    answer = models.CharField(_("answer"), max_length=3, choices=SurveyAnswer.choices, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    commented_at = models.DateTimeField(_("commented at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "round"], name="survey_once_per_round"),
        ]
        indexes = [
            models.Index(fields=["created_at"], name="survey_created"),
            models.Index(fields=["answer", "answered_at"], name="survey_answered"),
        ]

    def __str__(self) -> str:
        return f"survey {self.round} of complaint #{self.complaint_id}"


class SurveySettings(models.Model):
    """The company's switches: the survey on or off, and the channels it is off for; the
    weekly pulse survey on or off.

    One row (pk 1), created with the defaults when first read.
    """

    enabled = models.BooleanField(_("send the satisfaction survey"), default=True)
    # Off until a manager switches it on: it emails customers who never complained.
    pulse_enabled = models.BooleanField(_("send the weekly pulse survey"), default=False)
    disabled_channels = models.JSONField(
        _("channels without a survey"), default=list, blank=True, help_text=_("Codes of channels.")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")

    def __str__(self) -> str:
        return str(_("Survey settings"))

    def sends_for(self, channel: str) -> bool:
        return self.enabled and channel not in self.disabled_channels
