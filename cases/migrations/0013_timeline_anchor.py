"""Anchored timeline chains (docs/timeline.md): each subject's head (count, last hash), written with every
append; keyed checkpoints over all heads and the heads they saw; ChainCheck.break_kind.

Existing events get their heads in one set-based statement. On PostgreSQL, triggers: a head is never
deleted and only moves forward onto an event that exists with that seq and hash; checkpoints and their
entries are never updated or deleted; none of the four tables (nor the events) can be TRUNCATEd, unless
a superuser session says `SET zhiqian.timeline_truncate = 'allow'` (the test database's flush between
transactional tests; a superuser could drop the trigger anyway)."""

import django.db.models.deletion
from django.db import migrations, models

SUBJECTS = ("case", "complaint", "account", "region")

# cases.timeline.anchor.HEADS_BACKFILL, as of this migration
BACKFILL = """
INSERT INTO cases_timelinehead (subject_kind, subject_id, count, last_hash, updated_at)
SELECT kind, sid, seq, hash, CURRENT_TIMESTAMP FROM (
    SELECT CASE WHEN case_id IS NOT NULL THEN 'case' WHEN complaint_id IS NOT NULL THEN 'complaint'
                WHEN account_id IS NOT NULL THEN 'account' ELSE 'region' END AS kind,
           COALESCE(case_id, complaint_id, account_id, region_id) AS sid, seq, hash,
           ROW_NUMBER() OVER (
               PARTITION BY case_id, complaint_id, account_id, region_id ORDER BY seq DESC
           ) AS newest
    FROM cases_timelineevent
) AS last_events
WHERE newest = 1
ON CONFLICT (subject_kind, subject_id) DO NOTHING
"""

_EXISTS = (
    "EXISTS (SELECT 1 FROM cases_timelineevent WHERE {0}_id = NEW.subject_id AND seq = NEW.count"
    " AND hash = NEW.last_hash)"
)
_WHENS = "\n".join(f"        WHEN '{s}' THEN {_EXISTS.format(s)}" for s in SUBJECTS)

TRIGGERS = f"""
CREATE OR REPLACE FUNCTION cases_timeline_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('zhiqian.timeline_truncate', true) = 'allow'
       AND (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the timeline cannot be truncated (%)', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION cases_timeline_append_only_table() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% of id %)', TG_TABLE_NAME, TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION cases_timelinehead_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'timeline heads are never deleted (head id %)', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.subject_kind IS DISTINCT FROM OLD.subject_kind
                             OR NEW.subject_id IS DISTINCT FROM OLD.subject_id OR NEW.count <= OLD.count) THEN
        RAISE EXCEPTION 'timeline heads only move forward (head id %: #% to #%)', OLD.id, OLD.count, NEW.count
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT (CASE NEW.subject_kind
{_WHENS}
        ELSE false END) THEN
        RAISE EXCEPTION 'timeline head %:% #% is not an event of the chain', NEW.subject_kind, NEW.subject_id, NEW.count
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_timelinehead_guard BEFORE INSERT OR UPDATE OR DELETE ON cases_timelinehead
    FOR EACH ROW EXECUTE FUNCTION cases_timelinehead_guard();
CREATE TRIGGER cases_timelinecheckpoint_append_only BEFORE UPDATE OR DELETE ON cases_timelinecheckpoint
    FOR EACH ROW EXECUTE FUNCTION cases_timeline_append_only_table();
CREATE TRIGGER cases_timelinecheckpointentry_append_only BEFORE UPDATE OR DELETE ON cases_timelinecheckpointentry
    FOR EACH ROW EXECUTE FUNCTION cases_timeline_append_only_table();
""" + "".join(
    f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t}"
    " FOR EACH STATEMENT EXECUTE FUNCTION cases_timeline_no_truncate();\n"
    for t in ("cases_timelineevent", "cases_timelinehead", "cases_timelinecheckpoint", "cases_timelinecheckpointentry")
)

DROP = """
DROP TRIGGER IF EXISTS cases_timelineevent_no_truncate ON cases_timelineevent;
DROP TRIGGER IF EXISTS cases_timelinehead_no_truncate ON cases_timelinehead;
DROP TRIGGER IF EXISTS cases_timelinecheckpoint_no_truncate ON cases_timelinecheckpoint;
DROP TRIGGER IF EXISTS cases_timelinecheckpointentry_no_truncate ON cases_timelinecheckpointentry;
DROP TRIGGER IF EXISTS cases_timelinehead_guard ON cases_timelinehead;
DROP TRIGGER IF EXISTS cases_timelinecheckpoint_append_only ON cases_timelinecheckpoint;
DROP TRIGGER IF EXISTS cases_timelinecheckpointentry_append_only ON cases_timelinecheckpointentry;
DROP FUNCTION IF EXISTS cases_timelinehead_guard();
DROP FUNCTION IF EXISTS cases_timeline_append_only_table();
DROP FUNCTION IF EXISTS cases_timeline_no_truncate();
"""


def forwards(apps, schema_editor):
    schema_editor.execute(BACKFILL, params=None)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_timeline_account_subject")]

    operations = [
        migrations.CreateModel(
            name="TimelineCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("taken_at", models.DateTimeField()),
                ("heads", models.PositiveIntegerField()),
                ("events", models.BigIntegerField()),
                ("changed", models.PositiveIntegerField()),
                ("mac", models.CharField(max_length=64)),
            ],
            options={"verbose_name": "时间线检查点", "verbose_name_plural": "时间线检查点", "ordering": ["-id"]},
        ),
        migrations.AddField(
            model_name="chaincheck", name="break_kind", field=models.CharField(blank=True, max_length=24)
        ),
        migrations.CreateModel(
            name="TimelineHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "subject_kind",
                    models.CharField(choices=[(s, s) for s in SUBJECTS], max_length=9),
                ),
                ("subject_id", models.BigIntegerField()),
                ("count", models.PositiveIntegerField()),
                ("last_hash", models.CharField(max_length=64)),
                ("updated_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "时间线链头",
                "verbose_name_plural": "时间线链头",
                "constraints": [
                    models.UniqueConstraint(fields=("subject_kind", "subject_id"), name="timelinehead_subject"),
                    models.CheckConstraint(
                        condition=models.Q(("subject_kind__in", SUBJECTS)), name="timelinehead_kind"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="TimelineCheckpointEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("subject_kind", models.CharField(max_length=9)),
                ("subject_id", models.BigIntegerField()),
                ("count", models.PositiveIntegerField()),
                ("last_hash", models.CharField(max_length=64)),
                (
                    "checkpoint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="cases.timelinecheckpoint",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("subject_kind", "subject_id", "checkpoint"), name="timelinecheckpointentry_subject"
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
