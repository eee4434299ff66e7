"""Customers and their purchases, as the company's own systems know them, and the CSV
uploads that bring them in.

Rows are keyed by ``external_id`` so a re-import updates instead of duplicating. The
metrics recompute stores each customer's value and P(alive) on the row, so a list can
sort by value without reading a snapshot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.job_status import JobStatus


class EmailConsent(models.TextChoices):
    """Whether the customer agreed to be asked for feedback by email (surveys)."""

    NOT_RECORDED = "", _("Not recorded")
    GIVEN = "yes", _("Given")
    REFUSED = "no", _("Refused")


# The number of a customer created in servicecraft (not imported): the prefix tells the
# company's systems' numbers apart (customers.services.customer_create).
NEW_CUSTOMER_PREFIX = "SC-"


class Customer(models.Model):
    """A customer of the company, as known to its own systems (or, numbered ``SC-…``, first
    known to servicecraft: typed in with a complaint, or who wrote one in)."""

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    segment = models.CharField(_("segment"), max_length=60, blank=True, db_index=True)
    first_seen = models.DateField(_("first seen"))
    churned_on = models.DateField(
        _("churned on"),
        null=True,
        blank=True,
        help_text=_("For contracts and subscriptions: the day the customer ended the relationship."),
    )

    # Written by the metrics recompute (metrics.services), read by lists that sort by value.
    value = models.DecimalField(
        _("value over the relationship"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Estimated by the latest metrics recompute, in the company currency."),
    )
    p_alive = models.FloatField(
        _("probability still active"),
        null=True,
        blank=True,
        help_text=_("From the purchase pattern, by the latest metrics recompute (0–1)."),
    )
    figures_computed_at = models.DateTimeField(_("value computed at"), null=True, blank=True)

    # Consent to feedback emails (the pulse survey asks only customers who gave it), as
    # the company's systems recorded it; an unsubscribe is an EmailOptOut and wins over it.
    email_consent = models.CharField(
        _("consent to survey emails"), max_length=3, choices=EmailConsent.choices, blank=True, default=""
    )
    email_consent_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of the emails the customer gets; empty: the company's language."),
    )

    class Meta:
        ordering = ["name", "external_id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [models.Index(fields=["-value"], name="customer_by_value")]

    def __str__(self) -> str:
        return self.name or self.external_id

    @property
    def created_here(self) -> bool:
        """Whether servicecraft created the record (with a complaint), not an import."""
        return self.external_id.startswith(NEW_CUSTOMER_PREFIX)


class OptOutSource(models.TextChoices):
    LINK = "link", _("Unsubscribe link in an email")
    ONE_CLICK = "one_click", _("One-click unsubscribe of the mail program")
    STAFF = "staff", _("Recorded by staff")


class EmailOptOut(models.Model):
    """An address that asked for no more survey emails: honoured by every email to customers.

    Kept by address, not by customer record, so that it also covers the contact
    address of a complaint without a customer record, survives a re-import of the
    customers (which may say "consent given" again) and a merge of two records.
    """

    email = models.EmailField(_("email"), unique=True, help_text=_("Stored in lower case."))
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="email_opt_outs",
    )
    source = models.CharField(_("how"), max_length=10, choices=OptOutSource.choices)
    created_at = models.DateTimeField(_("opted out at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("email opt-out")
        verbose_name_plural = _("email opt-outs")

    def __str__(self) -> str:
        return self.email


class Purchase(models.Model):
    """One transaction of a customer, in the company currency."""

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="purchases"
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["-date", "external_id"]
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        indexes = [
            models.Index(fields=["customer", "date"]),
            models.Index(fields=["date"]),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} ({self.date})"


class ImportKind(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")
    TRANSACTIONS = "transactions", _("Transactions")


class ImportJob(models.Model):
    """One CSV upload and its progress, read by the upload page while the task runs."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to="customers/imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    # The Celery task id, chosen before queueing: the live progress is that task's state.
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    # [{"line": 12, "column": "date", "message": "..."}], capped (see customers.importing).
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("error count"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"
