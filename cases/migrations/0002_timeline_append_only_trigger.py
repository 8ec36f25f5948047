"""On PostgreSQL, reject UPDATE and DELETE of timeline events in the database itself."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION cases_timelineevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'timeline events are append-only (% of event id %)', TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_timelineevent_append_only
    BEFORE UPDATE OR DELETE ON cases_timelineevent
    FOR EACH ROW EXECUTE FUNCTION cases_timelineevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS cases_timelineevent_append_only ON cases_timelineevent;
DROP FUNCTION IF EXISTS cases_timelineevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
