"""The queue reads the office and the case stored on each task (HumanStep; workflows.0003): they must
follow the process, or a task shows in the wrong office's queue."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from viewflow.workflow.models import Task

from cases.models import Role
from cases.services import case_exception_grant, case_exception_revoke
from tests import world
from tests.flowkit import api, claim_and_complete, complaint, queue_task, submit
from workflows import services
from workflows.models import CaseProcess
from workflows.services import place_open_tasks

pytestmark = pytest.mark.django_db


def queue_ids(username: str) -> set[int]:
    return {r["id"] for r in api(username).get("/api/v1/tasks/", {"scope": "queue"}).json()["results"]}


@pytest.mark.parametrize("many", [False, True], ids=["grants loaded", "grants asked in SQL"])
def test_a_task_carries_its_office_then_its_case_and_a_per_case_grant_brings_it_to_a_helper(many, monkeypatch):
    from cases import scope

    monkeypatch.setattr(scope, "MANY", 0 if many else 200)  # 0: any grant at all is "many"
    receipt = submit()["receipt_no"]
    received = complaint(receipt)
    acceptance = Task.objects.get(pk=queue_task("clerk_360302", receipt)["id"])
    assert acceptance.owner_permission_obj_pk == str(received.region_id)
    assert acceptance.owner_permission_content_type.model == "region" and acceptance.artifact_object_id is None
    claim_and_complete("clerk_360302", receipt, decision="accept")
    inspectors = [world.user("inspector", "360302").pk, world.second_inspector("360302").pk]
    claim_and_complete("leader_360302", receipt, inspectors=inspectors, conflict_declared=True)
    case = complaint(receipt).case
    investigate = Task.objects.get(pk=queue_task("inspector_360302", receipt, routed=True)["id"])  # routed to it
    services.task_unassign(task=investigate, actor=world.user("inspector", "360302"))  # back to the queue
    investigate.refresh_from_db()
    assert (investigate.owner_permission_obj_pk, investigate.artifact_object_id) == (str(case.region_id), case.pk)
    assert investigate.artifact_content_type.model == "case"

    helper, leader = world.user("inspector", "360313"), world.user("leader", "360302")
    assert investigate.pk not in queue_ids("inspector_360313")
    case_exception_grant(case=case, codename="assist_case", actor=leader, role=Role.LEADER, user=helper)
    assert investigate.pk in queue_ids("inspector_360313")
    case_exception_revoke(case=case, codename="assist_case", actor=leader, role=Role.LEADER, user=helper)
    assert investigate.pk not in queue_ids("inspector_360313")


def test_an_open_task_follows_its_process_to_another_office():
    receipt = submit()["receipt_no"]
    task_id = queue_task("clerk_360302", receipt)["id"]
    process = CaseProcess.objects.get(complaint=complaint(receipt))
    process.region = world.region("360313")
    process.save()
    assert task_id in queue_ids("clerk_360302")  # the stored office is a copy: it moves with place_open_tasks
    assert place_open_tasks(process) == 1
    assert task_id not in queue_ids("clerk_360302")
    assert task_id in queue_ids("clerk_360313")
    assert api("clerk_360313").post(f"/api/v1/tasks/{task_id}/assign/").status_code == 200


def test_the_migration_fills_in_the_office_and_case_of_open_tasks():
    receipt = submit()["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="accept")
    case = complaint(receipt).case
    open_ = Task.objects.filter(process__caseprocess__case=case, status="NEW", flow_task_type="HUMAN")
    expected = sorted(open_.values_list("pk", "owner_permission_obj_pk", "artifact_object_id"))
    assert expected and all(office == str(case.region_id) and pk_case == case.pk for _, office, pk_case in expected)
    open_.update(owner_permission_obj_pk=None, owner_permission_content_type=None, artifact_object_id=None)
    assert not queue_ids("leader_360302") & {pk for pk, _, _ in expected}
    migration = importlib.import_module("workflows.migrations.0003_task_office_and_case")
    migration.backfill(apps, None)
    assert sorted(open_.values_list("pk", "owner_permission_obj_pk", "artifact_object_id")) == expected
    assert {pk for pk, _, _ in expected} <= queue_ids("leader_360302")


def test_place_open_tasks_fills_in_tasks_that_older_code_created_without_office():
    from django.core.management import call_command

    receipt = submit()["receipt_no"]
    task_id = queue_task("clerk_360302", receipt)["id"]
    Task.objects.filter(pk=task_id).update(owner_permission_obj_pk=None, owner_permission_content_type=None)
    assert task_id not in queue_ids("clerk_360302")
    call_command("place_open_tasks")
    assert task_id in queue_ids("clerk_360302")
    assert Task.objects.get(pk=task_id).owner_permission_obj_pk == str(complaint(receipt).region_id)
