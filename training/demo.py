"""Demo data of the training app: courses, a year of sessions with attendance and
the next few weeks' sessions, placed around the calendar half-years so that the
demo company shows every status of the rule (compliant, due, due soon, overdue,
never trained, out of scope).

Run by ``seed_demo`` after the organisation; idempotent: sessions are created
only on the first run, everything else is looked up by natural keys.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from people import services as people
from people.models import Department, Employee, Position
from people.roles import STAFF
from standards.models import Standard, StandardStatus
from training import rules, services
from training.models import Course, Enrolment, EnrolmentStatus, Session, SessionStatus

User = get_user_model()

COURSES = [
    (
        "Service standards: from greeting to farewell",
        "The current standards step by step, practised in pairs: greeting, listening, "
        "calling the customer by name, promising conservatively, farewell and after-sales.",
        180,
        True,
        None,
    ),
    (
        "Complaints are a gift",
        "Why only 3–7 % of unhappy customers complain, how to accept a complaint, "
        "and how to tag its root cause.",
        120,
        True,
        "complaint_acceptance",
    ),
    (
        "Promise conservatively, deliver early",
        "Timeliness: if the job takes about three days, promise five — and beat it.",
        90,
        True,
        "promises",
    ),
    ("New product line overview", "What is new in the catalogue this season.", 60, False, None),
]

# username, first, last, department, position, days since hire, days since leaving
EXTRA_PEOPLE = [
    ("elena", "Elena", "Orlova", "Front desk", "Receptionist", 1100, None),
    ("nikolai", "Nikolai", "Fedorov", "Call centre", "Call-centre operator", 1800, None),
    ("tatiana", "Tatiana", "Lebedeva", "Call centre", "Call-centre operator", 75, None),
    ("alexei", "Alexei", "Kozlov", "After-sales service", "Service engineer", 730, None),
    ("irina", "Irina", "Novikova", "Front desk", "Receptionist", 1500, None),
    ("yuri", "Yuri", "Egorov", "Call centre", "Call-centre operator", 200, None),
    ("svetlana", "Svetlana", "Pavlova", "After-sales service", "Service engineer", 2200, None),
    ("mikhail", "Mikhail", "Sorokin", "Front desk", "Receptionist", 700, None),
    ("oksana", "Oksana", "Zaitseva", "Call centre", "Call-centre operator", 900, 30),
]

A, N, E = EnrolmentStatus.ATTENDED, EnrolmentStatus.NO_SHOW, EnrolmentStatus.EXCUSED


def seed(*, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    _seed(today)
    # The demo's sessions and attendance are written directly, not through the services:
    # stand everyone once (people, the apps after training, add no employees).
    services.training_standings_rebuild(today=today)


def _seed(today: datetime.date) -> None:
    courses = _courses()
    _extra_people(today)
    if Session.objects.exists():
        return
    people_by_name = {e.user.username: e for e in Employee.objects.select_related("user")}
    policy = rules.TrainingPolicy.from_settings()
    current = rules.period_of(today, policy)
    previous = rules.previous_period(current)
    year_ago = rules.previous_period(previous)
    basics, complaints, promises, product = courses
    trainer = people_by_name.get("manager")

    # A session in each of the two oldest half-years, two a year ago, two last
    # half-year and (unless today is the first day of it) two in this one.
    older = rules.previous_period(year_ago)
    oldest = rules.previous_period(older)
    past = [
        (
            basics,
            oldest.start + datetime.timedelta(days=60),
            {"pavel": A, "dmitry": A, "svetlana": A, "manager": A},
        ),
        (
            complaints,
            older.start + datetime.timedelta(days=45),
            {"dmitry": A, "irina": A, "nikolai": A, "olga": A},
        ),
        (
            basics,
            year_ago.start + datetime.timedelta(days=35),
            {"dmitry": A, "pavel": A, "nikolai": A, "irina": A},
        ),
        (complaints, year_ago.start + datetime.timedelta(days=90), {"svetlana": A, "oksana": A}),
        (
            basics,
            previous.start + datetime.timedelta(days=40),
            {"olga": A, "ivan": A, "dmitry": A, "elena": A, "alexei": A, "irina": E, "pavel": N},
        ),
        (promises, previous.start + datetime.timedelta(days=120), {"mikhail": A, "manager": A}),
    ]
    elapsed = (today - current.start).days
    if elapsed >= 2:
        middle = current.start + datetime.timedelta(days=elapsed // 2)
        past += [
            (complaints, middle, {"olga": A, "manager": A, "elena": A, "svetlana": A, "pavel": N}),
            (product, today - datetime.timedelta(days=1), {"mikhail": A, "ivan": A}),
        ]
    for course, day, outcomes in past:
        session = _session(course, day, trainer=trainer, status=SessionStatus.HELD, capacity=12)
        for username, status in outcomes.items():
            if username in people_by_name:
                _enrol(session, people_by_name[username], status, marked=True)

    tomorrow = _session(promises, today + datetime.timedelta(days=1), trainer=trainer, capacity=8)
    _enrol(tomorrow, people_by_name.get("ivan"), EnrolmentStatus.CONFIRMED)
    _enrol(tomorrow, people_by_name.get("alexei"), EnrolmentStatus.INVITED)
    next_week = _session(
        basics, today + datetime.timedelta(days=6), trainer_name="Irina Belova (ServiceLab)", capacity=10
    )
    _enrol(next_week, people_by_name.get("dmitry"), EnrolmentStatus.INVITED)
    _enrol(next_week, people_by_name.get("mikhail"), EnrolmentStatus.CONFIRMED)
    _session(complaints, today + datetime.timedelta(days=13), capacity=12, place="Training room 2")
    cancelled = _session(basics, today + datetime.timedelta(days=9), trainer=trainer, capacity=10)
    _enrol(cancelled, people_by_name.get("nikolai"), EnrolmentStatus.INVITED)
    cancelled.status, cancelled.cancelled_at = SessionStatus.CANCELLED, timezone.now()
    cancelled.save(update_fields=["status", "cancelled_at"])
    Enrolment.objects.filter(session=cancelled).update(cancellation_sent_at=timezone.now())


def _courses() -> list[Course]:

    published = Standard.objects.filter(status=StandardStatus.PUBLISHED)
    courses = []
    for title, description, minutes, counts, category in COURSES:
        course, created = Course.objects.get_or_create(
            title=title,
            defaults={"description": description, "duration_minutes": minutes, "counts_toward_rule": counts},
        )
        if created and counts:
            course.standards.set(published.filter(category=category) if category else published)
        courses.append(course)
    return courses


def _extra_people(today: datetime.date) -> None:
    departments = {d.name: d for d in Department.objects.all()}
    for username, first, last, department, position, hired_days, left_days in EXTRA_PEOPLE:
        if User.objects.filter(username=username).exists():
            continue
        employee = people.employee_create(
            actor=None,
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@servicecraft.example",
            department=departments.get(department),
            position=Position.objects.get_or_create(name=position)[0],
            hired_on=today - datetime.timedelta(days=hired_days),
            roles=[STAFF],
        )
        if left_days is not None:
            people.employee_deactivate(employee=employee, left_on=today - datetime.timedelta(days=left_days))


def _session(
    course: Course,
    day: datetime.date,
    *,
    trainer: Employee | None = None,
    trainer_name: str = "",
    status: str = SessionStatus.PLANNED,
    capacity: int,
    place: str = "Training room 1",
) -> Session:
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    return Session.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=course.duration_minutes),
        trainer=trainer,
        trainer_name="" if trainer else trainer_name,
        capacity=capacity,
        status=status,
        place=place,
    )


def _enrol(session: Session, employee: Employee | None, status: str, *, marked: bool = False) -> None:
    if employee is None:
        return
    now = timezone.now()
    Enrolment.objects.get_or_create(
        session=session,
        employee=employee,
        defaults={
            "status": status,
            "enrolled_at": session.starts_at - datetime.timedelta(days=14),
            "invitation_sent_at": now,
            "attendance_marked_at": now if marked else None,
        },
    )
