"""Thin Celery task of the coverage indicators: beat nightly (config/settings.py CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(ignore_result=True)
def coverage_refresh_task(count: int = 12) -> int:
    """Recount the snapshot of the last `count` months for every region."""
    from .compute import coverage_refresh

    return coverage_refresh(count=count)
