"""Thin Celery tasks of the flows."""

from celery import shared_task


@shared_task(ignore_result=True)
def sweep_deadlines() -> dict:
    """The minute sweep; with ZHIQIAN_SWEEP_HELPERS, that many helper tasks on other workers share it."""
    from django.conf import settings
    from django.utils import timezone

    from cases.tasks import deadlines_sweep_help

    from .sweep import sweep

    now = timezone.now()
    for _ in range(settings.ZHIQIAN_SWEEP_HELPERS):
        deadlines_sweep_help.delay(now.isoformat())
    return sweep(now=now)


@shared_task(ignore_result=True)
def earlywarning_daily() -> dict:
    """Daily: the monthly wage check of the projects whose pay day passed, and the other signal sources."""
    from .earlywarning.starts import signals_daily

    return signals_daily()
