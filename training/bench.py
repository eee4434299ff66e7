"""Benchmark data and pages of the training app (see ``servicecraft/bench.py``).

Two years of held sessions (about three counted trainings per person, with
no-shows and excused people) and a month of planned ones, so that the compliance
page and the planner are timed over 5,000 employees at ``--size large``.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from common.bench import BENCH_HR, BENCH_MANAGER, BENCH_STAFF, BenchPage, Size
from people.models import Department, Employee
from training import services
from training.models import Course, Enrolment, EnrolmentStatus, Session, SessionStatus

BATCH = 5_000
CAPACITY = 20
DAYS_BACK = 2 * 365


def build_dataset(*, size: Size, rng: random.Random) -> None:
    """Sessions over two years plus the next month, and each employee's enrolments."""
    courses = [
        Course.objects.get_or_create(title=f"Bench course {i}", defaults={"counts_toward_rule": i != 3})[0]
        for i in range(4)
    ]
    employees = list(
        Employee.objects.filter(user__username__startswith="bench-").values_list("pk", "hired_on")
    )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    trainings_per_person = 3
    past_count = max(1, len(employees) * trainings_per_person // CAPACITY)
    future_count = max(1, past_count // 24)
    sessions = []
    for i in range(past_count + future_count):
        if i < past_count:
            starts_at = now - datetime.timedelta(days=rng.randrange(1, DAYS_BACK), hours=rng.randrange(0, 6))
            status = SessionStatus.HELD
        else:
            starts_at = now + datetime.timedelta(days=rng.randrange(1, 30), hours=rng.randrange(0, 6))
            status = SessionStatus.PLANNED
        sessions.append(
            Session(
                course=rng.choice(courses),
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=2),
                capacity=CAPACITY,
                status=status,
                place="Bench room",
                trainer_name="" if rng.random() < 0.2 else "Bench trainer",
            )
        )
    Session.objects.bulk_create(sessions, batch_size=BATCH)
    held = list(
        Session.objects.filter(status=SessionStatus.HELD, place="Bench room").values_list("pk", "starts_at")
    )
    planned = list(
        Session.objects.filter(status=SessionStatus.PLANNED, place="Bench room").values_list("pk", flat=True)
    )
    seats: dict[int, int] = {}
    enrolments = []
    for employee_id, hired_on in employees:
        taken: set[int] = set()
        for _ in range(rng.randrange(0, 2 * trainings_per_person)):
            session_id, starts_at = rng.choice(held)
            if session_id in taken or seats.get(session_id, 0) >= CAPACITY or starts_at.date() < hired_on:
                continue
            roll = rng.random()
            status = (
                EnrolmentStatus.ATTENDED
                if roll < 0.85
                else EnrolmentStatus.NO_SHOW
                if roll < 0.95
                else EnrolmentStatus.EXCUSED
            )
            enrolments.append(Enrolment(session_id=session_id, employee_id=employee_id, status=status))
            taken.add(session_id)
            seats[session_id] = seats.get(session_id, 0) + 1
        if planned and rng.random() < 0.1:
            session_id = rng.choice(planned)
            if session_id not in taken and seats.get(session_id, 0) < CAPACITY:
                enrolments.append(Enrolment(session_id=session_id, employee_id=employee_id))
                seats[session_id] = seats.get(session_id, 0) + 1
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    # Written in bulk, not through the services: the pages read the stored standings.
    services.training_standings_rebuild()


def bench_pages() -> list[BenchPage]:
    department = Department.objects.filter(name__startswith="Bench department").order_by("id").first()
    pages = [
        BenchPage("training: compliance (company)", "/training/compliance/"),
        BenchPage("training: planner (60 days)", "/training/planner/", username=BENCH_HR),
        BenchPage(
            "training: planner (all booked too)", "/training/planner/?include_booked=1", username=BENCH_HR
        ),
        BenchPage("training: calendar (month)", "/training/calendar/", username=BENCH_HR),
        BenchPage("training: conflicts", "/training/conflicts/", username=BENCH_HR),
        BenchPage("training: home (HR panels)", "/", username=BENCH_HR),
        BenchPage("training: my trainings", "/training/", username=BENCH_STAFF),
    ]
    if department:
        pages.insert(
            1,
            BenchPage(
                "training: compliance (one department)",
                f"/training/compliance/departments/{department.pk}/",
                username=BENCH_MANAGER,
            ),
        )
    return pages
