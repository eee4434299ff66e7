"""Courses, their sessions and who is enrolled in them.

A *course* is what is taught (and which standards it covers); a *session* is one
sitting of a course at a time and place, with a capacity; an *enrolment* is one
employee's seat in a session and its outcome. Only an attended enrolment in a
session of a course that counts toward the rule counts for the twice-a-year rule
(``training.rules.training_status``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Department, Employee, Position
from training.rules import TrainingStatus


class Course(models.Model):
    title = models.CharField(_("title"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    standards = models.ManyToManyField(
        "standards.Standard",
        verbose_name=_("standards covered"),
        blank=True,
        related_name="training_courses",
    )
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=120)
    counts_toward_rule = models.BooleanField(
        _("counts toward the twice-a-year rule"),
        default=True,
        help_text=_("Attending a session of this course keeps an employee inside the rule."),
    )
    departments = models.ManyToManyField(
        Department,
        verbose_name=_("departments"),
        blank=True,
        related_name="training_courses",
        help_text=_("Who the course is for; empty means every department."),
    )
    positions = models.ManyToManyField(
        Position,
        verbose_name=_("positions"),
        blank=True,
        related_name="training_courses",
        help_text=_("Who the course is for; empty means every position."),
    )
    is_active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Session(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    trainer = models.ForeignKey(
        Employee,
        verbose_name=_("trainer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions_trained",
    )
    trainer_name = models.CharField(
        _("external trainer"), max_length=200, blank=True, help_text=_("When the trainer is not an employee.")
    )
    capacity = models.PositiveIntegerField(_("capacity"), default=12)
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Raised whenever the time or the place changes: the SEQUENCE of the calendar
    # event (calendars replace an event whose sequence grew) and the key of the
    # "changed" email, one per revision.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.course} — {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def trainer_display(self) -> str:
        return str(self.trainer) if self.trainer_id else self.trainer_name

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


class EnrolmentStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")
    EXCUSED = "excused", _("Excused")


# Statuses that hold a seat: an excused employee gives theirs back.
SEAT_HOLDING = (
    EnrolmentStatus.INVITED,
    EnrolmentStatus.CONFIRMED,
    EnrolmentStatus.ATTENDED,
    EnrolmentStatus.NO_SHOW,
)
# Statuses of a booking that still lies ahead (the employee is expected to come).
BOOKED = (EnrolmentStatus.INVITED, EnrolmentStatus.CONFIRMED)


class Enrolment(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="enrolments"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="training_enrolments"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.INVITED
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    attendance_marked_at = models.DateTimeField(_("attendance marked at"), null=True, blank=True)
    # Claimed with a conditional update before sending: each email goes out once.
    invitation_sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)
    cancellation_sent_at = models.DateTimeField(_("cancellation notice sent at"), null=True, blank=True)

    class Meta:
        ordering = ["session__starts_at", "employee__user__last_name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["session", "employee"], name="enrolment_once_per_session"),
        ]
        indexes = [models.Index(fields=["employee", "status"])]

    def __str__(self) -> str:
        return f"{self.employee} @ {self.session}"


def _new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret address of an employee's personal iCalendar feed; a new token revokes the old one."""

    employee = models.OneToOneField(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="training_feed"
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_feed_token)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.employee)


class TrainingStanding(models.Model):
    """Where one active customer-facing employee stands under the twice-a-year rule,
    stored so that the compliance pages, the home panels and the planner count and
    list people with SQL aggregates instead of applying the rule to everyone on every
    request.

    Written only by ``training.services.training_standings_refresh`` (on every change of
    the facts: attendance, a session moved or cancelled, a course's "counts", a person
    hired, moved or leaving) and by the nightly task, which catches what changes with
    the calendar alone (the half-year turning over, a due date coming near). ``as_of``
    is the day the status holds for. The status comes from
    ``training.rules.training_status``; department and position are copies of the
    employee's, so that counts per department need no join.

    The lists' sort keys are stored too (the urgency rank of the status, the department's
    and the person's names), with indexes in the lists' orders: a page of the compliance
    lists or the planner is an index walk of its rows, not a sort of everyone due. The
    names are copies, kept by the same refresh (a person renamed through
    ``people.services`` is refreshed; the nightly refresh rewrites every row).
    """

    employee = models.OneToOneField(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="training_standing",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    last_trained_on = models.DateField(_("last counted session"), null=True, blank=True)
    previous_trained_on = models.DateField(_("counted session before the last"), null=True, blank=True)
    count_last_12_months = models.PositiveIntegerField(_("counted sessions in the last 12 months"), default=0)
    as_of = models.DateField(_("as of"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    # Sort keys: the position of ``status`` in ``rules.STATUS_ORDER`` (most urgent first),
    # the department's name (none without one: they come last) and the person's name as shown.
    urgency_rank = models.PositiveSmallIntegerField(_("urgency rank"), default=0)
    department_name = models.CharField(_("department name"), max_length=120, null=True, blank=True)
    employee_name = models.CharField(_("employee name"), max_length=301, blank=True, default="")

    class Meta:
        verbose_name = _("training standing")
        verbose_name_plural = _("training standings")
        indexes = [
            models.Index(fields=["department", "status"]),
            models.Index(fields=["status", "due_on"]),
            # The compliance lists (the company's, one department's) and the planner, in their orders.
            models.Index(
                fields=["urgency_rank", "due_on", "employee_name", "employee"], name="standing_urgency_order"
            ),
            models.Index(
                fields=["department", "urgency_rank", "due_on", "employee_name", "employee"],
                name="standing_department_urgency",
            ),
            models.Index(
                fields=[
                    "department_name",
                    "department",
                    "urgency_rank",
                    "due_on",
                    "employee_name",
                    "employee",
                ],
                name="standing_planner_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.status}"

    @property
    def rule_status(self) -> TrainingStatus:
        """The stored status in the shape the rule returns it (for the status badge)."""
        return TrainingStatus(self.status, self.due_on, self.last_trained_on, self.count_last_12_months)
