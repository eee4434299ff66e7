"""The sampling arithmetic of the pulse survey, by hand."""

from __future__ import annotations

import random

import pytest

from complaints.survey.pulse import rules


@pytest.mark.parametrize(
    ("eligible", "rate", "size", "expected"),
    [
        (0, 0.1, None, 0),
        (30, 0.1, None, 3),  # 30 × 0.1 is 3.0000000000000004 in floating point: still 3
        (31, 0.1, None, 4),  # 3.1 rounded up
        (4, 0.1, None, 1),  # a small company still asks someone
        (10, 1.0, None, 10),
        (10, 2.0, None, 10),  # a share above 1 asks everybody, no more
        (10, 0.0, None, 0),
        (20, 0.1, 50, 20),  # a fixed size, fewer eligible
        (200, 0.1, 50, 50),  # the size wins over the rate
    ],
)
def test_it_sizes_the_sample(eligible, rate, size, expected):
    assert rules.sample_size(eligible=eligible, rate=rate, size=size) == expected


def test_it_allocates_in_proportion_with_the_largest_remainders():
    # Quotas 4.2, 2.1, 0.7: whole parts 4, 2, 0 — the one left goes to the largest remainder (c).
    assert rules.allocate({"a": 60, "b": 30, "c": 10}, 7) == {"a": 4, "b": 2, "c": 1}


def test_it_allocates_exactly_the_total_and_never_more_than_a_stratum():
    strata = {"retail": 701, "online": 180, "business": 119, "": 0}
    for total in range(0, 1001, 37):
        parts = rules.allocate(strata, total)
        assert sum(parts.values()) == total
        assert all(parts[name] <= size for name, size in strata.items())


def test_it_breaks_remainder_ties_by_size_then_name():
    # Quotas 1.5 and 1.5: one each, the last one goes to "a" (equal sizes, first name).
    assert rules.allocate({"b": 3, "a": 3}, 3) == {"a": 2, "b": 1}


def test_it_allocates_nothing_to_an_empty_population():
    assert rules.allocate({"a": 0}, 5) == {"a": 0}


def test_it_draws_the_same_sample_with_the_same_seed_whatever_the_order():
    candidates = {"a": list(range(100)), "b": list(range(100, 130))}
    shuffled = {"a": list(reversed(range(100))), "b": list(range(129, 99, -1))}
    sizes = {"a": 10, "b": 3}
    first = rules.draw(candidates, sizes, random.Random(42))
    assert first == rules.draw(shuffled, sizes, random.Random(42))
    assert len(first) == 13 and len(set(first)) == 13
    assert sum(1 for pk in first if pk >= 100) == 3
    assert first != rules.draw(candidates, sizes, random.Random(43))


def test_it_draws_every_customer_with_the_same_chance():
    # 20,000 draws of 10 out of 40: each id is drawn about 5,000 times (± 4 %).
    rng = random.Random(7)
    counts = dict.fromkeys(range(40), 0)
    for _ in range(20_000):
        for pk in rules.draw({"": list(range(40))}, {"": 10}, rng):
            counts[pk] += 1
    assert min(counts.values()) > 4800 and max(counts.values()) < 5200


def test_it_names_the_stratum_of_a_customer():
    assert rules.stratum_of("retail", "segment") == "retail"
    assert rules.stratum_of("retail", "") == ""
