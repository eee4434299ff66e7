"""The complaint log, its timeline, and the corrective actions that close the loop.

A complaint is a gift (only 3–7 % of unhappy customers say anything): each one is
logged quickly, handled against a date promised to the customer, tagged with one
of five root causes before it may be resolved, and may lead to corrective actions
(revise a standard, train staff, fix a process, system or product).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person")
    WEBSITE = "website", _("Website")
    SOCIAL = "social", _("Social media")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS)
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED)


class RootCause(models.TextChoices):
    """The five root causes of a service problem, from the articles."""

    PEOPLE = "people", _("People (staff)")
    SYSTEMS = "systems", _("Systems")
    PROCESSES = "processes", _("Processes & procedures")
    PRODUCTS = "products", _("Products")
    CUSTOMERS = "customers", _("Customers")


class Satisfaction(models.TextChoices):
    NOT_ASKED = "not_asked", _("Not asked")
    YES = "yes", _("Yes")
    NO = "no", _("No")


class ComplaintQuerySet(models.QuerySet):
    def open(self) -> ComplaintQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date) -> ComplaintQuerySet:
        """Open complaints whose promised date has passed: :meth:`Complaint.is_overdue_on` in SQL
        (a complaint without a promise is never overdue; ``promised_on < today`` leaves it out)."""
        return self.open().filter(promised_on__lt=today)


class Complaint(models.Model):
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.PHONE)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
    )
    # A copy of the linked customer's value (customers.Customer.value), so that the list sorted
    # by value is an index scan over this table (indexes: migration 0015) instead of a sort
    # after a join with a million rows. Kept by the services that link a complaint to a
    # customer and by the metrics recompute that values the customers
    # (complaints.services.complaint_customer_values_refresh).
    customer_value = models.DecimalField(
        _("customer's value"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    customer_name = models.CharField(_("customer name"), max_length=200, blank=True)
    customer_contact = models.CharField(
        _("customer contact"), max_length=200, blank=True, help_text=_("Phone number or email.")
    )
    summary = models.CharField(_("summary"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    department = models.ForeignKey(
        "people.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    product = models.CharField(_("product or service"), max_length=200, blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_logged",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_handled",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    # When the handler first opened the complaint's page since it was given to them: empty
    # ones are the "assigned to you, not yet opened" count on the navbar.
    handler_opened_at = models.DateTimeField(_("opened by its handler at"), null=True, blank=True)

    # Promises: what the customer was told, apart from any internal target.
    expected_effort_days = models.PositiveSmallIntegerField(
        _("expected effort (days)"), null=True, blank=True
    )
    promised_on = models.DateField(_("promised to the customer for"), null=True, blank=True)
    promise_changes = models.PositiveSmallIntegerField(_("promise changed (times)"), default=0)
    internal_target_on = models.DateField(_("internal target"), null=True, blank=True)

    # Root cause: required to resolve.
    root_cause = models.CharField(_("root cause"), max_length=12, choices=RootCause.choices, blank=True)
    cause_note = models.TextField(_("cause note"), blank=True)
    five_whys = models.TextField(_("5 whys"), blank=True)

    resolution = models.TextField(_("resolution"), blank=True)
    compensation = models.DecimalField(
        _("compensation"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    customer_satisfied = models.CharField(
        _("customer satisfied"), max_length=10, choices=Satisfaction.choices, default=Satisfaction.NOT_ASKED
    )
    lesson_learned = models.TextField(_("lesson learned"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # The key of an imported historical complaint: re-importing a file adds no duplicates.
    external_ref = models.CharField(
        _("external reference"), max_length=64, null=True, blank=True, unique=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        # The list pages sort by (received_at, id) and filter by these columns; each
        # index ends in the sort key so a filtered page is an index range scan.
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="complaint_recent"),
            models.Index(fields=["status", "-received_at", "-id"], name="complaint_status_recent"),
            models.Index(fields=["department", "-received_at", "-id"], name="complaint_dept_recent"),
            models.Index(fields=["handler", "status", "-received_at"], name="complaint_handler_status"),
            models.Index(fields=["channel", "-received_at"], name="complaint_channel_recent"),
            models.Index(fields=["root_cause", "received_at"], name="complaint_cause_received"),
            models.Index(fields=["status", "promised_on"], name="complaint_status_promise"),
            # The open ones newest first (the list's "open" and "open and overdue"): a walk
            # over the few open complaints in order, never a sort of every one of them.
            models.Index(
                fields=["-received_at", "-id"],
                name="complaint_open_recent",
                condition=models.Q(status__in=OPEN_STATUSES),
            ),
            # The open ones by promised date (the manager's home: the most overdue first)
            # with what the home's figures count, so that those read the index alone.
            models.Index(
                fields=["promised_on", "id"],
                name="complaint_open_promised",
                include=["status", "handler"],
                condition=models.Q(status__in=OPEN_STATUSES),
            ),
            models.Index(fields=["customer", "status"], name="complaint_customer_status"),
            # "Most valuable customers first" (customer_value DESC NULLS LAST, received_at, id)
            # has two PostgreSQL-only indexes, all and open, made by migration 0015 outside
            # the model state: SQLite takes no NULLS LAST in an index.
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=["resolved", "closed"]) | ~models.Q(root_cause=""),
                name="complaint_resolved_has_root_cause",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.summary}"

    @property
    def customer_display(self) -> str:
        """The name given on the complaint (the person who complained), else the record's.

        A complaint may be made by someone other than the record's holder (a spouse, a
        colleague of a business customer): they are called by the name they gave.
        """
        if self.customer_name:
            return self.customer_name
        if self.customer_id and self.customer is not None:
            return str(self.customer)
        return ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue_on(self, day: datetime.date) -> bool:
        """Open, promised to the customer, and the promised date is before ``day``.

        A complaint promised for ``day`` itself is not overdue yet; a resolved or closed one
        never is, whatever it was promised. ``Complaint.objects.overdue(day)`` is the same rule
        in SQL.
        """
        return self.is_open and self.promised_on is not None and self.promised_on < day

    @property
    def unsatisfied(self) -> bool:
        """A resolved complaint whose customer said no: flagged on every list."""
        return self.status in DONE_STATUSES and self.customer_satisfied == Satisfaction.NO


class EventKind(models.TextChoices):
    CREATED = "created", _("Logged")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Reassigned")
    PROMISE = "promise", _("Promise changed")


class ComplaintEvent(models.Model):
    """One line of a complaint's timeline: who did what, when, from what to what."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    from_status = models.CharField(_("from status"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, choices=Status.choices, blank=True)
    from_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_date = models.DateField(_("from date"), null=True, blank=True)
    to_date = models.DateField(_("to date"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ActionKind(models.TextChoices):
    REVISE_STANDARD = "revise_standard", _("Revise a standard")
    TRAIN_STAFF = "train_staff", _("Train staff")
    FIX_PROCESS = "fix_process", _("Fix a process")
    FIX_SYSTEM = "fix_system", _("Fix a system")
    FIX_PRODUCT = "fix_product", _("Fix a product")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class CorrectiveAction(models.Model):
    """What the company changes because of one or more complaints."""

    kind = models.CharField(_("kind"), max_length=16, choices=ActionKind.choices)
    description = models.TextField(_("what will change"))
    complaints = models.ManyToManyField(
        Complaint, verbose_name=_("complaints"), related_name="corrective_actions", blank=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="corrective_actions",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    # "Revise a standard": the standard, and the draft version opened for its owner;
    # when that version is published the action is done (see services).
    standard = models.ForeignKey(
        "standards.Standard",
        verbose_name=_("standard"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_actions",
    )
    standard_version = models.ForeignKey(
        "standards.StandardVersion",
        verbose_name=_("standard version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="corrective_actions",
    )
    # "Train staff": the course that teaches the lesson.
    course = models.ForeignKey(
        "training.Course",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_actions",
    )
    effectiveness_note = models.TextField(
        _("effectiveness"), blank=True, help_text=_("When closing: did it work? How do you know?")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        indexes = [models.Index(fields=["status", "due_on"], name="action_status_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES


# The conversation's and the surveys' models (after resolution; the pulse survey) live in their
# subpackages; importing them here registers them with the app (Django looks for an app's
# models in its ``models`` module).
from complaints.attachments.models import Attachment  # noqa: E402
from complaints.conversation.models import CannedReply, ComplaintMessage  # noqa: E402
from complaints.intake.models import ProcessedMail, QuarantinedMail  # noqa: E402
from complaints.survey.models import SatisfactionSurvey, SurveySettings  # noqa: E402
from complaints.survey.pulse.models import PulseInvitation, PulseWave  # noqa: E402

__all__ = [
    "Attachment",
    "CannedReply",
    "ComplaintMessage",
    "ProcessedMail",
    "PulseInvitation",
    "PulseWave",
    "QuarantinedMail",
    "SatisfactionSurvey",
    "SurveySettings",
]
