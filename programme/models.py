"""The programme's records: the charter and its brainstorm, yearly targets and the monthly
actuals they are judged on, the golden-rules reviews, the effectiveness checks of
corrective actions, the management review's decisions, and who led the programme when.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programme.figures import DIRECTIONS, FIGURES

FIGURE_CHOICES = [(item.key, item.key) for item in FIGURES]
DIRECTION_CHOICES = [(direction, direction) for direction in DIRECTIONS]

# --- the charter -------------------------------------------------------------------------


class EntryKind(models.TextChoices):
    BENEFIT = "benefit", _("Benefit")
    FEAR = "fear", _("Fear")


class CharterEntry(models.Model):
    """One proposal of the brainstorm, in its author's own words: a benefit of quality
    service for the company, or a fear about it. Managers merge duplicates into one entry
    and choose the entries the published charter holds; a fear there gets its answer and
    the figure that will show whether the fear was right."""

    kind = models.CharField(_("kind"), max_length=8, choices=EntryKind.choices)
    text = models.TextField(_("in your own words"), max_length=600)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_entries",
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)
    in_charter = models.BooleanField(_("in the charter"), default=False)
    answer = models.TextField(_("answer"), blank=True, help_text=_("For a fear: the company's answer to it."))
    answer_figure = models.CharField(
        _("the figure that will show it"), max_length=32, choices=FIGURE_CHOICES, blank=True
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("charter entry")
        verbose_name_plural = _("charter entries")
        indexes = [models.Index(fields=["kind", "merged_into"])]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class CharterSupport(models.Model):
    """One person's support of one entry: at most one, the database guarantees it."""

    entry = models.ForeignKey(
        CharterEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("supported by"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("supported at"), default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["entry", "user"], name="one_support_per_person")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.entry_id}"


