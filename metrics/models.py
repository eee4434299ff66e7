"""Customers, their purchases, and the stored results of the metrics analysis.

Customers and purchases arrive from the company's own systems by CSV import
(keyed by ``external_id`` so a re-import updates instead of duplicating). The
dashboard never computes from these tables directly: a task aggregates them and
stores a :class:`MetricsSnapshot` that the pages read.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.job_status import JobStatus


class MetricsSnapshot(models.Model):
    """The figures and charts of one recompute; the dashboard shows the latest one."""

    computed_at = models.DateTimeField(_("computed at"), db_index=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    # The figures (see metrics.snapshot for the keys); the JSON API is built from this.
    figures = models.JSONField(_("figures"), default=dict)
    # {"chart name": "<svg ...>"}: rendered once per recompute, cached with the figures.
    charts = models.JSONField(_("charts"), default=dict)
    duration_seconds = models.FloatField(_("duration (s)"), default=0)

    class Meta:
        ordering = ["-computed_at"]
        get_latest_by = "computed_at"
        verbose_name = _("metrics snapshot")
        verbose_name_plural = _("metrics snapshots")

    def __str__(self) -> str:
        return f"{self.computed_at:%Y-%m-%d %H:%M}"


class DepartmentFigures(models.Model):
    """One department's figures of a snapshot: its complaints per period (the same keys as
    the company's under ``figures["periods"][period]["departments"]["all"]``) and its
    training compliance and acknowledgement coverage.

    Rows, not keys in the snapshot's JSON: the dashboard and ``summary.json`` show one
    department at a time, and with every department inside it the JSON they decode on each
    request grew with the company (125 KB at 40 departments). The department is a plain id,
    not a foreign key: a snapshot keeps the figures of a department deleted since.
    """

    snapshot = models.ForeignKey(
        MetricsSnapshot,
        verbose_name=_("snapshot"),
        on_delete=models.CASCADE,
        related_name="department_figures",
    )
    department_id = models.BigIntegerField(_("department id"))
    # {"periods": {"month": {...}, "quarter": {...}, "year": {...}}, "organisation": {...}}
    figures = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("department figures")
        verbose_name_plural = _("department figures")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "department_id"], name="one_figures_row_per_snapshot_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id}/{self.department_id}"


class ProbableSilentLeaver(models.Model):
    """A customer the snapshot's BG/NBD model thinks has probably left without complaining.

    Rows, not JSON in the snapshot: at 100k customers the list runs to thousands
    and is paged, sorted by value, exported, and read by the weekly report.
    """

    snapshot = models.ForeignKey(
        MetricsSnapshot, verbose_name=_("snapshot"), on_delete=models.CASCADE, related_name="silent_leavers"
    )
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    p_alive = models.FloatField(_("probability still active"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    last_purchase = models.DateField(_("last purchase"), null=True)

    class Meta:
        ordering = ["-value", "pk"]
        verbose_name = _("probable silent leaver")
        verbose_name_plural = _("probable silent leavers")
        indexes = [models.Index(fields=["snapshot", "-value"])]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "customer"], name="one_leaver_row_per_snapshot")
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} ({self.p_alive:.2f})"


# What each recompute step does, in the words the progress bar and a failure notice use
# (metrics.snapshot.STEPS has one entry per name here; a test keeps them in step).
RECOMPUTE_STEP_LABELS = {
    "customers": _("reading customers and purchases"),
    "churn": _("computing churn"),
    "model": _("fitting the buying-pattern model"),
    "complaints": _("counting complaints"),
    "organisation": _("figures per department"),
    "value": _("computing lifetime value"),
    "pulse": _("the pulse survey's figures"),
    "charts": _("drawing the charts"),
    "save": _("saving the figures"),
}


class RecomputeJob(models.Model):
    """A requested recompute and its progress, polled by the dashboard's "recompute now"."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    steps = models.PositiveSmallIntegerField(_("steps"), default=1)
    message = models.CharField(_("message"), max_length=255, blank=True)
    snapshot = models.ForeignKey(
        MetricsSnapshot, verbose_name=_("snapshot"), on_delete=models.SET_NULL, null=True, blank=True
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recompute")
        verbose_name_plural = _("recomputes")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def step_label(self):
        """The current (or, after a failure, the failed) step in plain words, translated when
        shown; the technical reason of a failure is in the server log, never on a page."""
        return RECOMPUTE_STEP_LABELS.get(self.message) or self.message or _("getting started")


def _new_token() -> str:
    """A fresh random key (also named by migration 0001, so it stays)."""
    return secrets.token_urlsafe(32)


def api_key_hash(key: str) -> str:
    """The SHA-256 of a key, hex: all that is stored of it.

    A plain hash is enough (no salt, no slow hash): the keys are 256 random bits,
    not passwords a dictionary could guess.
    """
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for BI tools reading ``/metrics/api/summary.json``; managed in the admin.

    Only the hash of the key is stored, so a copy of the database gives no working
    key away; the key itself is shown once, when the token is created.
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("Who or what uses this token."))
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name

    def set_new_key(self) -> str:
        """Give the token a new random key (unsaved, like ``User.set_password``) and return it."""
        key = _new_token()
        self.key_hash = api_key_hash(key)
        return key
