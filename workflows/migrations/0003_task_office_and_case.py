"""The queue reads the office and the case from the task itself (HumanStep stores them on each new task:
owner_permission_obj → the process's region, artifact → its case), not through a join to the process.

Backfills the open human tasks, and replaces the queue's index (owner_permission, id) with two partial
indexes that answer each branch of the queue's filter. bench/run.py P3: a province leader's queue ids
query 47-120 ms → under 1 ms; a user with 7,000 per-case grants 130 ms → a few ms (docs/performance.md).
"""

from django.db import migrations
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast

OPEN = ["NEW", "ASSIGNED"]

INDEXES = {
    # queue, by office: WHERE status = 'NEW' AND owner_permission = ? AND owner_permission_obj_pk IN (…) ORDER BY id
    "workflows_task_queue_office": "ON viewflow_task (owner_permission, owner_permission_obj_pk, id) WHERE status = 'NEW'",
    # queue, by per-case grant: WHERE status = 'NEW' AND owner_permission = ? AND artifact_object_id IN (…)
    "workflows_task_queue_case": "ON viewflow_task (owner_permission, artifact_object_id) WHERE status = 'NEW'",
}
OLD_QUEUE = "workflows_task_queue"


def backfill(apps, schema_editor, *, only_missing: bool = False) -> int:
    """Copy each open human task's office and case from its process. Also `manage.py place_open_tasks`
    (only_missing): for tasks that code older than this migration created meanwhile (a rolling deploy)."""
    Task = apps.get_model("viewflow", "Task")
    CaseProcess = apps.get_model("workflows", "CaseProcess")
    ContentType = apps.get_model("contenttypes", "ContentType")
    region_type, _ = ContentType.objects.get_or_create(app_label="cases", model="region")
    case_type, _ = ContentType.objects.get_or_create(app_label="cases", model="case")
    human = Task.objects.filter(status__in=OPEN, flow_task_type="HUMAN", owner_permission__startswith="zhiqian.")
    if only_missing:
        human = human.filter(owner_permission_obj_pk__isnull=True)
    process = CaseProcess.objects.filter(pk=OuterRef("process_id"))
    with_case = human.filter(process_id__in=CaseProcess.objects.filter(case__isnull=False).values("pk"))
    with_case.update(artifact_content_type=case_type, artifact_object_id=Subquery(process.values("case_id")[:1]))
    return human.update(
        owner_permission_content_type=region_type,
        owner_permission_obj_pk=Cast(Subquery(process.values("region_id")[:1]), CharField()),
    )


class Migration(migrations.Migration):
    # The backfill's UPDATEs leave deferred FK checks pending, and PostgreSQL refuses CREATE INDEX on a
    # table with pending trigger events in the same transaction: each operation commits on its own.
    atomic = False
    dependencies = [
        ("workflows", "0002_task_list_indexes"),
        ("viewflow", "0015_task_scheduled"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        *[
            migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} {body}", f"DROP INDEX IF EXISTS {name}")
            for name, body in INDEXES.items()
        ],
        migrations.RunSQL(
            f"DROP INDEX IF EXISTS {OLD_QUEUE}",
            f"CREATE INDEX IF NOT EXISTS {OLD_QUEUE} ON viewflow_task (owner_permission, id) WHERE status = 'NEW'",
        ),
    ]
