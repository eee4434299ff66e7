"""Benchmark data: customers and their purchases (see ``common/bench.py``).

At ``large`` that is 100k customers and 2M purchases over two years; each customer
buys at their own rate until they drop out, so churn, cohorts and the BG/NBD fit
see realistic data; the complaints bench, which comes after, links complaints to them.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from common.bench import BenchPage, Size
from customers.models import Customer, Purchase

BATCH = 10_000
SEGMENTS = [("retail", 0.7, 40.0), ("online", 0.2, 60.0), ("business", 0.1, 300.0)]


def build_dataset(*, size: Size, rng: random.Random) -> None:
    today = timezone.localdate()
    start = today - datetime.timedelta(days=730)
    plans = []
    customers = []
    for i in range(size.customers):
        segment, _share, amount = rng.choices(SEGMENTS, weights=[s[1] for s in SEGMENTS])[0]
        first_seen = start + datetime.timedelta(days=rng.randrange(0, 720))
        lifetime = min((today - first_seen).days, int(rng.expovariate(1 / 300)) + 1)
        churned_on = None
        if segment == "business" and lifetime < (today - first_seen).days and rng.random() < 0.5:
            churned_on = first_seen + datetime.timedelta(days=lifetime)
        customers.append(
            Customer(
                external_id=f"B{i:06d}",
                name=f"Bench customer {i:06d}",
                email=f"bench{i:06d}@example.com",
                phone=f"+7 900 {i:07d}",
                segment=segment,
                first_seen=first_seen,
                churned_on=churned_on,
            )
        )
        plans.append((first_seen, lifetime, rng.gammavariate(2, 1.0), amount))
        if len(customers) >= BATCH:
            Customer.objects.bulk_create(customers, ignore_conflicts=True)
            customers = []
    Customer.objects.bulk_create(customers, ignore_conflicts=True)
    ids = list(
        Customer.objects.filter(external_id__startswith="B")
        .order_by("external_id")
        .values_list("pk", flat=True)
    )
    weights = [(lifetime + 30) * rate for _seen, lifetime, rate, _amount in plans]
    scale = size.transactions / sum(weights)
    purchases = []
    number = 0
    for customer_id, (first_seen, lifetime, _rate, amount), weight in zip(ids, plans, weights, strict=True):
        count = max(1, round(weight * scale))
        for _ in range(count):
            if number >= size.transactions:
                break
            day = first_seen + datetime.timedelta(days=rng.randrange(0, lifetime + 1))
            purchases.append(
                Purchase(
                    external_id=f"BT{number:08d}",
                    customer_id=customer_id,
                    date=day,
                    amount=Decimal(f"{amount * rng.lognormvariate(0, 0.4):.2f}"),
                )
            )
            number += 1
            if len(purchases) >= BATCH:
                Purchase.objects.bulk_create(purchases, ignore_conflicts=True)
                purchases = []
    Purchase.objects.bulk_create(purchases, ignore_conflicts=True)
    if connection.vendor == "postgresql":
        # Fresh statistics, so that the picker's prefix lookups plan index range scans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE customers_customer")
            cursor.execute("ANALYZE customers_purchase")


def bench_pages() -> list[BenchPage]:
    # The customer with the most purchases: the longest purchase history the page sums.
    busiest = (
        Purchase.objects.filter(customer__external_id__startswith="B")
        .values("customer_id")
        .annotate(count=Count("id"))
        .order_by("-count")
        .values_list("customer_id", flat=True)
        .first()
    )
    if busiest is None:
        return []
    return [
        BenchPage("customers: customer page (most purchases)", f"/customers/{busiest}/"),
    ]
