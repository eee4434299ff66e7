"""Writes of the training app: courses, sessions, enrolment, attendance, cancellation.

Capacity is guarded in the database: every write that takes seats locks the
session row (``SELECT … FOR UPDATE``) and counts the seats under that lock, so two
HR officers enrolling into the last seat at the same moment cannot both get it.
Emails (invitations, cancellation notices) leave after the commit through tasks
that claim each enrolment's ``*_sent_at`` column first, so each goes out once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.dates import start_of_day
from notifications import services as notifications
from notifications.tasks import deliver_notification
from people.models import Department, Employee, Position, display_name
from training import emails, rules, selectors
from training.models import (
    BOOKED,
    SEAT_HOLDING,
    CalendarFeed,
    Course,
    Enrolment,
    EnrolmentStatus,
    Session,
    SessionStatus,
    TrainingStanding,
    _new_feed_token,
)

# --- courses ----------------------------------------------------------------------------


@transaction.atomic
def course_save(
    *,
    course: Course | None = None,
    title: str,
    description: str = "",
    duration_minutes: int = 120,
    counts_toward_rule: bool = True,
    is_active: bool = True,
    standards: Iterable = (),
    departments: Iterable[Department] = (),
    positions: Iterable[Position] = (),
) -> Course:
    """Create a course, or update ``course`` when given."""
    # Whether its sessions counted before this change (None: a new course, nobody attended yet).
    counted_before = (
        Course.objects.get(pk=course.pk).counts_toward_rule if course is not None and course.pk else None
    )
    course = course or Course()
    course.title = title
    course.description = description
    course.duration_minutes = duration_minutes
    course.counts_toward_rule = counts_toward_rule
    course.is_active = is_active
    course.full_clean()
    course.save()
    course.standards.set(standards)
    course.departments.set(departments)
    course.positions.set(positions)
    if counted_before is not None and counted_before != counts_toward_rule:
        training_standings_refresh(employee_ids=_attendees(Enrolment.objects.filter(session__course=course)))
    return course


def _attendees(enrolments) -> list[int]:
    """The people whose attendance among ``enrolments`` may count for the rule."""
    return list(
        enrolments.filter(status=EnrolmentStatus.ATTENDED).values_list("employee_id", flat=True).distinct()
    )


# --- sessions ---------------------------------------------------------------------------


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A session ends after it starts.")})


@transaction.atomic
def session_create(
    *,
    course: Course,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    place: str = "",
    online_link: str = "",
    trainer: Employee | None = None,
    trainer_name: str = "",
    notes: str = "",
    created_by=None,
) -> Session:
    _check_times(starts_at, ends_at)
    session = Session(
        course=course,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        place=place,
        online_link=online_link,
        trainer=trainer,
        trainer_name="" if trainer else trainer_name,
        notes=notes,
        created_by=created_by,
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    place: str = "",
    online_link: str = "",
    trainer: Employee | None = None,
    trainer_name: str = "",
    notes: str = "",
) -> Session:
    """Change a planned session; capacity may not drop below the seats already taken.

    A new time or place raises the session's revision and emails everyone booked
    the updated ``.ics`` (once per revision)."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("A cancelled session cannot be changed."))
    _check_times(starts_at, ends_at)
    taken = _seats_taken(session)
    if capacity < taken:
        raise ValidationError(
            {
                "capacity": _("%(taken)d seats are already taken; free some before lowering the capacity.")
                % {"taken": taken}
            }
        )
    redated = session.starts_at != starts_at
    moved = (session.starts_at, session.ends_at, session.place, session.online_link) != (
        starts_at,
        ends_at,
        place,
        online_link,
    )
    session.starts_at, session.ends_at, session.capacity = starts_at, ends_at, capacity
    session.place, session.online_link, session.notes = place, online_link, notes
    session.trainer = trainer
    session.trainer_name = "" if trainer else trainer_name
    if moved:
        session.revision += 1
    session.full_clean()
    session.save(
        update_fields=[
            "starts_at",
            "ends_at",
            "capacity",
            "place",
            "online_link",
            "notes",
            "trainer",
            "trainer_name",
            "revision",
        ]
    )
    if redated:
        # The day of an attended session decides the half-year it counts for.
        training_standings_refresh(employee_ids=_attendees(session.enrolments))
    if moved:
        # The task calls this module's services: imported here so neither imports the other at load.
        from training.tasks import send_change_notices

        revision = session.revision
        transaction.on_commit(lambda: send_change_notices.delay(session.pk, revision))
    return session


