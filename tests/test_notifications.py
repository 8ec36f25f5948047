"""cases.notifications: the complainant's SMS outbox row is written in the state change's transaction,
sent after commit by the Celery task through the configured backend; failures are recorded and retried."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test.utils import override_settings

from cases import notifications
from cases.intake import complaint_submit, complaint_validate
from cases.models import Complaint, Notification
from cases.notifications import (
    MAX_ATTEMPTS,
    NotificationSendError,
    complainant_notify,
    notification_send,
)
from cases.tasks import notification_send as notification_send_task
from tests import world
from tests.factories import DROP, complaint_body

pytestmark = pytest.mark.django_db

FAILING = "tests.test_notifications.FailingBackend"


class FailingBackend:
    """An SMS gateway that is down."""

    calls = 0

    def send(self, *, to: str, body: str) -> None:
        FailingBackend.calls += 1
        raise ConnectionError("gateway timeout")


class RecordingBackend:
    sent: list[tuple[str, str]] = []

    def send(self, *, to: str, body: str) -> None:
        RecordingBackend.sent.append((to, body))


def body() -> dict:
    """A web complaint routed by its project's address (no region code)."""
    return complaint_body(
        employer={"name": "萍乡某建筑工程有限公司", "uscc": "91350100M000100Y43"},
        project__name="安源区某安置房项目",
        region_code=DROP,
        description="拖欠工资。",
    )


def submit() -> Complaint:
    return complaint_submit(actor=None, clean=complaint_validate(body()), channel="web")[0]


def test_the_received_notice_is_an_outbox_row_sent_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        complaint = submit()
    (notice,) = Notification.objects.filter(complaint=complaint)
    assert (notice.channel, notice.to, notice.event, notice.status) == ("sms", "13807990001", "received", "pending")
    assert complaint.receipt_no in notice.body and "后4位" in notice.body and "查询" in notice.body
    assert len(callbacks) == 1  # the send is queued for after commit, not done now
    assert notice.attempts == 0 and notice.sent_at is None


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    complaint = submit()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                complainant_notify(complaint=complaint, event="accepted")
                raise RuntimeError("the state change failed")
    assert callbacks == []
    assert not Notification.objects.filter(complaint=complaint, event="accepted").exists()


