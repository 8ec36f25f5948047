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
        "break_kind": check.break_kind,
    }


@shared_task(ignore_result=False)
def timeline_checkpoint() -> dict:
    """The hourly keyed checkpoint over every timeline head: a row, an exported file, an optional push."""
    from cases.timeline import timeline_checkpoint_take

    taken = timeline_checkpoint_take()
    return {"id": taken.checkpoint.pk, "heads": taken.checkpoint.heads, "file": str(taken.path), "pushed": taken.pushed}


@shared_task(ignore_result=True)
def notification_send(notification_id: int) -> str:
    """Send one outbox notification if it is still PENDING (claimed first: at most once). No Celery
    retry: a failed attempt goes back to PENDING and the relay retries it after the backoff."""
    from cases.models import Notification
    from cases.notifications import NotificationSendError
    from cases.notifications import notification_send as send

    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        return "missing"
    try:
        return send(notification=notification).status
    except NotificationSendError:
        return Notification.Status.PENDING


@shared_task(ignore_result=True)
def notifications_relay() -> dict:
    """The outbox relay (beat, every few seconds): sends due PENDING rows, flags stuck ones."""
    from cases.notifications import notifications_relay as relay

    return relay()


@shared_task(ignore_result=True)
def notifications_resend_pending() -> dict:
    """The old sweep's name (beat schedules of running deployments): now the relay."""
    from cases.notifications import notifications_relay as relay

    return relay()


@shared_task(ignore_result=True)
def dashboard_refresh(days: int | None = 2) -> int:
    """Recompute the dashboard's day (and month) rows of the last `days` local days — 2: yesterday
    and today — or of every day when `days` is None (a nightly full rebuild, year by year)."""
    from cases.dashboard import stats_rebuild, stats_refresh_recent

    return stats_rebuild() if days is None else stats_refresh_recent(days=days)


@shared_task(ignore_result=True)
def deadlines_sweep_help(now: str) -> int:
    """A second pair of hands for the minute sweep as of `now` (ISO 8601): takes due deadlines from the
    same queue (SKIP LOCKED) until none is left."""
    from datetime import datetime

    from cases.deadlines import deadlines_sweep

    result = deadlines_sweep(now=datetime.fromisoformat(now))
    return result.overdue + result.warned