def session_cancel(*, session: Session) -> bool:
    """Cancel a planned session and notify everyone booked into it, once.

    The status changes with a conditional update (planned → cancelled): cancelling
    twice, or from two browser tabs, notifies nobody twice. The enrolments keep
    their status, but a cancelled session counts for nothing and is no booking, so
    the people return to the planner. Returns whether this call cancelled it.
    """
    # The task calls this module's services: imported here so that neither module imports the other at load.
    from training.tasks import send_cancellation_notices

    with transaction.atomic():
        changed = Session.objects.filter(pk=session.pk, status=SessionStatus.PLANNED).update(
            status=SessionStatus.CANCELLED, cancelled_at=timezone.now()
        )
        if changed:
            training_standings_refresh(employee_ids=_attendees(session.enrolments))
            transaction.on_commit(lambda: send_cancellation_notices.delay(session.pk))
    session.refresh_from_db(fields=["status", "cancelled_at"])
    return bool(changed)


# --- enrolment --------------------------------------------------------------------------


def _seats_taken(session: Session) -> int:
    return session.enrolments.filter(status__in=SEAT_HOLDING).count()


@dataclass
class EnrolmentResult:
    """What a bulk enrolment did: who got a seat, who already had one, who did not fit,
    and for the newly enrolled the other bookings they overlap."""

    enrolled: list[Employee] = field(default_factory=list)
    already: list[Employee] = field(default_factory=list)
    no_seat: list[Employee] = field(default_factory=list)
    conflicts: dict[int, list[Session]] = field(default_factory=dict)


def session_enrol(*, session: Session, employees: Iterable[Employee], enrolled_by=None) -> EnrolmentResult:
    """Invite ``employees`` to ``session`` as far as there are seats, in the given order.

    The session row is locked while seats are counted and taken, so the capacity
    holds under concurrent enrolment. An employee who was excused earlier is invited
    again. Invitations (with the ``.ics``) are emailed after the commit.
    """
    # The task calls this module's services: imported here so that neither module imports the other at load.
    from training.tasks import send_invitations

    result = EnrolmentResult()
    employees = list(employees)
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.status != SessionStatus.PLANNED:
            raise ValidationError(_("Only a planned session takes enrolments."))
        existing = {e.employee_id: e for e in locked.enrolments.filter(employee__in=employees)}
        free = locked.capacity - _seats_taken(locked)
        invited: list[int] = []
        now = timezone.now()
        for employee in employees:
            current = existing.get(employee.pk)
            if current is not None and current.status in SEAT_HOLDING:
                result.already.append(employee)
                continue
            if free <= 0:
                result.no_seat.append(employee)
                continue
            if current is None:
                current = Enrolment.objects.create(
                    session=locked, employee=employee, enrolled_by=enrolled_by, enrolled_at=now
                )
            else:
                current.status, current.enrolled_by, current.enrolled_at = (
                    EnrolmentStatus.INVITED,
                    enrolled_by,
                    now,
                )
                current.responded_at = current.invitation_sent_at = None
                current.save(
                    update_fields=[
                        "status",
                        "enrolled_by",
                        "enrolled_at",
                        "responded_at",
                        "invitation_sent_at",
                    ]
                )
            invited.append(current.pk)
            result.enrolled.append(employee)
            free -= 1
        if invited:
            transaction.on_commit(lambda: send_invitations.delay(invited))
    result.conflicts = selectors.overlapping_bookings(
        session=session, employee_ids=[e.pk for e in result.enrolled]
    )
    return result


def enrolment_respond(*, enrolment: Enrolment, accept: bool) -> Enrolment:
    """The employee confirms an invitation, or excuses themselves (giving the seat back)."""
    if enrolment.session.status != SessionStatus.PLANNED or enrolment.status not in BOOKED:
        raise ValidationError(_("This invitation can no longer be answered."))
    enrolment.status = EnrolmentStatus.CONFIRMED if accept else EnrolmentStatus.EXCUSED
    enrolment.responded_at = timezone.now()
    enrolment.save(update_fields=["status", "responded_at"])
    return enrolment


def enrolment_excuse(*, enrolment: Enrolment) -> Enrolment:
    """HR takes someone off a planned session (their seat is freed, they return to the planner)."""
    if enrolment.session.status != SessionStatus.PLANNED:
        raise ValidationError(_("Only bookings of planned sessions can be removed."))
    enrolment.status = EnrolmentStatus.EXCUSED
    enrolment.save(update_fields=["status"])
    return enrolment


