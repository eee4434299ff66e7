"""Demo data for the organisation; ``seed_demo`` runs this first, then each app's.

Everything is keyed by natural keys (names, usernames) so that running it twice
changes nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from people import services
from people.models import Department, Employee, Position
from people.roles import HR, MANAGER, STAFF

User = get_user_model()

DEMO_PASSWORD = "servicecraft-demo"

DEPARTMENTS = [
    ("Front desk", True),
    ("Call centre", True),
    ("After-sales service", True),
    ("Warehouse", False),
]
POSITIONS = [
    "Receptionist",
    "Call-centre operator",
    "Service engineer",
    "Team lead",
    "HR officer",
    "Storekeeper",
]

# username, first, last, department, position, roles, customer-facing, days since hire, language
PEOPLE = [
    ("manager", "Maria", "Ivanova", "Front desk", "Team lead", [MANAGER], True, 2900, "en"),
    ("hr", "Helen", "Petrova", None, "HR officer", [HR], False, 1500, "en"),
    ("olga", "Olga", "Smirnova", "Front desk", "Receptionist", [STAFF], True, 700, "ru"),
    ("ivan", "Ivan", "Kuznetsov", "Call centre", "Call-centre operator", [STAFF], True, 400, "en"),
    ("anna", "Anna", "Popova", "Call centre", "Call-centre operator", [STAFF], True, 45, "en"),
    ("pavel", "Pavel", "Sokolov", "After-sales service", "Service engineer", [STAFF], True, 1900, "en"),
    ("dmitry", "Dmitry", "Volkov", "After-sales service", "Team lead", [MANAGER, STAFF], True, 2200, "en"),
    ("sergey", "Sergey", "Morozov", "Warehouse", "Storekeeper", [STAFF], False, 1100, "en"),
]


def seed(*, today: datetime.date | None = None) -> list[tuple[str, str, str]]:
    """Create the demo organisation; return (username, password, roles) for the logins."""
    today = today or timezone.localdate()
    departments = {
        name: Department.objects.get_or_create(name=name, defaults={"customer_facing": facing})[0]
        for name, facing in DEPARTMENTS
    }
    positions = {name: Position.objects.get_or_create(name=name)[0] for name in POSITIONS}
    logins = []
    for username, first, last, dept, position, roles, facing, days, language in PEOPLE:
        if not User.objects.filter(username=username).exists():
            services.employee_create(
                actor=None,
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@servicecraft.example",
                department=departments.get(dept),
                position=positions[position],
                hired_on=today - datetime.timedelta(days=days),
                customer_facing=facing,
                roles=roles,
                password=DEMO_PASSWORD,
                language=language,
            )
        logins.append((username, DEMO_PASSWORD, ", ".join(roles)))
    for department_name, head in [("Front desk", "manager"), ("After-sales service", "dmitry")]:
        Department.objects.filter(name=department_name, head__isnull=True).update(
            head=User.objects.get(username=head)
        )
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@servicecraft.example", DEMO_PASSWORD)
    logins.append(("admin", DEMO_PASSWORD, "superuser"))
    return logins


def demo_employees() -> list[Employee]:
    return list(Employee.objects.filter(user__username__in=[p[0] for p in PEOPLE]).select_related("user"))
