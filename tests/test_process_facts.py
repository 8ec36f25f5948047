"""The domain facts of a flow are rows, not Process.data (which holds routing flags only): the proposed
withdrawal's reason (Case.withdraw_reason), a proactive filing's proposal (FilingProposal), an extension's
request (ExtensionRequest), the office a complaint was transferred from (Complaint.transferred_from); and
migration workflows.0005 moves the facts of existing processes there, and back."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from cases.investigation import case_assign_inspectors, case_investigation_open
from cases.models import Case, Complaint, ExtensionRequest, FilingProposal
from tests import world
from tests.flowkit import api, claim_and_complete, complaint, queue_task, submit
from workflows.models import CaseProcess

pytestmark = pytest.mark.django_db
process_facts = importlib.import_module("workflows.migrations.0005_process_facts")
FACTS = {"withdraw_reason", "transferred_from", "proposal", "proposer", "rejection", "reason", "requester"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _complete(username: str, task_id: int, **data) -> dict:
    client = api(username)
    assert client.post(f"/api/v1/tasks/{task_id}/assign/").status_code == 200
    response = client.post(f"/api/v1/tasks/{task_id}/complete/", data, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def _process(**filters) -> CaseProcess:
    return CaseProcess.objects.filter(**filters).order_by("-pk").first()


def _deciding(receipt: str) -> Case:
    claim_and_complete("clerk_360302", receipt, decision="accept")
    inspector, second = world.user("inspector", "360302"), world.second_inspector("360302")
    claim_and_complete("leader_360302", receipt, inspectors=[inspector.pk, second.pk], conflict_declared=True)
    claim_and_complete("inspector_360302", receipt, violation=False, findings="未查实欠薪。")
    return complaint(receipt).case


def test_a_proposed_withdrawal_keeps_its_reason_on_the_case_and_the_leader_withdraws_with_it():
    receipt = submit()["receipt_no"]
    case = _deciding(receipt)
    events = case.events.exclude(kind__startswith="task.").count()
    claim_and_complete("inspector_360302", receipt, decision="withdraw", facts="双方已自行和解，工资已付清。")
    case.refresh_from_db()
    assert case.withdraw_reason == "双方已自行和解，工资已付清。" and case.status == Case.Status.DECIDING
    assert case.events.exclude(kind__startswith="task.").count() == events  # the proposal: no event of its own
    process = _process(case=case, decision="withdraw")
    assert not FACTS & set(process.data)
    claim_and_complete("leader_360302", receipt, approved="yes", opinion="同意撤销")
    case.refresh_from_db()
    assert case.status == Case.Status.WITHDRAWN
    assert case.events.get(kind="case.withdrawn").data["reason"] == "双方已自行和解，工资已付清。"


def test_the_withdrawal_proposal_writes_no_event_of_its_own():
    from cases.investigation import case_withdrawal_propose

    case = world.make_case("360302")
    before = case.events.count()
    case_withdrawal_propose(case=case, actor=world.user("inspector", "360302"), reason="证据不足")
    assert Case.objects.get(pk=case.pk).withdraw_reason == "证据不足" and case.events.count() == before


FILING = {
    "origin": "inspection", "employer_name": "萍乡市某建筑劳务有限公司", "employer_address": "萍乡市安源区",
    "project_name": "城南安置房项目", "workers_count": "3", "amount_owed": "12000", "facts": "日常巡查发现拖欠工资",
}  # fmt: skip


def _propose() -> tuple[FilingProposal, int]:
    started = api("inspector_360302").post("/api/v1/flows/filing/start/", FILING, format="json")
    assert started.status_code == 201, started.json()
    filing = FilingProposal.objects.get()
    process = _process(artifact_object_id=filing.pk, flow_class__endswith="FilingFlow")
    assert process.artifact == filing and not FACTS & set(process.data)
    assert filing.proposer == world.user("inspector", "360302") and filing.region.code == "360302"
    assert filing.proposal["facts"] == "日常巡查发现拖欠工资" and filing.decision == ""
    return filing, started.json()["next_tasks"][0]["id"]


def _filing_approve(filing: FilingProposal, task_id: int, **data) -> None:
    """The leader claims the approval through the API (a filing has no case or complaint yet: the claim is an
    event on the office's chain) and completes it."""
    leader = api("leader_360302")
    claimed = leader.post(f"/api/v1/tasks/{task_id}/assign/")
    assert claimed.status_code == 200, claimed.json()
    process = _process(artifact_object_id=filing.pk, flow_class__endswith="FilingFlow")
    assert process.region.admin_events.filter(kind="task.claimed", data__task=task_id).count() == 1
    completed = leader.post(f"/api/v1/tasks/{task_id}/complete/", data, format="json")
    assert completed.status_code == 200, completed.json()


def test_a_filing_proposal_is_a_row_and_the_leader_files_the_case_from_it():
    filing, task_id = _propose()
    _filing_approve(filing, task_id, approved="yes", opinion="同意立案")
    filing.refresh_from_db()
    assert filing.decision == "approved" and filing.opinion == "同意立案"
    assert filing.decided_by == world.user("leader", "360302") and filing.decided_at is not None
    assert filing.case is not None and filing.case.origin == "inspection"
    assert _process(artifact_object_id=filing.pk, flow_class__endswith="FilingFlow").case == filing.case
    assert filing.case.events.get(kind="case.filed").data["facts"] == "日常巡查发现拖欠工资"


def test_a_rejected_filing_keeps_the_opinion_on_its_row():
    filing, task_id = _propose()
    _filing_approve(filing, task_id, approved="no", opinion="线索不足，不予立案")
    filing.refresh_from_db()
    assert (filing.decision, filing.opinion, filing.case) == ("refused", "线索不足，不予立案", None)
    assert not Case.objects.filter(origin="inspection").exists()


def _investigating() -> Case:
    case = world.make_case("360302")
    case_assign_inspectors(
        case=case, inspectors=[world.user("inspector", "360302"), world.second_inspector("360302")],
        actor=world.user("leader", "360302"), conflict_declared=True,
    )  # fmt: skip
    case_investigation_open(case=case)
    return case


@pytest.mark.parametrize("approved", [True, False])
def test_an_extension_request_is_a_row_with_its_one_event_and_the_leader_decides_it(approved):
    case = _investigating()
    started = api("inspector_360302").post(
        "/api/v1/flows/extension/start/", {"case_no": case.case_no, "reason": "涉及人数多，需委托审计"}, format="json"
    )
    assert started.status_code == 201, started.json()
    request = ExtensionRequest.objects.get(case=case)
    assert request.reason == "涉及人数多，需委托审计" and request.requester == world.user("inspector", "360302")
    process = _process(case=case, flow_class__endswith="ExtensionFlow")
    assert process.artifact == request and not FACTS & set(process.data)
    assert case.events.filter(kind="case.extension_requested").count() == 1
    opinion = "同意延长" if approved else "案情并不复杂"
    _complete("leader_360302", started.json()["next_tasks"][0]["id"], approved="yes" if approved else "no",
              opinion=opinion)  # fmt: skip
    request.refresh_from_db()
    assert request.decision == ("approved" if approved else "refused")
    assert request.decided_by == world.user("leader", "360302") and request.decided_at is not None
    assert request.opinion == ("" if approved else opinion)
    assert case.events.filter(kind="deadline.extended").count() == int(approved)
    assert case.events.filter(kind="case.extension_refused").count() == int(not approved)


def test_a_transfer_records_the_sending_office_on_the_complaint_until_the_designation():
    receipt = submit()["receipt_no"]
    claim_and_complete(
        "clerk_360302", receipt, decision="transfer", reason="应由湘东区管辖", target_region_code="360313"
    )
    c = complaint(receipt)
    assert c.transferred_from.code == "360302"
    assert not FACTS & set(_process(complaint=c).data)
    claim_and_complete("clerk_360313", receipt, decision="dispute", reason="用工地在安源区")
    claim_and_complete("leader_360300", receipt, target_region_code="360302", reason="项目位于安源区")
    c.refresh_from_db()
    assert c.transferred_from is None and c.region.code == "360302"
    task = queue_task("clerk_360302", receipt)  # designated: no transfer to dispute any more
    choices = api("clerk_360302").get(f"/api/v1/tasks/{task['id']}/").json()["fields"][0]["choices"]
    assert "dispute" not in [choice["value"] for choice in choices]


# --- migration workflows.0005 ----------------------------------------------------------------------------


def test_migration_0005_moves_the_facts_to_their_rows_and_back():
    editor = SimpleNamespace(connection=connection)
    receipt = submit()["receipt_no"]
    claim_and_complete(
        "clerk_360302", receipt, decision="transfer", reason="应由湘东区管辖", target_region_code="360313"
    )
    intake = _process(complaint=complaint(receipt))
    filing, task_id = _propose()
    _filing_approve(filing, task_id, approved="no", opinion="线索不足")
    filing_process = _process(artifact_object_id=filing.pk, flow_class__endswith="FilingFlow")
    case = _investigating()
    api("inspector_360302").post(
        "/api/v1/flows/extension/start/", {"case_no": case.case_no, "reason": "需委托审计"}, format="json"
    )
    extension = _process(case=case, flow_class__endswith="ExtensionFlow")
    withdrawing = _deciding(submit()["receipt_no"])
    from cases.investigation import case_withdrawal_propose

    case_withdrawal_propose(case=withdrawing, actor=world.user("inspector", "360302"), reason="证据不足")
    investigation = _process(case=withdrawing, flow_class__endswith="InvestigationFlow")

    process_facts.backwards(apps, editor)
    assert CaseProcess.objects.get(pk=intake.pk).data["transferred_from"] == "360302"
    old_filing = CaseProcess.objects.get(pk=filing_process.pk)
    assert old_filing.artifact_object_id is None and not FilingProposal.objects.exists()
    assert old_filing.data["proposal"]["facts"] == "日常巡查发现拖欠工资"
    assert (old_filing.data["proposer"], old_filing.data["rejection"]) == ("inspector_360302", "线索不足")
    old_extension = CaseProcess.objects.get(pk=extension.pk)
    assert old_extension.data == {"reason": "需委托审计", "requester": "inspector_360302"}
    assert old_extension.artifact_object_id is None and not ExtensionRequest.objects.exists()
    assert CaseProcess.objects.get(pk=investigation.pk).data["withdraw_reason"] == "证据不足"
    # the old shape: no facts on the rows
    Complaint.objects.filter(pk=intake.complaint_id).update(transferred_from=None)
    Case.objects.filter(pk=withdrawing.pk).update(withdraw_reason="")

    process_facts.forwards(apps, editor)
    for process in (intake, filing_process, extension, investigation):
        assert not FACTS & set(CaseProcess.objects.get(pk=process.pk).data)
    assert Complaint.objects.get(pk=intake.complaint_id).transferred_from.code == "360302"
    assert Case.objects.get(pk=withdrawing.pk).withdraw_reason == "证据不足"
    moved = FilingProposal.objects.get()
    assert CaseProcess.objects.get(pk=filing_process.pk).artifact == moved
    assert (moved.decision, moved.opinion, moved.proposer.username) == ("refused", "线索不足", "inspector_360302")
    assert moved.proposal["facts"] == "日常巡查发现拖欠工资"
    request = ExtensionRequest.objects.get()
    assert CaseProcess.objects.get(pk=extension.pk).artifact == request
    assert (request.case, request.reason, request.decision) == (case, "需委托审计", "")
