"""Thin Celery tasks of the flows."""

from celery import shared_task


@shared_task(ignore_result=True)
def sweep_deadlines() -> dict:
    from .sweep import sweep

    return sweep()
