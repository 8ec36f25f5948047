"""The domain facts once kept in Process.data move to their rows; data keeps routing flags only.

- InvestigationFlow: data["withdraw_reason"] → Case.withdraw_reason.
- IntakeFlow: data["transferred_from"] (a region code) → Complaint.transferred_from.
- FilingFlow: data["proposal"], ["proposer"] (a username), ["rejection"] → a cases.FilingProposal row, the
  process's artifact (decided by the owner of the done filing_approval task; the case filed, if any).
- ExtensionFlow: data["reason"], ["requester"] → a cases.ExtensionRequest row, the process's artifact (decided
  when its approve task is done: approved if the case's investigation clock was extended).

Portable (SQLite and PostgreSQL): the ORM with the historical models, the processes read in chunks. The reverse
puts the facts back into data (and deletes the rows it made from them).
"""

from django.conf import settings
from django.db import migrations

INTAKE = ["workflows/intake.flow.IntakeFlow", "workflows/flows.IntakeFlow"]
INVESTIGATION = ["workflows/investigation.flow.InvestigationFlow", "workflows/flows.InvestigationFlow"]
FILING = ["workflows/investigation.flow.FilingFlow", "workflows/flows.FilingFlow"]
EXTENSION = ["workflows/investigation.flow.ExtensionFlow", "workflows/flows.ExtensionFlow"]
DONE = "DONE"


def _processes(apps, flows):
    return apps.get_model("workflows", "CaseProcess").objects.filter(flow_class__in=flows).order_by("pk")


def _save(process, **fields) -> None:
    for name, value in fields.items():
        setattr(process, name, value)
    process.save(update_fields=list(fields))


def _user(apps, username):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    return User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None


def _username(apps, user_id) -> str:
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    user = User.objects.filter(pk=user_id).first() if user_id else None
    return getattr(user, User.USERNAME_FIELD) if user is not None else ""


def _decision_task(apps, process, node: str):
    """The done human task of the process's decision node (its owner decided, when it finished)."""
    Task = apps.get_model("viewflow", "Task")
    tasks = Task.objects.filter(process_id=process.pk, flow_task__endswith=f".{node}", status=DONE)
    return tasks.order_by("-pk").first()


def _content_type(apps, model: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="cases", model=model)[0]


def forwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Complaint = apps.get_model("cases", "Complaint")
    Region = apps.get_model("cases", "Region")
    for process in _processes(apps, INVESTIGATION).iterator(chunk_size=1000):
        data = dict(process.data or {})
        if "withdraw_reason" in data:
            Case.objects.filter(pk=process.case_id).update(withdraw_reason=data.pop("withdraw_reason") or "")
            _save(process, data=data)
    for process in _processes(apps, INTAKE).iterator(chunk_size=1000):
        data = dict(process.data or {})
        if "transferred_from" in data:
            source = Region.objects.filter(code=data.pop("transferred_from")).first()
            Complaint.objects.filter(pk=process.complaint_id).update(transferred_from=source)
            _save(process, data=data)
    filings_to_rows(apps)
    extensions_to_rows(apps)


def filings_to_rows(apps):
    FilingProposal = apps.get_model("cases", "FilingProposal")
    content_type = _content_type(apps, "filingproposal")
    for process in _processes(apps, FILING).iterator(chunk_size=1000):
        data = dict(process.data or {})
        if "proposal" not in data:
            continue
        proposal, proposer = data.pop("proposal"), _user(apps, data.pop("proposer", ""))
        rejection = data.pop("rejection", None)
        task = _decision_task(apps, process, "filing_approval")
        decision = "approved" if process.case_id else "refused" if rejection is not None else ""
        filing = FilingProposal.objects.create(
            region_id=process.region_id,
            proposal=proposal,
            proposer=proposer,
            proposed_at=process.created,
            decision=decision,
            opinion=rejection or "",
            decided_by_id=task.owner_id if decision and task is not None else None,
            decided_at=(task.finished if task is not None else None) if decision else None,
            case_id=process.case_id,
        )
        _save(process, data=data, artifact_content_type_id=content_type.pk, artifact_object_id=filing.pk)


def extensions_to_rows(apps):
    ExtensionRequest = apps.get_model("cases", "ExtensionRequest")
    DeadlineExtension = apps.get_model("cases", "DeadlineExtension")
    content_type = _content_type(apps, "extensionrequest")
    for process in _processes(apps, EXTENSION).iterator(chunk_size=1000):
        data = dict(process.data or {})
        if "reason" not in data:
            continue
        reason, requester = data.pop("reason"), _user(apps, data.pop("requester", ""))
        task = _decision_task(apps, process, "approve")
        decision = ""
        if task is not None:
            extended = DeadlineExtension.objects.filter(
                deadline__case_id=process.case_id, deadline__kind="investigation.complete"
            ).exists()
            decision = "approved" if extended else "refused"
        request = ExtensionRequest.objects.create(
            case_id=process.case_id,
            reason=reason,
            requester=requester,
            requested_at=process.created,
            decision=decision,
            decided_by_id=task.owner_id if task is not None else None,
            decided_at=task.finished if task is not None else None,
        )
        _save(process, data=data, artifact_content_type_id=content_type.pk, artifact_object_id=request.pk)


def backwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Complaint = apps.get_model("cases", "Complaint")
    Region = apps.get_model("cases", "Region")
    for process in _processes(apps, INVESTIGATION).iterator(chunk_size=1000):
        reason = Case.objects.filter(pk=process.case_id).values_list("withdraw_reason", flat=True).first()
        if reason:
            _save(process, data={**(process.data or {}), "withdraw_reason": reason})
    for process in _processes(apps, INTAKE).iterator(chunk_size=1000):
        source_id = Complaint.objects.filter(pk=process.complaint_id).values_list("transferred_from", flat=True)
        source = Region.objects.filter(pk=source_id.first()).first() if source_id.first() else None
        if source is not None:
            _save(process, data={**(process.data or {}), "transferred_from": source.code})
    _rows_to_data(apps, FILING, "FilingProposal", _filing_data)
    _rows_to_data(apps, EXTENSION, "ExtensionRequest", _extension_data)


def _filing_data(apps, filing) -> dict:
    data = {"proposal": filing.proposal, "proposer": _username(apps, filing.proposer_id)}
    if filing.decision == "refused":
        data["rejection"] = filing.opinion
    return data


def _extension_data(apps, request) -> dict:
    return {"reason": request.reason, "requester": _username(apps, request.requester_id)}


def _rows_to_data(apps, flows, model: str, to_data) -> None:
    Model = apps.get_model("cases", model)
    processes = _processes(apps, flows).filter(artifact_object_id__isnull=False)
    for process in processes.iterator(chunk_size=1000):
        row = Model.objects.filter(pk=process.artifact_object_id).first()
        if row is None:
            continue
        data = {**(process.data or {}), **to_data(apps, row)}
        _save(process, data=data, artifact_content_type_id=None, artifact_object_id=None)
        row.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0004_flow_references"),
        ("cases", "0018_process_facts"),
        ("viewflow", "0015_task_scheduled"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
