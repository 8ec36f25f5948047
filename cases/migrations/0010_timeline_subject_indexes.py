"""The timeline's case_id and complaint_id lose their single-column indexes: the unique partial
indexes (case_id, seq) and (complaint_id, seq) already serve every look-up by subject (`case_id = ?`
implies NOT NULL), and each index more is written on every append. Only the indexes are dropped: the
foreign keys stay as they are (AlterField would drop and re-validate them over the whole table)."""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "cases_timelineevent_case_id_1bfb12ab": "case_id",
    "cases_timelineevent_complaint_id_e3652392": "complaint_id",
}


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_lookup_and_refresh_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="timelineevent",
                    name=name,
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to=f"cases.{name}",
                    ),
                )
                for name in ("case", "complaint")
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {index}",
                    f"CREATE INDEX IF NOT EXISTS {index} ON cases_timelineevent ({column})",
                )
                for index, column in INDEXES.items()
            ],
        )
    ]
