"""The leaders' escalation screen: approvals waiting, overdue deadlines below, supervised cases;
oldest first, keyset-paged, scoped to the leader's region and below."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.deadlines import deadline_start
from cases.models import Deadline
from tests import world
from tests.flowkit import api, claim_and_complete, submit

pytestmark = pytest.mark.django_db


def _overdue(code: str, days_ago: int) -> Deadline:
    case = world.make_case(code)
    deadline = deadline_start(
        kind="investigation.decide", region=case.region, start_at=timezone.now() - timedelta(days=40), case=case
    )
    Deadline.objects.filter(pk=deadline.pk).update(
        state=Deadline.State.OVERDUE, due_at=timezone.now() - timedelta(days=days_ago)
    )
    return deadline


def test_overdue_below_the_leader_oldest_first_and_paged():
    mine = [_overdue("360302", days) for days in range(30, 0, -1)]  # 30 overdue in 安源区
    other_city = _overdue("360102", 50)
    city = api("leader_360300")
    first = city.get("/api/v1/leader/", {"section": "overdue"}).json()
    ids = [row["id"] for row in first["results"]]
    assert other_city.pk not in ids
    assert ids[:3] == [mine[0].pk, mine[1].pk, mine[2].pk]  # the longest overdue first
    assert len(ids) == 25 and first["next_after"]
    second = city.get("/api/v1/leader/", {"section": "overdue", "after": first["next_after"]}).json()
    assert [row["id"] for row in second["results"]] == [d.pk for d in mine[25:]]
    assert second["next_after"] is None
    # the county's own leader sees its own; the sibling county's leader does not
    county_ids = [
        r["id"] for r in api("leader_360302").get("/api/v1/leader/", {"section": "overdue"}).json()["results"]
    ]
    assert mine[0].pk in county_ids
    sibling = api("leader_360313").get("/api/v1/leader/", {"section": "overdue"}).json()["results"]
    assert mine[0].pk not in [r["id"] for r in sibling]


def test_approvals_waiting_for_the_leaders_own_office():
    receipt = submit()["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="accept")
    rows = api("leader_360302").get("/api/v1/leader/", {"section": "approvals"}).json()["results"]
    assert "assign_inspectors" in [r["step"] for r in rows]
    # the city's leader supervises but does not approve for the county
    city_rows = api("leader_360300").get("/api/v1/leader/", {"section": "approvals"}).json()["results"]
    assert "assign_inspectors" not in [r["step"] for r in city_rows if r["region_code"] == "360302"]


def test_only_leaders_see_the_screen(client):
    client.force_login(world.user("auditor", "360000"))
    assert client.get("/tasks/leader/").status_code == 403
    client.force_login(world.user("leader", "360000"))
    assert client.get("/tasks/leader/").status_code == 200
    bad = api("leader_360000").get("/api/v1/leader/", {"section": "nonsense"})
    assert bad.status_code == 400 and "section" in bad.json()["errors"]
