"""Helpers for walking flows through the REST API in tests."""

from __future__ import annotations

from rest_framework.test import APIClient

from cases.models import Complaint
from tests import world


def body(region_code="360302", **over):
    from tests.factories import complaint_body

    return complaint_body(region_code=region_code, **over)


def api(username=None) -> APIClient:
    client = APIClient()
    if username:
        client.force_authenticate(world.user(*username.split("_")))
    return client


def submit(**over) -> dict:
    response = api().post("/api/v1/complaints/", body(**over), format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def queue_task(username: str, receipt_no: str, *, routed: bool = False) -> dict:
    """The user's queued task for this complaint (or for the case it was filed as); `routed`: or the one
    routed straight to its inbox (workflows.routing)."""
    rows = api(username).get("/api/v1/tasks/", {"scope": "queue"}).json()["results"]
    if routed:
        rows += api(username).get("/api/v1/tasks/", {"scope": "mine"}).json()["results"]
    c = Complaint.objects.select_related("case").get(receipt_no=receipt_no)
    keys = {receipt_no} | ({c.case.case_no} if c.case else set())
    matching = [r for r in rows if r["receipt_no"] in keys or r["case_no"] in keys]
    assert matching, f"{username} has no queued task for {receipt_no}: {rows}"
    return matching[-1]


def claim_and_complete(username: str, receipt_no: str, **data) -> dict:
    """Complete the user's task for this complaint or case: from the queue (claimed first) or its inbox."""
    task = queue_task(username, receipt_no, routed=True)
    client = api(username)
    if task["owner"] != username:
        assert client.post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 200
    response = client.post(f"/api/v1/tasks/{task['id']}/complete/", data, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def complaint(receipt_no: str) -> Complaint:
    return Complaint.objects.get(receipt_no=receipt_no)
