"""The demo customers: two years of purchases, some churned, and idempotent."""

from __future__ import annotations

import datetime

from customers import demo
from customers.models import Customer, Purchase

TODAY = datetime.date(2026, 11, 25)


def test_it_seeds_customers_with_two_years_of_purchases_once(db):
    demo.seed(today=TODAY)
    customers, purchases = Customer.objects.count(), Purchase.objects.count()
    assert customers == demo.CUSTOMERS
    assert purchases > 5 * customers
    first = Purchase.objects.order_by("date").first().date
    assert (TODAY - first).days > 600
    assert Customer.objects.filter(churned_on__isnull=False).exists()
    assert set(Customer.objects.values_list("segment", flat=True).distinct()) == set(demo.SEGMENTS)

    demo.seed(today=TODAY)
    assert (Customer.objects.count(), Purchase.objects.count()) == (customers, purchases)