def test_the_console_backend_sends_it_after_commit(django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = submit()
    notice = Notification.objects.get(complaint=complaint)
    assert notice.status == Notification.Status.SENT and notice.attempts == 1 and notice.sent_at is not None
    out = capsys.readouterr().out
    assert "13807990001" in out and complaint.receipt_no in out


@override_settings(ZHIQIAN_SMS_BACKEND="tests.test_notifications.RecordingBackend")
def test_the_backend_is_chosen_by_setting(django_capture_on_commit_callbacks):
    RecordingBackend.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        complaint = submit()
    assert RecordingBackend.sent == [("13807990001", Notification.objects.get(complaint=complaint).body)]


def test_every_status_has_its_text():
    complaint = submit()
    complaint.decision_reason = "不属于劳动保障监察范围"
    texts = {}
    for event in ["accepted", "refused", "supplement_requested", "transferred", "investigating", "closed"]:
        texts[event] = complainant_notify(complaint=complaint, event=event).body
        assert complaint.receipt_no in texts[event] and texts[event].startswith("【劳动保障监察】")
    assert "不予受理" in texts["refused"] and "不属于劳动保障监察范围" in texts["refused"]
    assert "补充" in texts["supplement_requested"] and "不属于劳动保障监察范围" in texts["supplement_requested"]
    assert "安源区" in texts["transferred"] and "移送" in texts["transferred"]
    assert "已受理" in texts["accepted"] and "立案调查" in texts["investigating"] and "办结" in texts["closed"]
    assert "另一个理由" in complainant_notify(complaint=complaint, event="refused", reason="另一个理由").body
    assert Notification.objects.filter(complaint=complaint).count() == 8  # received, six statuses, refused again


def test_an_unknown_event_is_refused_and_no_phone_means_no_sms():
    complaint = submit()
    with pytest.raises(ValidationError):
        complainant_notify(complaint=complaint, event="deleted")
    complaint.complainant.phone = ""
    assert complainant_notify(complaint=complaint, event="accepted") is None


@override_settings(ZHIQIAN_SMS_BACKEND=FAILING)
def test_a_failed_send_records_the_error_and_raises_for_a_retry():
    notice = complainant_notify(complaint=submit(), event="accepted")
    with pytest.raises(NotificationSendError):
        notification_send(notification=notice)
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("pending", 1)
    assert notice.last_error == "ConnectionError: gateway timeout"


@override_settings(ZHIQIAN_SMS_BACKEND=FAILING)
def test_the_relay_retries_with_backoff_then_gives_up_as_failed(django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from cases.notifications import notifications_relay, retry_delay

    FailingBackend.calls = 0
    with django_capture_on_commit_callbacks(execute=True):
        complaint = submit()  # the commit itself does not fail: the in-process send after it is robust
    notice = Notification.objects.get(complaint=complaint)
    assert (notice.status, notice.attempts, FailingBackend.calls) == ("pending", 1, 1)
    now = timezone.now()
    assert notifications_relay(now=now)["retry"] == 0  # inside the backoff: not tried again yet
    assert FailingBackend.calls == 1
    for attempt in range(2, MAX_ATTEMPTS + 1):
        now += retry_delay(attempt - 1) + timedelta(seconds=1)
        notifications_relay(now=now)
        notice.refresh_from_db()
        assert (notice.attempts, FailingBackend.calls) == (attempt, attempt)
    assert (notice.status, notice.attempts, notice.sent_at) == ("failed", 5, None)
    assert "gateway timeout" in notice.last_error
    # Given up: neither the relay nor the task sends again.
    assert notifications_relay(now=now + timedelta(days=1))["sent"] == 0
    assert notification_send_task.apply(args=[notice.pk]).get() == "failed"
    assert FailingBackend.calls == 5


def test_the_backoff_doubles_up_to_an_hour():
    from datetime import timedelta

    from cases.notifications import retry_delay

    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert retry_delay(20) == timedelta(hours=1)


def test_the_task_sends_a_pending_row_once_and_a_sent_notice_is_not_sent_twice():
    with override_settings(ZHIQIAN_SMS_BACKEND=FAILING):
        notice = complainant_notify(complaint=submit(), event="closed")
        with pytest.raises(NotificationSendError):
            notification_send(notification=notice)
        assert notification_send_task.apply(args=[notice.pk]).get() == "pending"  # failed again, no raise
    assert notification_send_task.apply(args=[notice.pk]).get() == "sent"
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == ("sent", 3, "ConnectionError: gateway timeout")
    with override_settings(ZHIQIAN_SMS_BACKEND=FAILING):
        assert notification_send_task.apply(args=[notice.pk]).get() == "sent"  # not sent again
    notice.refresh_from_db()
    assert notice.attempts == 3
    assert notification_send_task.apply(args=[0]).get() == "missing"


def test_the_default_backend_is_the_console():
    from django.conf import settings

    assert settings.ZHIQIAN_SMS_BACKEND == notifications.DEFAULT_SMS_BACKEND
    assert isinstance(notifications.sms_backend(), notifications.ConsoleSMSBackend)


def test_pending_rows_are_sent_by_the_relay_and_the_old_sweep_task_is_the_relay():
    from cases.models import Notification
    from cases.notifications import notifications_relay
    from cases.tasks import notifications_resend_pending

    complaint = world.case_in("360302").complaints.first()
    first = Notification.objects.create(
        complaint=complaint, channel="sms", to="13807990001", event="received", body="x"
    )
    assert notifications_relay() == {"sent": 1, "failed": 0, "retry": 0, "skipped": 0, "unknown": 0}
    second = Notification.objects.create(
        complaint=complaint, channel="sms", to="13807990001", event="accepted", body="y"
    )
    assert notifications_resend_pending.apply().get()["sent"] == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.attempts, second.status, second.attempts) == ("sent", 1, "sent", 1)


def test_the_relay_command_runs_the_relay():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("notifications_relay", stdout=out)
    assert "sent=" in out.getvalue() and "unknown=" in out.getvalue()