class CharterRevision(models.Model):
    """A published charter: what it said, who published it when, and what changed."""

    number = models.PositiveIntegerField(_("revision"), unique=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    # {"benefits": [{"entry", "text", "supporters"}], "fears": [{..., "answer", "figure"}]}
    content = models.JSONField(_("content"), default=dict)
    # [{"change": "added|removed|answer_changed", "kind", "entry", "text"}]
    changes = models.JSONField(_("changes"), default=list)
    note = models.TextField(_("what changed, in the publisher's words"), blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("charter revision")
        verbose_name_plural = _("charter revisions")

    def __str__(self) -> str:
        return f"#{self.number}"


# --- targets ------------------------------------------------------------------------------


class Target(models.Model):
    """What the programme aims for one figure in one year, for the company and, where the
    figure exists per department, optionally per department."""

    year = models.PositiveSmallIntegerField(_("year"))
    figure = models.CharField(_("figure"), max_length=32, choices=FIGURE_CHOICES)
    direction = models.CharField(_("better when"), max_length=8, choices=DIRECTION_CHOICES)
    value = models.FloatField(_("target"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("why this value"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["year", "figure"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["year", "figure"], name="one_target_per_figure_and_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.figure}"


class TargetDepartmentValue(models.Model):
    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="department_values"
    )
    department = models.ForeignKey(
        "people.Department", verbose_name=_("department"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.FloatField(_("target"))

    class Meta:
        ordering = ["department__name"]
        verbose_name = _("department target")
        verbose_name_plural = _("department targets")
        constraints = [
            models.UniqueConstraint(fields=["target", "department"], name="one_value_per_target_department")
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.department_id}"


class MonthlyActual(models.Model):
    """A figure's value in one month, for the company (no department) or one department.

    Recorded every night by :func:`programme.services.monthly_actuals_record` from the
    other apps' stored figures, so the programme page reads rows instead of computing.
    """

    figure = models.CharField(_("figure"), max_length=32, choices=FIGURE_CHOICES)
    month = models.DateField(_("month"), help_text=_("Its first day."))
    department = models.ForeignKey(
        "people.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    value = models.FloatField(_("value"), null=True, blank=True)
    # The current month is recorded "to date" until it is complete.
    complete = models.BooleanField(_("month complete"), default=False)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        ordering = ["figure", "month"]
        verbose_name = _("monthly actual")
        verbose_name_plural = _("monthly actuals")
        indexes = [models.Index(fields=["month", "figure"])]
        constraints = [
            models.UniqueConstraint(
                fields=["figure", "month", "department"], name="one_actual_per_department"
            ),
            # NULLs are distinct in a unique index: the company's value needs its own.
            models.UniqueConstraint(
                fields=["figure", "month"],
                condition=models.Q(department__isnull=True),
                name="one_actual_company_wide",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.figure} {self.month:%Y-%m} {self.department_id or 'all'}"


# --- who leads the programme --------------------------------------------------------------


class ProgrammeLead(models.Model):
    """Who led the programme from when to when: leads come and go, the record stays."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lead"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    is_current = models.BooleanField(_("current"), default=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("programme lead")
        verbose_name_plural = _("programme leads")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_programme_lead"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.started_on}–{self.ended_on or ''}"


# --- the golden rules ---------------------------------------------------------------------


class GoldenRule(models.TextChoices):
    """The articles' four golden rules of service."""

    PRODUCT_QUALITY = "product_quality", _("Product quality")
    CURRENT_STANDARDS = "current_standards", _("Current standards")
    TIMELINESS = "timeliness", _("Timeliness")
    COMPLAINT_SYSTEM = "complaint_system", _("A working complaint system")


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class GoldenRulesReview(models.Model):
    """One manager's quarterly scores (1–5) of the four golden rules for their scope, with
    the evidence the product offered when they scored."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    department = models.ForeignKey(
        "people.Department",
        verbose_name=_("scope"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the whole company."),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    product_quality = models.PositiveSmallIntegerField(_("product quality"), validators=SCORE_VALIDATORS)
    current_standards = models.PositiveSmallIntegerField(_("current standards"), validators=SCORE_VALIDATORS)
    timeliness = models.PositiveSmallIntegerField(_("timeliness"), validators=SCORE_VALIDATORS)
    complaint_system = models.PositiveSmallIntegerField(
        _("a working complaint system"), validators=SCORE_VALIDATORS
    )
    comment = models.TextField(_("comment"), blank=True)
    evidence = models.JSONField(_("evidence"), default=dict)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["-year", "-quarter", "department__name"]
        verbose_name = _("golden-rules review")
        verbose_name_plural = _("golden-rules reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "reviewer", "department"], name="one_review_per_scope"
            ),
            models.UniqueConstraint(
                fields=["year", "quarter", "reviewer"],
                condition=models.Q(department__isnull=True),
                name="one_company_review_per_reviewer",
            ),
            models.CheckConstraint(
                condition=models.Q(product_quality__range=(1, 5))
                & models.Q(current_standards__range=(1, 5))
                & models.Q(timeliness__range=(1, 5))
                & models.Q(complaint_system__range=(1, 5)),
                name="golden_rule_scores_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter} {self.department_id or 'all'} {self.reviewer_id}"

    def score(self, rule: str) -> int:
        return getattr(self, rule)


# --- did the action work? -------------------------------------------------------------------


class CheckStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    MEASURED = "measured", _("Measured, waiting for the owner")
    CONFIRMED = "confirmed", _("Confirmed")


class Verdict(models.TextChoices):
    FEWER = "fewer", _("Fewer complaints")
    NO_CLEAR_CHANGE = "no_clear_change", _("No clear change")
    MORE = "more", _("More complaints")
    NO_DATA = "no_data", _("No complaints before or after")
    NO_BASIS = "no_basis", _("Nothing to compare (no root cause)")


class Outcome(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


class EffectivenessCheck(models.Model):
    """The check of one completed corrective action: complaints of its root causes and
    departments before and after, measured at ``due_on``, then confirmed by its owner."""

    action = models.OneToOneField(
        "complaints.CorrectiveAction",
        verbose_name=_("corrective action"),
        on_delete=models.CASCADE,
        related_name="effectiveness_check",
    )
    completed_on = models.DateField(_("action completed on"))
    due_on = models.DateField(_("check on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CheckStatus.choices, default=CheckStatus.SCHEDULED
    )
    measured_at = models.DateTimeField(_("measured at"), null=True, blank=True)
    before_start = models.DateField(null=True, blank=True)
    before_end = models.DateField(null=True, blank=True)
    after_start = models.DateField(null=True, blank=True)
    after_end = models.DateField(null=True, blank=True)
    root_causes = models.JSONField(_("root causes"), default=list)
    department_ids = models.JSONField(_("departments"), default=list)
    before_count = models.PositiveIntegerField(null=True, blank=True)
    after_count = models.PositiveIntegerField(null=True, blank=True)
    # Complaints of those departments received after the action that have no root cause yet.
    unclassified_after = models.PositiveIntegerField(null=True, blank=True)
    rate_before = models.FloatField(null=True, blank=True)
    rate_after = models.FloatField(null=True, blank=True)
    ratio = models.FloatField(null=True, blank=True)
    ratio_low = models.FloatField(null=True, blank=True)
    ratio_high = models.FloatField(null=True, blank=True)
    verdict = models.CharField(_("result"), max_length=16, choices=Verdict.choices, blank=True)
    outcome = models.CharField(_("owner's verdict"), max_length=16, choices=Outcome.choices, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    follow_up_action = models.ForeignKey(
        "complaints.CorrectiveAction",
        verbose_name=_("new action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("effectiveness check")
        verbose_name_plural = _("effectiveness checks")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.action_id} {self.due_on}"


# --- the management review ------------------------------------------------------------------


class ManagementDecision(models.Model):
    """A decision taken at a quarter's management review; it may become a corrective action."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    text = models.TextField(_("decision"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    action = models.ForeignKey(
        "complaints.CorrectiveAction",
        verbose_name=_("corrective action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("management decision")
        verbose_name_plural = _("management decisions")
        indexes = [models.Index(fields=["year", "quarter"])]

    def __str__(self) -> str:
        return self.text[:80]
