"""The benchmark's building blocks, shared by every app's ``<app>/bench.py``.

``python manage.py bench --size small|large`` builds a synthetic company of the
named size, then times the main pages through Django's test client: p50/p95 over
N requests and the number of SQL queries each page runs, next to a one-query
"floor" view timed in the same run (the cost of Django itself on this machine).

Each app contributes a module listed in ``BENCH_MODULES`` with:

- ``build_dataset(*, size: Size, rng: random.Random) -> None`` that adds its rows
  (in bulk, idempotently: it may assume the organisation exists and is called once
  per fresh data set), and
- ``bench_pages() -> list[BenchPage]``, the pages to time.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .models import Department, Employee, Position
from .roles import HR, MANAGER, STAFF

BENCH_MODULES: list[str] = [
    "standards.bench",
    # Before complaints: its complaints link to the metrics customers.
    "metrics.bench",
    "complaints.bench",
    "complaints.survey_bench",
    "training.bench",
    # Gives some bench employees a leaving date.
    "servicecraft.workforce_bench",
    # Last: the weekly report it builds reads every other app's bench data.
    "servicecraft.shell_bench",
]

BENCH_MANAGER = "bench-manager"
BENCH_HR = "bench-hr"
BENCH_STAFF = "bench-staff"


@dataclass(frozen=True)
class Size:
    """How big the synthetic company is. ``large`` is the target from the brief."""

    name: str
    employees: int
    departments: int
    customers: int
    transactions: int
    complaints: int


SIZES = {
    "small": Size(
        "small", employees=200, departments=8, customers=2_000, transactions=40_000, complaints=20_000
    ),
    "large": Size(
        "large",
        employees=5_000,
        departments=40,
        customers=100_000,
        transactions=2_000_000,
        complaints=1_000_000,
    ),
}


@dataclass(frozen=True)
class BenchPage:
    name: str
    url: str
    username: str = BENCH_MANAGER


def build_organisation(*, size: Size, rng: random.Random) -> None:
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
