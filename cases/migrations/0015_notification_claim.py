from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_party_encryption")]

    operations: list = []
