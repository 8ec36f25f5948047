from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_deadline_open_case_kind")]

    operations: list = []
