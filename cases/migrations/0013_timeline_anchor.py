from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_timeline_account_subject")]

    operations: list = []
