"""The notification outbox's claim (a row is sent at most once): SENDING and UNKNOWN states, the
claim time, and an index for the stuck-sender check."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_party_encryption")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="notification",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "待发送"),
                    ("sending", "发送中"),
                    ("sent", "已发送"),
                    ("failed", "发送失败"),
                    ("unknown", "发送结果不明"),
                ],
                default="pending",
                max_length=8,
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("status", "sending")), fields=["claimed_at"], name="notification_sending"
            ),
        ),
    ]
