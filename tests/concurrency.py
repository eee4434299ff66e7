"""Run pieces of work at the same moment, each in a thread with its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Outcome:
    results: list = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)


def run_at_once(*works: Callable[[], object]) -> Outcome:
    """Start every ``work`` together (a barrier), wait for all, and return what they returned
    and what they raised; each thread closes its connection when done."""
    from django.db import connection

    barrier = threading.Barrier(len(works))
    outcome = Outcome()

    def run(work) -> None:
        try:
            barrier.wait()
            outcome.results.append(work())
        except Exception as error:  # reported to the caller, which asserts on it
            outcome.errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome
