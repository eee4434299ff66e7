"""The standards library at benchmark size: ``manage.py bench`` builds and times it.

At the large size: 300 published standards (a third for all customer-facing staff,
the rest for one or two departments) over 5,000 employees, with about 70 % of the
people each standard affects having acknowledged it.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from common.bench import BENCH_MANAGER, BENCH_STAFF, BenchPage, Size
from people.models import Department, Employee
from standards import rules, services
from standards.models import (
    Acknowledgement,
    Standard,
    StandardStatus,
    StandardStep,
    StandardVersion,
    VersionStatus,
)

BATCH = 5000
CATEGORIES = [
    "greeting",
    "phone",
    "complaint_acceptance",
    "promises",
    "addressing",
    "farewell",
    "after_sales",
]


def _standard_count(size: Size) -> int:
    return 300 if size.employees >= 5000 else 40


def build_dataset(*, size: Size, rng: random.Random) -> None:
    if Standard.objects.filter(code__startswith="BENCH-").exists():
        return
    owner = get_user_model().objects.get(username=BENCH_MANAGER)
    departments = list(Department.objects.filter(name__startswith="Bench department"))
    now = timezone.now()
    count = _standard_count(size)
    standards = Standard.objects.bulk_create(
        [
            Standard(
                code=f"BENCH-{i:04d}",
                title=f"Bench standard {i}",
                category=CATEGORIES[i % len(CATEGORIES)],
                applies_to_all_customer_facing=i % 3 == 0,
                owner=owner,
                status=StandardStatus.PUBLISHED,
            )
            for i in range(count)
        ]
    )
    standards = list(Standard.objects.filter(code__startswith="BENCH-").order_by("code"))
    links = []
    for standard in standards:
        if not standard.applies_to_all_customer_facing:
            for department in rng.sample(departments, k=min(2, len(departments))):
                links.append(
                    Standard.departments.through(standard_id=standard.pk, department_id=department.pk)
                )
    Standard.departments.through.objects.bulk_create(links, batch_size=BATCH)
    versions = []
    for standard in standards:
        published = now - datetime.timedelta(days=rng.randrange(1, 500))
        versions.append(
            StandardVersion(
                standard=standard,
                status=VersionStatus.PUBLISHED,
                major_number=1,
                minor_number=0,
                body=f"Body of {standard.code}: greet, listen, promise conservatively.",
                created_by=owner,
                published_by=owner,
                published_at=published,
                major_published_on=published.date(),
                content_hash="0" * 64,
            )
        )
    StandardVersion.objects.bulk_create(versions, batch_size=BATCH)
    versions = {v.standard_id: v for v in StandardVersion.objects.filter(standard__in=standards)}
    StandardStep.objects.bulk_create(
        [
            StandardStep(version=version, order=order, text=f"Step {order}", customer_benefit="It helps.")
            for version in versions.values()
            for order in range(1, 6)
        ],
        batch_size=BATCH,
    )
    for standard in standards:
        version = versions[standard.pk]
        standard.current_version = version
        standard.last_reviewed_at = version.published_at
        standard.next_review_due = rules.next_review_due(
            last_reviewed_on=version.major_published_on, interval_months=12
        )
    Standard.objects.bulk_update(
        standards, ["current_version", "last_reviewed_at", "next_review_due"], batch_size=BATCH
    )
    _build_acknowledgements(standards, versions, rng)
    # Written in bulk, not through the services: the pages read the stored coverage.
    services.acknowledgement_standings_rebuild()
    if connection.vendor == "postgresql":
        # Fresh bulk loads have no planner statistics yet; production's autovacuum would have them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE standards_acknowledgement, standards_standardversion")
            cursor.execute("ANALYZE people_employee")


def _build_acknowledgements(standards, versions, rng: random.Random) -> None:
    User = get_user_model()
    employees = list(
        Employee.objects.active().values_list("pk", "user_id", "department_id", "customer_facing")
    )
    names = dict(User.objects.filter(username__startswith="bench-").values_list("pk", "username"))
    department_ids: dict[int, set[int]] = {}
    for standard_id, department_id in Standard.departments.through.objects.filter(
        standard__in=standards
    ).values_list("standard_id", "department_id"):
        department_ids.setdefault(standard_id, set()).add(department_id)
    batch = []
    for standard in standards:
        version = versions[standard.pk]
        for employee_id, user_id, department_id, customer_facing in employees:
            applies = (standard.applies_to_all_customer_facing and customer_facing) or (
                department_id in department_ids.get(standard.pk, ())
            )
            if applies and rng.random() < 0.7:
                batch.append(
                    Acknowledgement(
                        employee_id=employee_id,
                        version=version,
                        signed_by_id=user_id,
                        printed_name=names.get(user_id, ""),
                        content_hash=version.content_hash,
                        meaning="bench",
                        signed_at=version.published_at + datetime.timedelta(days=2),
                    )
                )
            if len(batch) >= BATCH:
                Acknowledgement.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
    Acknowledgement.objects.bulk_create(batch, ignore_conflicts=True)


def bench_pages() -> list[BenchPage]:
    first = Standard.objects.filter(code__startswith="BENCH-", applies_to_all_customer_facing=True).first()
    pages = [
        BenchPage("standards: library", "/standards/"),
        BenchPage("standards: library search", "/standards/?q=greet&sort=review"),
        BenchPage("standards: coverage", "/standards/coverage/"),
        BenchPage("standards: my standards (staff)", "/standards/mine/", username=BENCH_STAFF),
    ]
    if first:
        pages += [
            BenchPage("standards: one standard", f"/standards/{first.pk}/"),
            BenchPage("standards: who acknowledged", f"/standards/{first.pk}/coverage/"),
        ]
    return pages
