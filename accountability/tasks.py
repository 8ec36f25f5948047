"""Thin Celery tasks of the accountability app: each calls one service.

Beat (config/settings.py CELERY_BEAT_SCHEDULE): publications_compile quarterly (county, city) and
half-yearly (province); accountability_checks daily.
"""

from celery import shared_task


@shared_task(ignore_result=True)
def publications_compile(cadence: str = "quarterly") -> list[int]:
    """Compile the drafts of the period that just ended (idempotent per office and period)."""
    from .publication import publications_compile_due

    return [p.pk for p in publications_compile_due(cadence=cadence)]


@shared_task(ignore_result=True)
def accountability_checks() -> dict:
    """Cases overdue past the province's limit and group incidents without an accountability."""
    from .accountability import accountability_checks_run

    return accountability_checks_run()
