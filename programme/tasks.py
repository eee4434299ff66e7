"""Background jobs of the programme: ids (or nothing) in, one service call, idempotent."""

from __future__ import annotations

from celery import shared_task

from programme import services


@shared_task(name="programme.check_effectiveness")
def check_effectiveness() -> int:
    """Daily: schedule the checks of newly done actions, measure the due ones (each claimed
    once); returns how many were measured."""
    return services.effectiveness_checks_run()


@shared_task(name="programme.record_actuals")
def record_actuals() -> int:
    """Nightly, after the metrics recompute: the months' actuals the targets are judged on."""
    return services.monthly_actuals_refresh()
