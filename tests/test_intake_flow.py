"""The intake flow through the REST API: submit → acceptance (accept, refuse, supplement,
transfer, disputed transfer) → investigation; deadlines swept as of a moment; 409 on races."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient
from viewflow.workflow.models import Task

from cases import timeline
from cases.models import Case, Complaint, Deadline
from tests import world
from tests.flowkit import api, body, claim_and_complete, complaint, queue_task, submit

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_accept_files_a_case_and_starts_the_investigation():
    receipt = submit()
    assert receipt["status"] == "received" and receipt["region_code"] == "360302" and receipt["accept_due"]
    result = claim_and_complete("clerk_360302", receipt["receipt_no"], decision="accept")
    c = complaint(receipt["receipt_no"])
    assert c.status == Complaint.Status.ACCEPTED and c.case is not None
    assert [t["step"] for t in result["next_tasks"]] == ["assign_inspectors"]
    assert c.deadlines.get(kind="intake.acceptance").state == Deadline.State.MET
    # the leader assigns two inspectors: the investigation's first step
    task = queue_task("leader_360302", receipt["receipt_no"])
    fields = {f["name"]: f for f in api("leader_360302").get(f"/api/v1/tasks/{task['id']}/").json()["fields"]}
    assert fields["inspectors"]["type"] == "multiple_choice" and fields["inspectors"]["required"]
    inspector = world.user("inspector", "360302")
    second = world.second_inspector("360302")
    client = api("leader_360302")
    client.post(f"/api/v1/tasks/{task['id']}/assign/")
    bad = client.post(f"/api/v1/tasks/{task['id']}/complete/", {"inspectors": [inspector.pk]}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) >= {"inspectors"}
    ok = client.post(
        f"/api/v1/tasks/{task['id']}/complete/",
        {"inspectors": [inspector.pk, second.pk], "conflict_declared": True},
        format="json",
    )
    assert ok.status_code == 200, ok.json()
    case = Case.objects.get(pk=c.case_id)
    assert case.status == Case.Status.INVESTIGATING
    kinds = list(timeline.for_case(case).values_list("kind", flat=True))
    assert kinds[:2] == ["complaint.received", "task.claimed"]
    assert "complaint.accepted" in kinds and "case.filed" in kinds and "case.inspectors_assigned" in kinds
    assert timeline.chain_ok(case)


def test_refuse_needs_a_reason_and_notifies():
    receipt = submit()["receipt_no"]
    task = queue_task("clerk_360302", receipt)
    client = api("clerk_360302")
    client.post(f"/api/v1/tasks/{task['id']}/assign/")
    response = client.post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "refuse"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    assert complaint(receipt).status == Complaint.Status.RECEIVED  # nothing changed
    response = client.post(
        f"/api/v1/tasks/{task['id']}/complete/",
        {"decision": "refuse", "reason": "不属于劳动保障监察管辖"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["next_tasks"] == []
    c = complaint(receipt)
    assert c.status == Complaint.Status.REFUSED and c.decision_reason == "不属于劳动保障监察管辖"
    assert c.notifications.filter(event="refused").exists()


def test_supplement_pauses_the_clock_and_resumes_it():
    receipt = submit()["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="supplement", reason="请补充用工证明")
    c = complaint(receipt)
    deadline = c.deadlines.get(kind="intake.acceptance")
    assert c.status == Complaint.Status.SUPPLEMENT_REQUESTED and deadline.state == Deadline.State.PAUSED
    result = claim_and_complete("clerk_360302", receipt, note="已补交工资表")
    assert [t["step"] for t in result["next_tasks"]] == ["acceptance"]
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.RUNNING and complaint(receipt).status == Complaint.Status.RECEIVED


def test_transfer_gives_the_target_a_fresh_acceptance_task_and_hides_it_from_the_source():
    receipt = submit()["receipt_no"]
    response = claim_and_complete(
        "clerk_360302", receipt, decision="transfer", reason="用工地在湘东区", target_region_code="360313"
    )
    assert [t["region_code"] for t in response["next_tasks"]] == ["360313"]
    c = complaint(receipt)
    assert c.status == Complaint.Status.TRANSFERRED and c.region.code == "360313"
    deadlines = c.deadlines.order_by("id")
    assert [d.region.code for d in deadlines] == ["360302", "360313"]
    assert deadlines[1].state == Deadline.State.RUNNING
    task_id = response["next_tasks"][0]["id"]
    assert api("clerk_360302").get(f"/api/v1/tasks/{task_id}/").status_code == 404
    assert api("clerk_360313").get(f"/api/v1/tasks/{task_id}/").status_code == 200
    # the target accepts
    claim_and_complete("clerk_360313", receipt, decision="accept")
    assert complaint(receipt).case.region.code == "360313"


def test_a_disputed_transfer_is_designated_by_the_common_superior():
    receipt = submit()["receipt_no"]
    claim_and_complete(
        "clerk_360302", receipt, decision="transfer", reason="应由湘东区管辖", target_region_code="360313"
    )
    task = queue_task("clerk_360313", receipt)
    choices = api("clerk_360313").get(f"/api/v1/tasks/{task['id']}/").json()["fields"][0]["choices"]
    assert "dispute" in [c["value"] for c in choices]
    result = claim_and_complete("clerk_360313", receipt, decision="dispute", reason="用工地在安源区")
    assert [(t["step"], t["region_code"]) for t in result["next_tasks"]] == [("designation", "360300")]
    # only the city's leader may designate: a county leader is out of scope, the city clerk lacks the right
    task_id = result["next_tasks"][0]["id"]
    assert api("leader_360302").post(f"/api/v1/tasks/{task_id}/assign/").status_code == 404
    assert api("clerk_360300").post(f"/api/v1/tasks/{task_id}/assign/").status_code == 403
    claim_and_complete("leader_360300", receipt, target_region_code="360302", reason="项目位于安源区")
    c = complaint(receipt)
    assert c.region.code == "360302"
    assert queue_task("clerk_360302", receipt)["step"] == "acceptance"
    kinds = list(c.events.order_by("seq").values_list("kind", flat=True))
    assert "complaint.transfer_disputed" in kinds and "complaint.jurisdiction_designated" in kinds


def test_a_clerk_of_another_county_cannot_see_or_take_the_task():
    receipt = submit()["receipt_no"]
    task = queue_task("clerk_360302", receipt)
    outsider = api("clerk_360313")
    assert outsider.get(f"/api/v1/tasks/{task['id']}/").status_code == 404
    assert outsider.post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 404
    assert receipt not in [
        r["receipt_no"] for r in outsider.get("/api/v1/tasks/", {"scope": "queue"}).json()["results"]
    ]
    # in scope without the right: the county's inspector may read the task but not take it
    assert api("inspector_360302").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 403


def test_a_second_claim_gets_409():
    receipt = submit()["receipt_no"]
    task = queue_task("clerk_360302", receipt)
    assert api("clerk_360302").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 200
    from cases.services import staff_create

    staff_create(username="clerk2_360302", region=world.region("360302"), role="clerk")
    second = APIClient()
    second.force_authenticate(world.user_by_name("clerk2_360302"))
    assert second.post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 409


def test_sweep_warns_at_one_working_day_left_and_escalates_when_overdue(capsys):
    # received Monday 2026-09-28: 5 working days end on the make-up Saturday 2026-10-10
    receipt = submit()["receipt_no"]
    c = complaint(receipt)
    Complaint.objects.filter(pk=c.pk).update(received_at=datetime(2026, 9, 28, 10, 0, tzinfo=SH))
    d = c.deadlines.get(kind="intake.acceptance")
    from cases.deadlines import due_times

    due, warn = due_times(kind=d.kind, start_at=datetime(2026, 9, 28, 10, 0, tzinfo=SH))
    Deadline.objects.filter(pk=d.pk).update(start_at=datetime(2026, 9, 28, 10, 0, tzinfo=SH), due_at=due, warn_at=warn)
    assert due.astimezone(SH).date().isoformat() == "2026-10-10"
    call_command("sweep_deadlines", "--at", "2026-10-09T23:00:00")
    assert not Deadline.objects.get(pk=d.pk).warned_at
    call_command("sweep_deadlines", "--at", "2026-10-10T08:00:00")
    assert Deadline.objects.get(pk=d.pk).warned_at is not None
    assert queue_task("clerk_360302", receipt)  # still the clerk's task
    call_command("sweep_deadlines", "--at", "2026-10-11T00:00:01")
    assert Deadline.objects.get(pk=d.pk).state == Deadline.State.OVERDUE
    escalation = queue_task("leader_360302", receipt)
    assert escalation["step"] == "review"
    assert "1 overdue" in capsys.readouterr().out
    call_command("sweep_deadlines", "--at", "2026-10-12T00:00:00")  # idempotent
    assert (
        Task.objects.filter(flow_task__endswith="EscalationFlow.review", process__caseprocess__complaint=c).count() == 1
    )
    kinds = list(c.events.order_by("seq").values_list("kind", flat=True))
    assert kinds.count("deadline.warned") == 1 and kinds.count("deadline.overdue") == 1
    # the superior levels see the flag
    assert Deadline.objects.filter(state="overdue", region__path__startswith=world.region("360000").path).exists()


def test_idempotency_key_returns_the_same_receipt():
    client = api()
    first = client.post("/api/v1/complaints/", body(), format="json", HTTP_IDEMPOTENCY_KEY="k-123")
    again = client.post("/api/v1/complaints/", body(), format="json", HTTP_IDEMPOTENCY_KEY="k-123")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["receipt_no"] == again.json()["receipt_no"]
    other = client.post("/api/v1/complaints/", body(workers_count=3), format="json", HTTP_IDEMPOTENCY_KEY="k-123")
    assert other.status_code == 400 and "idempotency_key" in other.json()["errors"]
    assert Complaint.objects.filter(receipt_no=first.json()["receipt_no"]).count() == 1


@pytest.mark.parametrize(
    "field, value",
    [
        ("complainant.id_number", "34052419800101001Y"),
        ("complainant.phone", "12807990001"),
        ("employer.uscc", "91350100M0001TGQXM"),
        ("amount_owed", "-5"),
        ("workers_count", 0),
        ("period_end", "2099-01-01"),
        ("description", ""),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(field, value):
    data = body()
    if "." in field:
        head, tail = field.split(".")
        data[head] = {**data[head], tail: value}
    else:
        data[field] = value
    before = (Complaint.objects.count(), Task.objects.count(), Deadline.objects.count())
    response = api().post("/api/v1/complaints/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert (Complaint.objects.count(), Task.objects.count(), Deadline.objects.count()) == before


def test_public_status_lookup_needs_the_phone_digits():
    receipt = submit()["receipt_no"]
    client = api()
    ok = client.get(f"/api/v1/complaints/{receipt}/", {"phone_last4": "0001"})
    assert ok.status_code == 200 and ok.json()["status"] == "received"
    assert "13807990001" not in ok.content.decode() and "34052419800101001X" not in ok.content.decode()
    assert client.get(f"/api/v1/complaints/{receipt}/", {"phone_last4": "9999"}).status_code == 404
    assert client.get("/api/v1/complaints/T000000000000/", {"phone_last4": "0001"}).status_code == 404


def _complete_twice_at_once(username: str, body: dict) -> tuple[str, list[int]]:
    """A complaint's acceptance task claimed by a new clerk of 360302, then completed by two requests at
    once with `body`: (receipt, their status codes)."""
    from cases.regions import regions_load
    from cases.services import staff_create

    regions_load(province="360000")
    clerk = staff_create(username=username, region=world.region("360302"), role="clerk")
    receipt = submit()["receipt_no"]
    task = Task.objects.get(
        flow_task__endswith="IntakeFlow.acceptance", process__caseprocess__complaint__receipt_no=receipt
    )
    client = APIClient()
    client.force_authenticate(clerk)
    assert client.post(f"/api/v1/tasks/{task.pk}/assign/").status_code == 200
    statuses: list[int] = []
    barrier = threading.Barrier(2)

    def complete():
        try:
            c = APIClient()
            c.force_authenticate(clerk)
            barrier.wait()
            statuses.append(c.post(f"/api/v1/tasks/{task.pk}/complete/", body, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return receipt, statuses


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_completions_give_one_200_and_one_409(on_postgres):
    receipt, statuses = _complete_twice_at_once("race_clerk", {"decision": "accept"})
    assert sorted(statuses) == [200, 409]
    c = complaint(receipt)
    assert c.status == Complaint.Status.ACCEPTED
    assert Case.objects.filter(complaints=c).count() == 1
    assert c.events.filter(kind="complaint.accepted").count() == 1


def test_public_api_is_throttled(settings):
    settings.ZHIQIAN_PUBLIC_RATE = "3/minute"
    client = api()
    statuses = [client.get("/api/v1/complaints/T1/", {"phone_last4": "0000"}).status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]


@pytest.mark.django_db(transaction=True)
def test_a_second_completion_waiting_on_a_transfer_gets_409_not_500(on_postgres):
    """The waiter re-reads the process (and its office) only once the lock is its own: read within the
    locking statement, the transferred process no longer joined its old office and was not found."""
    target = "360313"
    body = {"decision": "transfer", "target_region_code": target, "reason": "用工所在地属湘东区"}
    receipt, statuses = _complete_twice_at_once("transfer_clerk", body)
    assert sorted(statuses) == [200, 409]
    assert complaint(receipt).region.code == target


@pytest.mark.django_db(transaction=True)
def test_two_clerks_claiming_at_once_give_one_200_and_one_409(on_postgres):
    from cases.regions import regions_load
    from cases.services import staff_create

    regions_load(province="360000")
    clerks = [staff_create(username=f"claim_clerk{i}", region=world.region("360302"), role="clerk") for i in (1, 2)]
    receipt = submit()["receipt_no"]
    task = Task.objects.get(
        flow_task__endswith="IntakeFlow.acceptance", process__caseprocess__complaint__receipt_no=receipt
    )
    results: list[tuple[int, int]] = []
    barrier = threading.Barrier(2)

    def claim(clerk):
        c = APIClient()
        c.force_authenticate(clerk)
        barrier.wait()
        results.append((c.post(f"/api/v1/tasks/{task.pk}/assign/").status_code, clerk.pk))
        connection.close()

    threads = [threading.Thread(target=claim, args=(clerk,)) for clerk in clerks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(status for status, _ in results) == [200, 409]
    winner = next(pk for status, pk in results if status == 200)
    task.refresh_from_db()
    assert (task.status, task.owner_id) == ("ASSIGNED", winner) and task.assigned is not None
    claimed = complaint(receipt).events.filter(kind="task.claimed")
    assert claimed.count() == 1 and claimed.get().actor_id == winner


def test_a_claim_is_one_conditional_update_and_one_timeline_event():
    from django.contrib.auth import get_user_model
    from django.test.utils import CaptureQueriesContext

    from workflows import selectors, services

    receipt = submit()["receipt_no"]
    task_id = queue_task("clerk_360302", receipt)["id"]
    clerk = get_user_model().objects.get(username="clerk_360302")
    task = selectors.task_for_user(clerk, task_id)  # as the API loads it (and the clerk's grants with it)
    with CaptureQueriesContext(connection) as ctx:
        services.task_assign(task=task, actor=clerk)
    sql = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    # the claim (UPDATE … WHERE status = 'NEW'), then the timeline: lock the chain, its last link, the event,
    # the chain's head (docs/timeline.md)
    assert len(sql) == 5 and sql[0].startswith('UPDATE "viewflow_task"'), sql
    assert '"viewflow_task"."status" =' in sql[0].split("WHERE", 1)[1]  # conditional on the task still NEW
    with pytest.raises(services.TaskConflict):
        services.task_assign(task=selectors.task_for_user(clerk, task_id), actor=clerk)


def test_a_uscc_with_letters_for_its_authority_and_kind_is_accepted_at_intake():
    """GB 32100 allows letters in the first two places (N2…, Y1…): intake checks codes through cases.values,
    which takes them as it did before (stdnum alone wants digits there); a wrong check character is named."""
    from django.core.exceptions import ValidationError
    from stdnum.cn import uscc

    from cases.intake import complaint_validate
    from tests.factories import complaint_body

    first17 = "Y1350100MA2Y3K4P1"
    code = first17 + uscc.calc_check_digit(first17)
    clean = complaint_validate(complaint_body(employer__uscc=code.lower()))
    assert clean.employer.uscc == code
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        complaint_validate(complaint_body(employer__uscc=wrong))
    assert exc.value.message_dict["employer.uscc"] == ["统一社会信用代码校验位错误，请核对代码。"]
