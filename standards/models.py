"""The living service-standards library.

A :class:`Standard` is the stable identity (code, title, audience, owner, review
interval); its content lives in :class:`StandardVersion` rows. A version is a
draft until it is published; from then on it is immutable (see
``standards.services``) and kept forever. Staff sign an :class:`Acknowledgement`
of a version, after passing its knowledge check when it has one; managers record
:class:`ComplianceCheck` observations of how the steps are applied.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Department, Employee, Position


class Category(models.TextChoices):
    GREETING = "greeting", _("Greeting")
    PHONE = "phone", _("Phone")
    COMPLAINT_ACCEPTANCE = "complaint_acceptance", _("Complaint acceptance")
    PROMISES = "promises", _("Promises and deadlines")
    ADDRESSING = "addressing", _("Addressing the customer")
    FAREWELL = "farewell", _("Farewell")
    AFTER_SALES = "after_sales", _("After-sales")
    OTHER = "other", _("Other")


class StandardStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Standard(models.Model):
    """A service standard: who it applies to, who owns it and when it is reviewed."""

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("For example SRV-004."))
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(
        _("category"), max_length=32, choices=Category.choices, default=Category.OTHER, db_index=True
    )
    applies_to_all_customer_facing = models.BooleanField(
        _("all customer-facing staff"),
        default=False,
        help_text=_("Applies to every customer-facing employee, whatever the department or position."),
    )
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments"), blank=True, related_name="standards"
    )
    positions = models.ManyToManyField(
        Position, verbose_name=_("positions"), blank=True, related_name="standards"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_standards",
    )
    review_delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("review delegate"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegated_standard_reviews",
        help_text=_("A manager the owner lets record reviews of this standard."),
    )
    review_interval_months = models.PositiveSmallIntegerField(_("review interval (months)"), default=12)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=StandardStatus.choices,
        default=StandardStatus.DRAFT,
        db_index=True,
    )
    current_version = models.OneToOneField(
        "StandardVersion",
        verbose_name=_("current version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="current_of",
    )
    last_reviewed_at = models.DateTimeField(
        _("last published or reviewed"), null=True, blank=True, help_text=_("The start of the review clock.")
    )
    # Kept in step with last_reviewed_at by the services, so that "stale" is one indexed filter.
    next_review_due = models.DateField(_("next review due"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class VersionKind(models.TextChoices):
    MAJOR = "major", _("Major: everyone affected re-acknowledges")
    MINOR = "minor", _("Minor: wording only, acknowledgements carry over")


class StandardVersion(models.Model):
    """The content of a standard at one point in time; immutable once published."""

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="versions"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    kind = models.CharField(_("kind"), max_length=8, choices=VersionKind.choices, default=VersionKind.MAJOR)
    # "2.1": the major number counts re-acknowledgements; both are set on publication.
    major_number = models.PositiveIntegerField(_("major number"), null=True, blank=True)
    minor_number = models.PositiveIntegerField(_("minor number"), null=True, blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    change_summary = models.TextField(_("change summary"), blank=True)
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("knowledge check pass mark (%)"), default=80, help_text=_("Used only when there are questions.")
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    # The day the major version this one belongs to was published: the start of the
    # acknowledgement deadline (a minor version does not restart it).
    major_published_on = models.DateField(_("major version published on"), null=True, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    checklist = models.JSONField(_("publication checklist"), default=dict, blank=True)

    class Meta:
        ordering = ["standard", "-published_at", "-id"]
        verbose_name = _("standard version")
        verbose_name_plural = _("standard versions")
        constraints = [
            models.UniqueConstraint(
                fields=["standard"], condition=Q(status="draft"), name="standard_one_open_draft"
            ),
            models.UniqueConstraint(
                fields=["standard", "major_number", "minor_number"], name="standard_version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(major_number__isnull=False, published_at__isnull=False),
                name="standard_version_published_is_numbered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard.code} {self.label}"

    @property
    def label(self) -> str:
        if self.major_number is None:
            return str(_("draft"))
        return f"{self.major_number}.{self.minor_number}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    @property
    def has_knowledge_check(self) -> bool:
        return self.questions.exists()


class StandardStep(models.Model):
    """One step of the step-by-step instruction, in order."""

    version = models.ForeignKey(
        StandardVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("step"))
    customer_benefit = models.TextField(_("why it helps the customer"), blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="standard_step_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:60]}"


class StepFlag(models.Model):
    """A step flagged as an anti-standard candidate: it protects the company, not the customer."""

    step = models.ForeignKey(
        StandardStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="flags"
    )
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("flagged by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("why it may be an anti-standard"))
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("anti-standard flag")
        verbose_name_plural = _("anti-standard flags")
        indexes = [models.Index(fields=["resolved_at"])]

    def __str__(self) -> str:
        return f"{self.step}: {self.note[:60]}"


class Question(models.Model):
    """A multiple-choice question of a version's knowledge check."""

    version = models.ForeignKey(
        StandardVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("question"))

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("answer"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["question", "order"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.text


class KnowledgeCheckAttempt(models.Model):
    """One go at a version's knowledge check; every attempt is kept."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="knowledge_check_attempts",
    )
    version = models.ForeignKey(
        StandardVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="attempts"
    )
    answers = models.JSONField(_("answers"), default=dict)
    score_percent = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    created_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("knowledge check attempt")
        verbose_name_plural = _("knowledge check attempts")
        indexes = [models.Index(fields=["employee", "version", "passed"])]

    def __str__(self) -> str:
        return f"{self.employee} · {self.version} · {self.score_percent} %"


class Acknowledgement(models.Model):
    """An employee's signed statement that they read and understood one version."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="standard_acknowledgements",
    )
    version = models.ForeignKey(
        StandardVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="acknowledgements"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    printed_name = models.CharField(_("printed name"), max_length=200)
    content_hash = models.CharField(_("content hash"), max_length=64)
    meaning = models.TextField(_("meaning of the signature"))
    signed_at = models.DateTimeField(_("signed at (UTC)"))
    attempt = models.ForeignKey(
        KnowledgeCheckAttempt,
        verbose_name=_("knowledge check attempt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-signed_at"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["employee", "version"], name="acknowledgement_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.printed_name} · {self.version}"


class StandardReview(models.Model):
    """A recorded review: "reviewed, still current" resets the review clock without a new version."""

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="reviews"
    )
    version = models.ForeignKey(
        StandardVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"))
    checklist = models.JSONField(_("checklist"), default=dict)
    reviewed_at = models.DateTimeField(_("reviewed at"))

    class Meta:
        ordering = ["-reviewed_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.standard.code} · {self.reviewed_at:%Y-%m-%d}"


class ComplianceCheck(models.Model):
    """A manager's observation of one employee applying a standard's current steps."""

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="compliance_checks"
    )
    version = models.ForeignKey(
        StandardVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="compliance_checks"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="compliance_checks"
    )
    # Copied at observation time so per-department figures stay true after a transfer.
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="compliance_checks",
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("observer"), on_delete=models.PROTECT, related_name="+"
    )
    observed_on = models.DateField(_("observed on"), db_index=True)
    note = models.TextField(_("note"), blank=True)
    steps_done = models.PositiveSmallIntegerField(_("steps done"), default=0)
    steps_applicable = models.PositiveSmallIntegerField(_("steps applicable"), default=0)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-observed_on", "-id"]
        verbose_name = _("compliance check")
        verbose_name_plural = _("compliance checks")

    def __str__(self) -> str:
        return f"{self.standard.code} · {self.employee} · {self.observed_on}"

    @property
    def compliance_percent(self) -> int | None:
        if not self.steps_applicable:
            return None
        return round(100 * self.steps_done / self.steps_applicable)


class StepResult(models.TextChoices):
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not done")
    NOT_APPLICABLE = "na", _("Not applicable")


class ComplianceStepResult(models.Model):
    check_record = models.ForeignKey(
        ComplianceCheck, verbose_name=_("compliance check"), on_delete=models.CASCADE, related_name="results"
    )
    step = models.ForeignKey(StandardStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=8, choices=StepResult.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["check_record", "step__order"]
        verbose_name = _("step result")
        verbose_name_plural = _("step results")

    def __str__(self) -> str:
        return f"{self.step_id}: {self.result}"


class AuditAction(models.TextChoices):
    CREATED = "created", _("Standard created")
    UPDATED = "updated", _("Standard details changed")
    DRAFT_STARTED = "draft_started", _("Draft started")
    DRAFT_EDITED = "draft_edited", _("Draft edited")
    PUBLISHED = "published", _("Version published")
    REVIEWED = "reviewed", _("Reviewed, still current")
    RETIRED = "retired", _("Standard retired")
    REINSTATED = "reinstated", _("Standard reinstated")
    STEP_FLAGGED = "step_flagged", _("Step flagged as anti-standard candidate")
    FLAG_RESOLVED = "flag_resolved", _("Anti-standard flag resolved")


class AuditEvent(models.Model):
    """Who changed what in a standard and when; written by the services, never edited."""

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="audit_events"
    )
    version = models.ForeignKey(
        StandardVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class AcknowledgementStanding(models.Model):
    """Acknowledgement coverage of one published standard's current version within one
    department × position group, stored so that the coverage page, the manager's home
    panel and the metrics count with SQL aggregates (a sum over a few hundred rows)
    instead of matching every group of people against every standard on each request.

    ``audience`` is how many active employees of the group the standard applies to
    (``standards.rules.audience_matches``), ``acknowledged`` how many of them signed
    its current major version. ``group_size`` is the number of active employees in the
    group, whoever the standard applies to: a refresh compares it with the people to
    find the groups someone moved out of. Only groups with an audience have a row;
    retired and unpublished standards have none.

    Written only by ``standards.services.acknowledgement_standings_refresh``, called by
    the services that change the facts (a version published, an audience changed, an
    acknowledgement recorded, a standard retired or reinstated, people hired, moved or
    leaving) and nightly for leaving dates that arrive.
    """

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        StandardVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    group_size = models.PositiveIntegerField(_("active employees in the group"))
    audience = models.PositiveIntegerField(_("employees it applies to"))
    acknowledged = models.PositiveIntegerField(_("acknowledged"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("acknowledgement standing")
        verbose_name_plural = _("acknowledgement standings")
        indexes = [
            models.Index(fields=["standard", "department", "position"]),
            models.Index(fields=["department", "position"]),
        ]

    def __str__(self) -> str:
        group = f"{self.department_id} × {self.position_id}"
        return f"{self.standard_id} · {group}: {self.acknowledged}/{self.audience}"


class AcknowledgementDepartmentTotal(models.Model):
    """The sums of one department's :class:`AcknowledgementStanding` rows (every standard,
    every position; ``department`` empty for the people without one), so that the
    company-wide and per-department coverage read one row per department instead of
    summing a row per standard × department × position (13,200 at 5,000 employees and
    300 standards) on each request.

    Written only by ``standards.services.acknowledgement_standings_refresh``, in the same
    transaction as the standings it sums.
    """

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    audience = models.PositiveIntegerField(_("acknowledgements owed"))
    acknowledged = models.PositiveIntegerField(_("acknowledged"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("acknowledgement total of a department")
        verbose_name_plural = _("acknowledgement totals of departments")
        # The row of the people without a department is kept single by the refresh, which
        # deletes a department's row before writing it again, one refresh at a time.
        constraints = [models.UniqueConstraint(fields=["department"], name="ack_total_one_per_department")]

    def __str__(self) -> str:
        return f"{self.department_id}: {self.acknowledged}/{self.audience}"
