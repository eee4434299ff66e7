"""The pulse survey's records: one row per weekly sample, one per customer asked (with the answer).

A :class:`PulseWave` is one week's draw: the week is its unique key, so the weekly
task run twice (two beats, a retried task) draws once; it keeps the seed of its
random draw and how many customers were skipped, and why. A
:class:`PulseInvitation` is one customer asked: its email is a notification of the
one outbox, and the answer lives on the same row — one answer per link, changed in
place until the link expires.

Imported by ``complaints.models`` so Django registers the models with the app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ToldUs(models.TextChoices):
    """ "Did you tell us?" — the channel is what splits the measured complaint rate."""

    NO = "no", _("No, I did not tell anyone")
    ON_THE_SPOT = "on_the_spot", _("Yes, I told an employee on the spot")
    FORMAL = "formal", _("Yes, I made a formal complaint")
    OTHER = "other", _("Yes, in another way")


TOLD_US = (ToldUs.ON_THE_SPOT, ToldUs.FORMAL, ToldUs.OTHER)


class ProblemAbout(models.TextChoices):
    """What went wrong, in the customer's words: the five root causes of the articles
    (the values are :class:`complaints.models.RootCause`'s)."""

    PEOPLE = "people", _("How I was treated by the staff")
    SYSTEMS = "systems", _("The website, app, phone line or payment")
    PROCESSES = "processes", _("Waiting, rules or paperwork")
    PRODUCTS = "products", _("The product or service itself")
    CUSTOMERS = "customers", _("A misunderstanding: I expected something else")


class PulseWave(models.Model):
    """One week's random sample of customers, and what the draw skipped."""

    week_start = models.DateField(_("week"), unique=True, help_text=_("The Monday of the week."))
    created_at = models.DateTimeField(_("drawn at"))
    # The draw is reproducible: the same customers, settings and seed give the same sample.
    seed = models.BigIntegerField(_("random seed"))
    stratified_by = models.CharField(_("stratified by"), max_length=20, blank=True)
    sample_rate = models.FloatField(_("sample rate"), null=True, blank=True)
    sample_size = models.PositiveIntegerField(_("fixed sample size"), null=True, blank=True)
    # Customers who bought in the window (and have not ended the relationship) …
    population = models.PositiveIntegerField(_("bought in the window"), default=0)
    # … of whom these could not be asked, each counted under the first reason that applies:
    skipped_no_email = models.PositiveIntegerField(_("skipped: no email address"), default=0)
    skipped_opted_out = models.PositiveIntegerField(_("skipped: unsubscribed"), default=0)
    skipped_no_consent = models.PositiveIntegerField(_("skipped: no consent"), default=0)
    skipped_asked_recently = models.PositiveIntegerField(_("skipped: asked recently"), default=0)
    eligible = models.PositiveIntegerField(_("could be asked"), default=0)
    sampled = models.PositiveIntegerField(_("asked"), default=0)
    # {stratum: {"eligible": n, "sampled": k}} (one stratum "" without stratification).
    strata = models.JSONField(_("strata"), default=dict, blank=True)

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("pulse survey week")
        verbose_name_plural = _("pulse survey weeks")

    def __str__(self) -> str:
        return f"pulse {self.week_start}"


class PulseInvitation(models.Model):
    """One customer asked in one week, and their answer (empty until they answer)."""

    wave = models.ForeignKey(
        PulseWave, verbose_name=_("week"), on_delete=models.CASCADE, related_name="invitations"
    )
    # Kept when the customer record goes: the answers still count in the figures.
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pulse_invitations",
    )
    email = models.EmailField(_("sent to"))
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    # The customer's segment when asked: response rates per segment stay as they were drawn.
    segment = models.CharField(_("segment"), max_length=60, blank=True)
    notification = models.OneToOneField(
        "notifications.Notification",
        verbose_name=_("email"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pulse_invitation",
    )
    created_at = models.DateTimeField(_("created at"))
    # The question is about the days since this moment ("in the last 30 days").
    asked_about_since = models.DateTimeField(_("asked about the time since"))
    expires_at = models.DateTimeField(_("link works until"))

    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    changed_at = models.DateTimeField(_("answer last changed at"), null=True, blank=True)
    changes = models.PositiveSmallIntegerField(_("times changed"), default=0)
    satisfaction = models.PositiveSmallIntegerField(_("overall satisfaction (1–5)"), null=True, blank=True)
    problem = models.BooleanField(_("something went wrong"), null=True, blank=True)
    told = models.CharField(_("told us"), max_length=12, choices=ToldUs.choices, blank=True)
    about = models.CharField(_("what it was about"), max_length=12, choices=ProblemAbout.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    recommend = models.PositiveSmallIntegerField(_("likely to recommend (0–10)"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pulse survey invitation")
        verbose_name_plural = _("pulse survey invitations")
        constraints = [
            models.UniqueConstraint(fields=["wave", "customer"], name="pulse_once_per_wave"),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="pulse_satisfaction_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(recommend__isnull=True) | Q(recommend__gte=0, recommend__lte=10),
                name="pulse_recommend_0_to_10",
            ),
            # "Did you tell us?" is asked only when something went wrong.
            models.CheckConstraint(
                condition=Q(told="") | Q(problem=True), name="pulse_told_only_with_problem"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "created_at"], name="pulse_customer_asked"),
            models.Index(fields=["answered_at"], name="pulse_answered"),
            models.Index(fields=["created_at"], name="pulse_created"),
        ]

    def __str__(self) -> str:
        return f"pulse {self.wave_id} → {self.email}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None
