"""The benchmark's building blocks, shared by every app's ``<app>/bench.py``.

``python manage.py bench --size small|large`` builds a synthetic company of the
named size, then times the main pages through Django's test client: p50/p95 over
N requests and the number of SQL queries each page runs, next to a one-query
"floor" view timed in the same run (the cost of Django itself on this machine).

Each app contributes a ``<app>/bench.py`` (found in INSTALLED_APPS order, so the
organisation comes first and the weekly report, which reads everything, last) with:

- ``build_dataset(*, size: Size, rng: random.Random) -> None`` that adds its rows
  (in bulk, idempotently: it may assume the apps before it have built theirs and is
  called once per fresh data set), and
- ``bench_pages() -> list[BenchPage]``, the pages to time (as a signed-in bench person, or
  as an anonymous visitor with ``username=VISITOR``).
"""

from __future__ import annotations

from dataclasses import dataclass

BENCH_MANAGER = "bench-manager"
BENCH_HR = "bench-hr"
BENCH_STAFF = "bench-staff"
# A page timed without signing in (a customer on the public complaint form).
VISITOR = None

# The ceiling on any page's HTML: a page over it is flagged in the output and the docs.
PAGE_SIZE_LIMIT_KB = 200


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
    # For the test that the bench runs (twice, in its own database): seconds, not minutes.
    "tiny": Size("tiny", employees=12, departments=2, customers=40, transactions=200, complaints=100),
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
    """A page to time: requested as the bench person ``username``, or anonymously when it is
    :data:`VISITOR` (None)."""

    name: str
    url: str
    username: str | None = BENCH_MANAGER

    @property
    def is_anonymous(self) -> bool:
        return self.username is VISITOR
