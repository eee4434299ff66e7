"""Demo customers with two years of purchases, so the dashboard is alive on first run.

About 3,000 customers in three segments buy at their own pace and, at some point,
many of them stop (the BG/NBD story: a purchase rate per customer and a chance of
dropping out after each purchase). Some business customers have contracts with an
end date. The complaints seeder, which runs after this one, links some complaints
to these customers; the metrics seeder, after every other app, computes a first snapshot.

Idempotent: rows are keyed by ``external_id`` (``DEMO-…``); a second run finds the
customers there and changes nothing.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from customers.models import Customer, Purchase

PREFIX = "DEMO-"
CUSTOMERS = 3000
SEED = 20240601
FIRST_NAMES = [
    "Anna",
    "Boris",
    "Vera",
    "Gleb",
    "Daria",
    "Egor",
    "Irina",
    "Kirill",
    "Lena",
    "Maxim",
    "Nina",
    "Oleg",
    "Polina",
    "Roman",
    "Sofia",
    "Timur",
    "Uliana",
    "Fedor",
    "Yana",
    "Zakhar",
]
LAST_NAMES = [
    "Ivanova",
    "Petrov",
    "Smirnova",
    "Kuznetsov",
    "Popova",
    "Sokolov",
    "Lebedeva",
    "Kozlov",
    "Novikova",
    "Morozov",
    "Volkova",
    "Alekseev",
    "Pavlova",
    "Semenov",
    "Golubeva",
    "Vinogradov",
]
# segment: (share of customers, purchases a month, typical amount, chance of leaving after a purchase)
SEGMENTS = {
    "retail": (0.70, 1.0, 40.0, 0.10),
    "online": (0.18, 1.4, 60.0, 0.14),
    "business": (0.12, 0.8, 300.0, 0.05),
}
BATCH = 2000
# Most customers agreed to feedback emails when they signed up; some chose Russian.
CONSENT_SHARE = 0.85
RUSSIAN_SHARE = 0.3


def seed(*, today: datetime.date | None = None) -> None:
    if Customer.objects.filter(external_id__startswith=PREFIX).exists():
        return
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    # Consent and language draw from their own generator: the purchase history stays as it was.
    contact_rng = random.Random(SEED + 1)
    start = today - datetime.timedelta(days=730)
    customers, plans = [], []
    for i in range(1, CUSTOMERS + 1):
        segment = rng.choices(list(SEGMENTS), weights=[s[0] for s in SEGMENTS.values()])[0]
        _share, rate, amount, dropout = SEGMENTS[segment]
        first_seen = start + datetime.timedelta(days=rng.randrange(0, 700))
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        external_id = f"{PREFIX}C{i:05d}"
        purchases = _purchase_days(rng, first_seen, today, rate * rng.gammavariate(2, 0.5), dropout)
        churned_on = None
        if segment == "business" and purchases and rng.random() < 0.5:
            contract_end = purchases[-1] + datetime.timedelta(days=30)
            churned_on = contract_end if contract_end < today - datetime.timedelta(days=60) else None
        customers.append(
            Customer(
                external_id=external_id,
                name=f"{first} {last}",
                email=f"{first}.{last}.{i}@example.com".lower(),
                segment=segment,
                first_seen=first_seen,
                churned_on=churned_on,
                email_consent="yes" if contact_rng.random() < CONSENT_SHARE else "",
                language="ru" if contact_rng.random() < RUSSIAN_SHARE else "",
            )
        )
        plans.append((external_id, purchases, amount))
    Customer.objects.bulk_create(customers, batch_size=BATCH, ignore_conflicts=True)
    ids = dict(Customer.objects.filter(external_id__startswith=PREFIX).values_list("external_id", "pk"))
    rows = []
    for external_id, days, amount in plans:
        for n, day in enumerate(days):
            value = Decimal(str(round(amount * rng.lognormvariate(0, 0.4), 2)))
            rows.append(
                Purchase(
                    external_id=f"{external_id}-T{n:03d}",
                    customer_id=ids[external_id],
                    date=day,
                    amount=value,
                )
            )
            if len(rows) >= BATCH:
                Purchase.objects.bulk_create(rows, ignore_conflicts=True)
                rows = []
    Purchase.objects.bulk_create(rows, ignore_conflicts=True)


def _purchase_days(
    rng: random.Random, first_seen: datetime.date, today: datetime.date, monthly_rate: float, dropout: float
) -> list[datetime.date]:
    """Purchase days of one customer: exponential gaps, and after each purchase a chance to leave."""
    days = [first_seen]
    day = first_seen
    while rng.random() > dropout:
        gap = rng.expovariate(max(monthly_rate, 0.05) / 30.4)
        day = day + datetime.timedelta(days=max(1, round(gap)))
        if day >= today:
            break
        days.append(day)
    return days
