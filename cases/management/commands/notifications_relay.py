"""Run the notification outbox relay once (what the beat task cases.tasks.notifications_relay does):
for the embedded mode without a Celery beat (cron), or by hand after a broker outage."""

from django.core.management.base import BaseCommand

from cases.notifications import notifications_relay


class Command(BaseCommand):
    help = "发送到期的待发送通知，并把发送中断的通知标记为结果不明（通知发件箱中继）"

    def handle(self, *args, **options):
        result = notifications_relay()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in result.items()))
