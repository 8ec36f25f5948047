"""Exactly-once notices (security issue item 4): a sender claims the outbox row before it calls the SMS
gateway, so the same row queued twice, the relay racing a task, or the relay running twice sends it at
most once, and `attempts` counts real attempts. A row whose sender died mid-send is flagged, not resent."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from cases.models import Notification
from cases.notifications import (
    SENDING_TIMEOUT,
    notification_requeue,
    notification_send,
    notifications_relay,
)
from cases.tasks import notification_send as notification_send_task
from tests import world

BACKEND = "tests.test_notification_once.InterleavingBackend"


class InterleavingBackend:
    """Records each SMS; `during_send` (if set) runs inside the first send, i.e. while the first
    sender holds the row between its status check and its status save."""

    sent: list[tuple[str, str]] = []
    during_send = None
    delay = 0.0

    def send(self, *, to: str, body: str) -> None:
        hook, InterleavingBackend.during_send = InterleavingBackend.during_send, None
        if hook is not None:
            hook()
        if InterleavingBackend.delay:
            time.sleep(InterleavingBackend.delay)
        InterleavingBackend.sent.append((to, body))


@pytest.fixture
def backend():
    InterleavingBackend.sent = []
    InterleavingBackend.during_send = None
    InterleavingBackend.delay = 0.0
    with override_settings(ZHIQIAN_SMS_BACKEND=BACKEND):
        yield InterleavingBackend


def pending_row(body: str = "x") -> Notification:
    complaint = world.case_in("360302").complaints.first()
    return Notification.objects.create(
        complaint=complaint, channel="sms", to="13807990001", event="accepted", body=body
    )


@pytest.mark.django_db
def test_the_same_row_queued_twice_is_sent_once_when_the_second_runs_mid_send(backend):
    row = pending_row()
    seen = {}

    def second_task():  # the duplicate task (or the relay) runs while the first is talking to the gateway
        seen["second"] = notification_send_task.apply(args=[row.pk]).get()
        seen["relay"] = notifications_relay()

    backend.during_send = second_task
    assert notification_send_task.apply(args=[row.pk]).get() == "sent"
    assert seen["second"] == "sending"  # lost the claim: did not send
    assert seen["relay"]["sent"] == 0 and seen["relay"]["skipped"] == 0  # a claimed row is not due
    row.refresh_from_db()
    assert backend.sent == [("13807990001", "x")]
    assert (row.status, row.attempts) == ("sent", 1)


@pytest.mark.django_db
def test_a_claim_is_won_once_and_counts_the_attempt(backend):
    from cases.notifications import notification_claim

    row = pending_row()
    assert notification_claim(notification_id=row.pk) is True
    assert notification_claim(notification_id=row.pk) is False
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sending", 1) and row.claimed_at is not None
    assert notification_send(notification=row).status == "sending" and backend.sent == []


@pytest.mark.django_db
def test_a_row_stuck_in_sending_is_flagged_unknown_not_resent_and_a_person_can_requeue_it(backend):
    row = pending_row()
    claimed = timezone.now() - SENDING_TIMEOUT - timedelta(seconds=1)
    Notification.objects.filter(pk=row.pk).update(status="sending", attempts=1, claimed_at=claimed)
    result = notifications_relay()
    row.refresh_from_db()
    assert result["unknown"] == 1 and result["sent"] == 0 and backend.sent == []
    assert (row.status, row.attempts) == ("unknown", 1) and "不明" in row.last_error
    assert notifications_relay()["sent"] == 0 and backend.sent == []  # still not resent
    notification_requeue(notification=row, actor=world.user("clerk", "360302"))
    assert notifications_relay()["sent"] == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, len(backend.sent)) == ("sent", 2, 1)


@pytest.mark.django_db
def test_a_fresh_claim_is_left_alone_and_only_unknown_or_failed_rows_are_requeued(backend):
    from django.core.exceptions import ValidationError

    row = pending_row()
    Notification.objects.filter(pk=row.pk).update(status="sending", attempts=1, claimed_at=timezone.now())
    assert notifications_relay() == {"sent": 0, "failed": 0, "retry": 0, "skipped": 0, "unknown": 0}
    with pytest.raises(ValidationError) as err:
        notification_requeue(notification=row, actor=None)
    assert "status" in err.value.message_dict


def _race(row_ids: list[int], senders: int) -> None:
    barrier = threading.Barrier(senders)
    errors = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            for pk in row_ids if n % 2 else reversed(row_ids):
                if n % 3 == 0:
                    notifications_relay()
                else:
                    notification_send_task.apply(args=[pk]).get()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_tasks_and_relays_racing_on_postgresql_send_each_row_once(on_postgres, backend):
    from cases.regions import regions_load

    regions_load(province="360000")
    world.make_case("360302")
    rows = [pending_row(body=f"row {i}").pk for i in range(20)]
    backend.delay = 0.01  # a slow gateway widens the window between the check and the save
    _race(rows, senders=6)
    sent = sorted(b for _, b in backend.sent if b.startswith("row "))  # (the case's own notice was sent at commit)
    assert sent == sorted(f"row {i}" for i in range(20))
    assert set(Notification.objects.filter(pk__in=rows).values_list("status", "attempts")) == {("sent", 1)}


@pytest.mark.django_db
def test_the_relay_command_requeues_what_a_person_checked(backend):
    from io import StringIO

    from django.core.management import CommandError, call_command

    row = pending_row()
    Notification.objects.filter(pk=row.pk).update(status="unknown", attempts=1)
    out = StringIO()
    call_command("notifications_relay", "--requeue", str(row.pk), stdout=out)
    row.refresh_from_db()
    assert (row.status, row.attempts, len(backend.sent)) == ("sent", 2, 1) and "sent=1" in out.getvalue()
    with pytest.raises(CommandError, match="待发送|失败|不明"):
        call_command("notifications_relay", "--requeue", str(row.pk))  # sent: not again
    with pytest.raises(CommandError, match="不存在"):
        call_command("notifications_relay", "--requeue", "0")
