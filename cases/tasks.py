"""Thin Celery tasks: take ids, call one service."""

from celery import shared_task


@shared_task(ignore_result=False)
def timeline_verify() -> dict:
    from cases.services import timeline_check_record

    check = timeline_check_record()
    return {
        "id": check.pk,
        "ok": check.ok,
        "chains": check.chains,
        "events": check.events,
        "first_broken": check.first_broken,
    }
