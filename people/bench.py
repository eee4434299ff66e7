"""Benchmark data and pages of the organisation (see ``common/bench.py``).

The bench company: departments, positions and ``size.employees`` people, three of
them the bench logins. About one in seven gets a leaving date over the last three
years, so the turnover figures are real over 5k people at ``--size large``. The home
page gathers every app's panels, so it is timed per role; the people list pages
through every employee.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from common.bench import BENCH_HR, BENCH_MANAGER, BENCH_STAFF, BenchPage, Size
from people.models import Department, Employee, Position
from people.roles import HR, MANAGER, STAFF

LEAVER_SHARE = 0.15


def build_dataset(*, size: Size, rng: random.Random) -> None:
    _build_organisation(size=size, rng=rng)
    _give_some_a_leaving_date(rng=rng)


def _give_some_a_leaving_date(*, rng: random.Random) -> None:
    today = timezone.localdate()
    leavers = []
    for employee in Employee.objects.filter(user__username__startswith="bench-0").only("pk", "hired_on"):
        if rng.random() >= LEAVER_SHARE:
            continue
        earliest = max(employee.hired_on, today - datetime.timedelta(days=3 * 365))
        span = (today - earliest).days
        if span > 0:
            employee.left_on = earliest + datetime.timedelta(days=rng.randrange(1, span + 1))
            leavers.append(employee)
    Employee.objects.bulk_update(leavers, ["left_on"], batch_size=2000)


def _build_organisation(*, size: Size, rng: random.Random) -> None:
    """Departments, positions and ``size.employees`` people, three of them the bench logins."""
    User = get_user_model()
    departments = Department.objects.bulk_create(
        [Department(name=f"Bench department {i:03d}") for i in range(size.departments)],
        ignore_conflicts=True,
    )
    departments = list(Department.objects.filter(name__startswith="Bench department"))
    positions = [Position.objects.get_or_create(name=name)[0] for name in ("Operator", "Consultant", "Lead")]
    users = [
        User(username=f"bench-{i:05d}", first_name="Bench", last_name=f"{i:05d}")
        for i in range(size.employees)
    ]
    users += [User(username=name) for name in (BENCH_MANAGER, BENCH_HR, BENCH_STAFF)]
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users, batch_size=2000, ignore_conflicts=True)
    users = list(User.objects.filter(username__startswith="bench-"))
    start = datetime.date(2015, 1, 1)
    Employee.objects.bulk_create(
        [
            Employee(
                user=user,
                department=rng.choice(departments),
                position=rng.choice(positions),
                hired_on=start + datetime.timedelta(days=rng.randrange(0, 3900)),
                customer_facing=rng.random() < 0.8,
            )
            for user in users
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    for username, role in ((BENCH_MANAGER, MANAGER), (BENCH_HR, HR), (BENCH_STAFF, STAFF)):
        User.objects.get(username=username).groups.add(Group.objects.get_or_create(name=role)[0])


def bench_pages() -> list[BenchPage]:
    return [
        BenchPage("home (manager)", reverse("home")),
        BenchPage("home (staff)", reverse("home"), username=BENCH_STAFF),
        BenchPage("people: list", reverse("people:employee_list"), username=BENCH_HR),
        BenchPage("people: list, page 3", reverse("people:employee_list") + "?page=3", username=BENCH_HR),
        BenchPage("people: import page", reverse("people:employee_import"), username=BENCH_HR),
    ]