ATTENDANCE_OUTCOMES = (EnrolmentStatus.ATTENDED, EnrolmentStatus.NO_SHOW, EnrolmentStatus.EXCUSED)


@transaction.atomic
def session_mark_attendance(*, session: Session, outcomes: dict[int, str]) -> Session:
    """Record attended / no-show / excused for the enrolments of a session that has
    started (``outcomes``: enrolment id → status), and mark the session held.

    No-shows and excused people count for nothing, so they reappear in the planner.
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("A cancelled session has no attendance."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be marked once the session has started."))
    if set(outcomes.values()) - set(ATTENDANCE_OUTCOMES):
        raise ValidationError(_("Unknown attendance outcome."))
    now = timezone.now()
    enrolments = {e.pk: e for e in session.enrolments.filter(pk__in=outcomes)}
    for pk, status in outcomes.items():
        enrolment = enrolments.get(pk)
        if enrolment is None:
            continue
        enrolment.status = status
        enrolment.attendance_marked_at = now
    Enrolment.objects.bulk_update(enrolments.values(), ["status", "attendance_marked_at"])
    if session.status != SessionStatus.HELD:
        session.status = SessionStatus.HELD
        session.save(update_fields=["status"])
    training_standings_refresh(employee_ids=[e.employee_id for e in enrolments.values()])
    return session


# --- stored standings under the rule ------------------------------------------------------

_STANDING_FIELDS = [
    "department",
    "position",
    "status",
    "due_on",
    "last_trained_on",
    "previous_trained_on",
    "count_last_12_months",
    "as_of",
    "updated_at",
    "urgency_rank",
    "department_name",
    "employee_name",
]


@transaction.atomic
def training_standings_refresh(
    *, employee_ids: Iterable[int] | None = None, today: datetime.date | None = None
) -> int:
    """Bring the stored standing (:class:`~training.models.TrainingStanding`) of
    ``employee_ids`` — of everyone when ``None`` — up to date as of ``today``; returns
    how many rows were written.

    In scope (a row) are the active customer-facing people, as on the pages; the rows
    of anyone else among them (left, moved to the back office) are deleted. The status
    is :func:`training.rules.training_status` over each person's counted sessions
    (:func:`training.selectors.counted`), so a refresh and a rebuild agree by
    construction. Three queries and two writes whatever the number of people; running
    it twice writes the same rows.
    """
    today = today or timezone.localdate()
    policy = rules.TrainingPolicy.from_settings()
    people = Employee.objects.active(today).customer_facing()
    existing = TrainingStanding.objects.all()
    if employee_ids is not None:
        employee_ids = list(employee_ids)
        if not employee_ids:
            return 0
        people = people.filter(pk__in=employee_ids)
        existing = existing.filter(employee_id__in=employee_ids)
    existing.exclude(employee__in=people).delete()
    days: dict[int, list[datetime.date]] = {}
    attended = Enrolment.objects.filter(
        selectors.counted(),
        employee__in=people,
        session__starts_at__lt=start_of_day(today + datetime.timedelta(days=1)),
    ).values_list("employee_id", "session__starts_at")
    zone = timezone.get_current_timezone()
    for employee_id, starts_at in attended:
        days.setdefault(employee_id, []).append(starts_at.astimezone(zone).date())
    now = timezone.now()
    rows = []
    columns = ("pk", "hired_on", "left_on", "department_id", "position_id", "department__name")
    names = ("user__first_name", "user__last_name", "user__username")
    for person in people.values(*columns, *names):
        trained_on = rules.counted_days(days.get(person["pk"], []), hired_on=person["hired_on"], today=today)
        status = rules.training_status(
            hired_on=person["hired_on"],
            left_on=person["left_on"],
            customer_facing=True,
            trained_on=trained_on,
            today=today,
            policy=policy,
        )
        rows.append(
            TrainingStanding(
                employee_id=person["pk"],
                department_id=person["department_id"],
                position_id=person["position_id"],
                status=status.status,
                due_on=status.due_on,
                last_trained_on=status.last_trained_on,
                previous_trained_on=trained_on[-2] if len(trained_on) > 1 else None,
                count_last_12_months=status.count_last_12_months,
                as_of=today,
                updated_at=now,
                urgency_rank=rules.urgency_rank(status.status),
                department_name=person["department__name"],
                employee_name=display_name(*(person[name] for name in names)),
            )
        )
    TrainingStanding.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["employee"],
        update_fields=_STANDING_FIELDS,
    )
    # The compliance trend is computed from the same facts: forget it now and once they are
    # committed (a page may have read the old facts in between).
    selectors.trend_forget()
    transaction.on_commit(selectors.trend_forget)
    return len(rows)


@transaction.atomic
def training_standings_rebuild(*, today: datetime.date | None = None) -> int:
    """Throw the stored standings away and compute everyone's again, from the facts
    alone (after a restore, an import that bypassed the services, a changed policy);
    returns how many people are in scope."""
    TrainingStanding.objects.all().delete()
    return training_standings_refresh(today=today)


def training_standings_on_employees_changed(*, employee_ids: list[int], **kwargs) -> None:
    """Receiver of ``people.signals.employees_changed``: refresh the standings of those people."""
    training_standings_refresh(employee_ids=employee_ids)


# --- personal calendar feed ----------------------------------------------------------


def calendar_feed_get_or_create(*, employee: Employee) -> CalendarFeed:
    return CalendarFeed.objects.get_or_create(employee=employee)[0]


def calendar_feed_renew(*, employee: Employee) -> CalendarFeed:
    """Give the feed a new secret address; the old one stops working at once."""

    feed = calendar_feed_get_or_create(employee=employee)
    feed.token = _new_feed_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed


# --- emails -----------------------------------------------------------------------
# Each email is a notification row under a unique key (notifications.services),
# so a repeated or re-delivered task creates nothing twice; the tasks only call these.


def _notification_queue(
    enrolment: Enrolment, *, kind: str, key: str, period: str, column: str | None
) -> int | None:

    user = enrolment.employee.user
    if not user.email or not user.is_active:
        return None
    notification_id = notifications.email_create(recipient_id=user.pk, kind=kind, key=key, period=period)
    if notification_id is None:
        return None
    if column:
        Enrolment.objects.filter(pk=enrolment.pk).update(**{column: timezone.now()})
    transaction.on_commit(lambda: deliver_notification.delay(notification_id))
    return notification_id


def _enrolment_notices_queue(enrolments, *, kind: str, period_of: Callable[[Enrolment], str], column) -> int:
    """Queue one email of ``kind`` per enrolment (keyed by the enrolment and ``period_of``
    it); returns how many were new."""
    queued = 0
    for enrolment in enrolments.select_related("employee__user"):
        queued += bool(
            _notification_queue(
                enrolment,
                kind=kind,
                key=f"enrolment:{enrolment.pk}",
                period=period_of(enrolment),
                column=column,
            )
        )
    return queued


def enrolment_invitations_queue(*, enrolment_ids: list[int]) -> int:
    """Queue the invitation (with the ``.ics``) of each still-booked enrolment; returns how many.

    Invited again after being excused: a new enrolment time (the period), a new invitation.
    """
    return _enrolment_notices_queue(
        Enrolment.objects.filter(
            pk__in=enrolment_ids, status__in=BOOKED, session__status=SessionStatus.PLANNED
        ),
        kind=emails.INVITATION,
        period_of=lambda enrolment: timezone.localtime(enrolment.enrolled_at).strftime("%Y%m%dT%H%M%S"),
        column="invitation_sent_at",
    )


def session_change_notices_queue(*, session_id: int, revision: int) -> int:
    """Queue the updated ``.ics`` to everyone booked into a session whose time or place
    changed (revision ``revision``); returns how many."""
    return _enrolment_notices_queue(
        Enrolment.objects.filter(
            session_id=session_id, session__status=SessionStatus.PLANNED, status__in=BOOKED
        ),
        kind=emails.CHANGE,
        period_of=lambda enrolment: f"revision-{revision}",
        column=None,
    )


def session_cancellation_notices_queue(*, session_id: int) -> int:
    """Queue a notice to everyone booked into a cancelled session; returns how many."""
    return _enrolment_notices_queue(
        Enrolment.objects.filter(
            session_id=session_id, session__status=SessionStatus.CANCELLED, status__in=BOOKED
        ),
        kind=emails.CANCELLATION,
        period_of=lambda enrolment: "cancelled",
        column="cancellation_sent_at",
    )


# --- handover when people leave (people.handover) ---------------------------------------


@transaction.atomic
def sessions_trainer_reassign(*, session_ids: list[int], trainer_user) -> int:
    """Make the employee of ``trainer_user`` the trainer of these planned sessions (a handover)."""
    trainer = Employee.objects.filter(user=trainer_user).first()
    if trainer is None:
        raise ValidationError(_("Only an employee can train a session."))
    return Session.objects.filter(pk__in=session_ids, status=SessionStatus.PLANNED).update(
        trainer=trainer, trainer_name=""
    )
