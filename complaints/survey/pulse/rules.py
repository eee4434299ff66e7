"""The pulse survey's sampling rules, as pure functions (no database, no clock).

A fair sample: every customer who may be asked has the same chance (a simple random
sample), or — when the company asks for strata — each segment gets its share of the
sample in proportion to its size and a simple random sample inside it, so a small
segment is neither missed by chance nor over-asked. The draw takes a
:class:`random.Random`, so a seed reproduces it. The figures (the share asked each
week or a fixed number) are ``PULSE_SAMPLE_RATE`` / ``PULSE_SAMPLE_SIZE`` in
:mod:`common.programme` (our choice).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence


def sample_size(*, eligible: int, rate: float, size: int | None) -> int:
    """How many of ``eligible`` customers to ask: ``size`` when set (at most all of them),
    else the share ``rate`` rounded up (a small company still asks someone each week).

    10 % of 30 → 3; of 31 → 4; a size of 50 with 20 eligible → 20.
    """
    if eligible <= 0:
        return 0
    if size is not None:
        return max(0, min(size, eligible))
    share = min(max(rate, 0.0), 1.0)
    # Rounded first: 30 × 0.1 is 3.0000000000000004 in floating point, which is 3, not 4.
    return min(eligible, math.ceil(round(eligible * share, 9)))


def allocate(strata: Mapping[str, int], total: int) -> dict[str, int]:
    """Share ``total`` among strata in proportion to their sizes (largest remainder).

    Each stratum gets the whole part of its quota; what is left goes one by one to the
    largest fractional parts (ties: the larger stratum, then the name), so the parts
    add up to ``total`` and none exceeds its stratum. {"a": 60, "b": 30, "c": 10},
    total 7 → {"a": 4, "b": 2, "c": 1}.
    """
    population = sum(strata.values())
    total = min(total, population)
    if population <= 0 or total <= 0:
        return dict.fromkeys(strata, 0)
    quotas = {name: total * size / population for name, size in strata.items()}
    parts = {name: math.floor(round(quota, 9)) for name, quota in quotas.items()}
    left = total - sum(parts.values())
    order = sorted(strata, key=lambda name: (-(quotas[name] - parts[name]), -strata[name], name))
    for name in order[:left]:
        parts[name] += 1
    return parts


def draw(candidates: Mapping[str, Sequence[int]], sizes: Mapping[str, int], rng: random.Random) -> list[int]:
    """A simple random sample of ``sizes[stratum]`` ids from each stratum's candidates.

    Candidates are sorted first, so the same candidates and the same seed give the same
    sample whatever order the database returned them in. Returns the ids, sorted.
    """
    chosen: list[int] = []
    for stratum in sorted(candidates):
        pool = sorted(candidates[stratum])
        chosen.extend(rng.sample(pool, min(sizes.get(stratum, 0), len(pool))))
    return sorted(chosen)


def stratum_of(segment: str, stratify_by: str) -> str:
    """The stratum a customer is drawn in: their segment, or "" (everyone) without strata."""
    return segment if stratify_by == "segment" else ""
