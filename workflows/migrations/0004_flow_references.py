"""The flows moved to workflows/<feature>/flow.py: viewflow stores a flow as "app_label/module.Class"
(viewflow_process.flow_class) and a node as "app_label/module.Class.node" (viewflow_task.flow_task), derived
from the class's __module__ (viewflow.workflow.fields.get_flow_ref). The stored strings are rewritten to the
new modules, so that queries by flow class (Process.objects.filter(flow_class=IntakeFlow)) find the old rows;
an old string not rewritten (e.g. a row written by an old worker during the deploy) still resolves, since the
old modules re-export the classes.

And the one way from a referral's process to its referral is the process's artifact: the referral id kept in
Process.data["referral"] moves there (and leaves data, which holds routing flags only).
"""

from django.db import migrations

MOVES = {
    "workflows/flows.IntakeFlow": "workflows/intake.flow.IntakeFlow",
    "workflows/flows.EscalationFlow": "workflows/intake.flow.EscalationFlow",
    "workflows/flows.InvestigationFlow": "workflows/investigation.flow.InvestigationFlow",
    "workflows/flows.FilingFlow": "workflows/investigation.flow.FilingFlow",
    "workflows/flows.ExtensionFlow": "workflows/investigation.flow.ExtensionFlow",
    "workflows/flows_supervision.SupervisionFlow": "workflows/supervision.flow.SupervisionFlow",
    "workflows/flows_supervision.SupervisionAlertFlow": "workflows/supervision.flow.SupervisionAlertFlow",
    "workflows/flows_referral.ReferralFlow": "workflows/referral.flow.ReferralFlow",
    "workflows/flows_accountability.ListingFlow": "workflows/accountability.flow.ListingFlow",
    "workflows/flows_accountability.RemovalFlow": "workflows/accountability.flow.RemovalFlow",
    "workflows/flows_accountability.AccountabilityFlow": "workflows/accountability.flow.AccountabilityFlow",
}
REFERRAL_FLOWS = ["workflows/flows_referral.ReferralFlow", "workflows/referral.flow.ReferralFlow"]


def _rename(schema_editor, moves: dict[str, str]) -> None:
    with schema_editor.connection.cursor() as cursor:
        for old, new in moves.items():
            cursor.execute("UPDATE viewflow_process SET flow_class = %s WHERE flow_class = %s", [new, old])
            # "old.node" → "new.node": the prefix and its dot replaced, the node name kept. ESCAPE: SQLite's
            # LIKE has no escape character of its own (PostgreSQL's is the backslash).
            cursor.execute(
                "UPDATE viewflow_task SET flow_task = %s || substr(flow_task, %s) WHERE flow_task LIKE %s ESCAPE '\\'",
                [new, len(old) + 1, old.replace("_", r"\_") + ".%"],
            )


def forwards(apps, schema_editor):
    _rename(schema_editor, MOVES)
    referrals_to_artifact(apps, schema_editor)


def backwards(apps, schema_editor):
    _rename(schema_editor, {new: old for old, new in MOVES.items()})
    referrals_to_data(apps, schema_editor)


def referrals_to_artifact(apps, schema_editor):
    """Portable (SQLite and PostgreSQL): the referral processes are few, one per referral."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Process = apps.get_model("viewflow", "Process")
    referral_type, _ = ContentType.objects.get_or_create(app_label="cases", model="referral")
    for process in Process.objects.filter(flow_class__in=REFERRAL_FLOWS).iterator(chunk_size=1000):
        data = dict(process.data or {})
        if "referral" not in data:
            continue
        process.artifact_content_type_id = referral_type.pk
        process.artifact_object_id = int(data.pop("referral"))
        process.data = data
        process.save(update_fields=["artifact_content_type", "artifact_object_id", "data"])


def referrals_to_data(apps, schema_editor):
    Process = apps.get_model("viewflow", "Process")
    processes = Process.objects.filter(flow_class__in=REFERRAL_FLOWS, artifact_object_id__isnull=False)
    for process in processes.iterator(chunk_size=1000):
        process.data = {**(process.data or {}), "referral": process.artifact_object_id}
        process.artifact_content_type_id = None
        process.artifact_object_id = None
        process.save(update_fields=["artifact_content_type", "artifact_object_id", "data"])


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0003_task_office_and_case"),
        ("viewflow", "0015_task_scheduled"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
