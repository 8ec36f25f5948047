"""Two more timeline subjects: a staff account's own chain (`account`) and a region's administration
chain (`region`). Nullable foreign keys without an index of their own (the partial unique (subject, seq)
indexes serve the look-ups, as for cases and complaints); the check constraint now says exactly one of
the four subjects is set."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SUBJECTS = ("account", "case", "complaint", "region")


def _only(subject: str) -> models.Q:
    return models.Q(*[(f"{other}__isnull", other != subject) for other in SUBJECTS])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_deadline_open_case_kind"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="timelineevent", name="timelineevent_one_subject"),
        migrations.AddField(
            model_name="timelineevent",
            name="account",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="account_events",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="timelineevent",
            name="region",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="admin_events",
                to="cases.region",
            ),
        ),
        migrations.AddConstraint(
            model_name="timelineevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    _only("case"), _only("complaint"), _only("account"), _only("region"), _connector="OR"
                ),
                name="timelineevent_one_subject",
            ),
        ),
        migrations.AddConstraint(
            model_name="timelineevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("account__isnull", False)),
                fields=("account", "seq"),
                name="timelineevent_account_seq",
            ),
        ),
        migrations.AddConstraint(
            model_name="timelineevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("region__isnull", False)),
                fields=("region", "seq"),
                name="timelineevent_region_seq",
            ),
        ),
    ]
