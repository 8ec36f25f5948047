"""Run the notification outbox relay once (what the beat task cases.tasks.notifications_relay does):
for the embedded mode without a Celery beat (cron), or by hand after a broker outage.

    manage.py notifications_relay                 # send due rows, flag stuck ones
    manage.py notifications_relay --requeue 12 13 # a person checked the gateway: send these again
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases.models import Notification
from cases.notifications import notification_requeue, notifications_relay


class Command(BaseCommand):
    help = "发送到期的待发送通知，并把发送中断的通知标记为结果不明（通知发件箱中继）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--requeue",
            nargs="+",
            type=int,
            metavar="ID",
            help="把这些发送失败或结果不明的通知重新置为待发送（先向短信网关核实未发出）",
        )

    def handle(self, *args, requeue=None, **options):
        for pk in requeue or []:
            notification = Notification.objects.filter(pk=pk).first()
            if notification is None:
                raise CommandError(f"通知 {pk} 不存在")
            try:
                notification_requeue(notification=notification, actor="manage.py notifications_relay")
            except ValidationError as exc:
                raise CommandError(f"通知 {pk}：{'；'.join(exc.messages)}") from exc
        result = notifications_relay()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in result.items()))
