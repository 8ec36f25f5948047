"""No input produces a 5xx (security issue, item 6): every bad body, parameter or task gets a 4xx
naming the field, and nothing is written. The NUL-byte cases were PostgreSQL DataErrors (500): they
are refused before any query, so they show on SQLite too; the PostgreSQL test below runs them there."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection
from rest_framework.test import APIClient
from viewflow.workflow.models import Task

from cases.models import Case, Complaint, TimelineEvent
from config.http_guards import MAX_DEPTH, RequestTooLarge, StrictJSONParser
from tests import factories, world
from tests.factories import person_id
from tests.flowkit import api, body, submit

pytestmark = pytest.mark.django_db

NUL = "a\x00b"


def _counts():
    return Complaint.objects.count(), Case.objects.count(), TimelineEvent.objects.count(), Task.objects.count()


@pytest.fixture
def unchanged():
    """Asserts at the end of the test that nothing was written."""
    before = _counts()
    yield
    assert _counts() == before


def _raw(client, url, text: str | bytes, content_type="application/json", **extra):
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return client.generic("POST", url, data, content_type=content_type, **extra)


def _field_error(response, status: int, field: str) -> list[str]:
    assert response.status_code == status, (response.status_code, response.content[:300])
    errors = response.json()["errors"]
    assert field in errors, errors
    assert errors[field] and all(isinstance(m, str) and m for m in errors[field])
    return errors[field]


@pytest.fixture
def investigated():
    """(case_no, the assigned inspector's client, a ledger entry's id)."""
    target = factories.case("investigating", "360302")  # assigned to inspector_360302
    client = api("inspector_360302")
    entry = client.post(
        f"/api/v1/cases/{target.case_no}/ledger/",
        {
            "worker": {"name": "工人甲", "id_number": person_id(1)},
            "period_start": "2026-05-01",
            "period_end": "2026-10-31",
            "amount_owed": "1000.00",
        },
        format="json",
    )
    assert entry.status_code == 201, entry.json()
    return target.case_no, client, entry.json()["id"]


def _claimed_task():
    receipt = submit()["receipt_no"]
    client = api("clerk_360302")
    rows = client.get("/api/v1/tasks/", {"scope": "queue"}).json()["results"]
    task = next(r for r in rows if r["receipt_no"] == receipt)
    assert client.post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 200
    return client, task["id"], receipt


# --- non-object JSON bodies ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["[[false]]", "null", "[]", "7", '"text"', "true"])
def test_a_json_body_that_is_not_an_object_is_refused_everywhere(investigated, text):
    case_no, inspector, entry_id = investigated
    client, task_id, _receipt = _claimed_task()
    before = _counts()
    for who, url in [
        (inspector, f"/api/v1/cases/{case_no}/suspend/"),
        (inspector, f"/api/v1/cases/{case_no}/resume/"),
        (inspector, f"/api/v1/cases/{case_no}/ledger/"),
        (inspector, f"/api/v1/cases/{case_no}/ledger/{entry_id}/payments/"),
        (inspector, f"/api/v1/cases/{case_no}/records/"),
        (client, f"/api/v1/tasks/{task_id}/complete/"),
        (client, "/api/v1/flows/supervision/start/"),
        (APIClient(), "/api/v1/complaints/"),
        (APIClient(), "/api/v1/public/credit-list/defence/"),
        (APIClient(), "/api/v1/public/credit-list/removal/"),
    ]:
        _field_error(_raw(who, url, text), 400, "body")
    assert _counts() == before


# --- tasks that are not a person's to act on ----------------------------------------------------------


def test_start_switch_and_end_tasks_are_not_found_on_the_task_api():
    receipt = submit()["receipt_no"]
    client = api("clerk_360302")
    complaint = Complaint.objects.get(receipt_no=receipt)
    others = Task.objects.filter(process__caseprocess__complaint=complaint).exclude(flow_task_type="HUMAN")
    assert others.exists()
    before = _counts()
    for task in others:
        assert client.get(f"/api/v1/tasks/{task.pk}/").status_code == 404
        assert client.post(f"/api/v1/tasks/{task.pk}/assign/").status_code == 404
        assert client.post(f"/api/v1/tasks/{task.pk}/complete/", {}, format="json").status_code == 404
    assert _counts() == before


def test_an_end_task_is_not_found_either():
    """A complaint refused: its process ends, and the end task is no one's to open."""
    client, task_id, receipt = _claimed_task()
    done = client.post(f"/api/v1/tasks/{task_id}/complete/", {"decision": "refuse", "reason": "不属于受理范围"})
    assert done.status_code == 200, done.json()
    ends = Task.objects.filter(process__caseprocess__complaint__receipt_no=receipt, flow_task_type="END")
    assert ends.exists()
    for task in ends:
        for method, url in [("get", ""), ("post", "assign/"), ("post", "complete/")]:
            assert getattr(client, method)(f"/api/v1/tasks/{task.pk}/{url}").status_code == 404


# --- NUL bytes and lone surrogates -------------------------------------------------------------------


def _bad_text_probes(case_no: str, entry_id: int, receipt: str):
    """(client username or None, method, url, kwargs, the field the answer must name)."""
    complaint_nul = json.dumps(body(description=NUL))
    employer_nul = json.dumps(body(employer={"name": NUL, "uscc": "91512081MA62K0260E"}))
    return [
        (None, "post", "/api/v1/complaints/", {"data": complaint_nul}, "description"),
        (None, "post", "/api/v1/complaints/", {"data": employer_nul}, "employer.name"),
        (None, "post", "/api/v1/complaints/", {"data": '{"description": "\\ud800"}'}, "description"),
        (None, "post", "/api/v1/complaints/", {"data": '{"a\\u0000": 1}'}, "a\\0"),
        ("clerk_360302", "get", "/api/v1/cases/", {"data": {"a\x00b": "1"}}, "a\\0b"),
        (None, "get", f"/api/v1/complaints/{receipt}/", {"data": {"phone_last4": "00\x0001"}}, "phone_last4"),
        (None, "get", "/api/v1/complaints/X%00Y/", {"data": {"phone_last4": "0001"}}, "path"),
        (None, "get", "/api/v1/public/credit-list/", {"data": {"q": NUL}}, "q"),
        ("clerk_360302", "get", "/api/v1/cases/", {"data": {"q": NUL}}, "q"),
        ("clerk_360302", "get", "/api/v1/cases/", {"data": {"status": NUL}}, "status"),
        ("clerk_360302", "get", "/api/v1/tasks/", {"data": {"scope": NUL}}, "scope"),
        ("clerk_360302", "get", "/api/v1/cases/export.xlsx", {"data": {"q": NUL}}, "q"),
        (
            "inspector_360302",
            "post",
            f"/api/v1/cases/{case_no}/ledger/",
            {"data": json.dumps({"worker": {"name": NUL, "id_number": person_id(3)}})},
            "worker.name",
        ),
        (
            "inspector_360302",
            "post",
            f"/api/v1/cases/{case_no}/records/",
            {"data": json.dumps({"kind": "inquiry", "place": "x", "inspectors": ["a", NUL]})},
            "inspectors[1]",
        ),
        (
            "inspector_360302",
            "post",
            f"/api/v1/cases/{case_no}/records/",
            {"data": "kind=inquiry&place=x&content=a%00b", "content_type": "application/x-www-form-urlencoded"},
            "content",
        ),
        (
            "inspector_360302",
            "post",
            f"/api/v1/cases/{case_no}/ledger/{entry_id}/payments/",
            {"data": json.dumps({"amount": "10.00", "paid_on": NUL})},
            "paid_on",
        ),
        ("inspector_360302", "post", f"/api/v1/cases/{case_no}/suspend/", {"data": '{"reason": "\\ud83d"}'}, "reason"),
    ]


def _run_probe(who, method, url, kwargs):
    client = api(who) if who else APIClient()
    kwargs = dict(kwargs)
    if method == "post":
        data = kwargs.pop("data")
        return _raw(client, url, data, content_type=kwargs.pop("content_type", "application/json"))
    return client.get(url, kwargs.get("data"))


def test_nul_bytes_and_lone_surrogates_are_refused_naming_the_field(investigated):
    case_no, _inspector, entry_id = investigated
    receipt = submit()["receipt_no"]
    before = _counts()
    for who, method, url, kwargs, field in _bad_text_probes(case_no, entry_id, receipt):
        _field_error(_run_probe(who, method, url, kwargs), 400, field)
    assert _counts() == before


def test_an_evidence_upload_with_a_nul_in_its_description_is_refused(investigated):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case_no, inspector, _entry = investigated
    before = _counts()
    url = f"/api/v1/cases/{case_no}/evidence/"
    upload = SimpleUploadedFile("工资表.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = inspector.post(url, {"file": upload, "description": NUL}, format="multipart")
    _field_error(response, 400, "description")
    assert _counts() == before


def test_staff_and_public_pages_refuse_a_nul_in_a_parameter_or_form(client):
    client.force_login(world.user("clerk", "360302"))
    assert client.get("/cases/", {"q": NUL}).status_code == 400
    assert client.get("/tasks/inbox/", {"page": NUL}).status_code == 400
    client.logout()
    before = _counts()
    response = client.post("/public/complaint/", {"description": NUL, "complainant_name": "张三"})
    assert response.status_code == 400 and "description" in response.content.decode()
    assert "default-src" in response["Content-Security-Policy"] and response["Permissions-Policy"]
    assert client.get("/public/status/", {"receipt_no": NUL, "phone_last4": "0001"}).status_code == 400
    assert _counts() == before


@pytest.mark.postgres
def test_on_postgresql_a_nul_byte_never_reaches_a_query(on_postgres, investigated):
    """PostgreSQL refuses NUL in text (DataError: what these inputs raised, a 500, before)."""
    from django.db import DataError, transaction

    with pytest.raises(DataError), transaction.atomic():
        Complaint.objects.filter(receipt_no=NUL).exists()
    case_no, _inspector, entry_id = investigated
    receipt = submit()["receipt_no"]
    for who, method, url, kwargs, field in _bad_text_probes(case_no, entry_id, receipt):
        _field_error(_run_probe(who, method, url, kwargs), 400, field)
    assert connection.vendor == "postgresql"


# --- numbers out of range ----------------------------------------------------------------------------


AMOUNTS = ["1e400", "1E+400", "-1e400", "NaN", "Infinity", "-Infinity", "-0", "0e5", "1e-400"]


def test_an_amount_out_of_range_is_a_field_error(investigated, unchanged):
    """1e400 made Decimal.quantize raise (500); the others are in the same list to keep them 400s."""
    case_no, inspector, entry_id = investigated
    for amount in AMOUNTS:
        response = APIClient().post("/api/v1/complaints/", body(amount_owed=amount), format="json")
        _field_error(response, 400, "amount_owed")
        worker = {"name": "工人乙", "id_number": person_id(2)}
        response = inspector.post(
            f"/api/v1/cases/{case_no}/ledger/",
            {"worker": worker, "period_start": "2026-05-01", "period_end": "2026-10-31", "amount_owed": amount},
            format="json",
        )
        _field_error(response, 400, "amount_owed")
        response = inspector.post(
            f"/api/v1/cases/{case_no}/ledger/{entry_id}/payments/",
            {"amount": amount, "paid_on": "2026-11-01"},
            format="json",
        )
        _field_error(response, 400, "amount")


def test_a_json_number_out_of_range_is_a_field_error(unchanged):
    for number in ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"]:
        text = json.dumps(body()).replace('"amount_owed": "86000.00"', f'"amount_owed": {number}')
        assert number in text
        _field_error(_raw(APIClient(), "/api/v1/complaints/", text), 400, "amount_owed")


# --- nesting and size --------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [5000, 100_000])
def test_json_nested_thousands_deep_is_refused(depth, unchanged):
    text = '{"a":' * depth + "1" + "}" * depth
    _field_error(_raw(APIClient(), "/api/v1/complaints/", text), 400, "body")
    text = "[" * depth + "]" * depth
    _field_error(_raw(api("clerk_360302"), "/api/v1/flows/supervision/start/", text), 400, "body")


def test_json_deeper_than_the_limit_names_the_field(unchanged):
    nested = "1"
    for _ in range(MAX_DEPTH + 1):
        nested = f'{{"x": {nested}}}'
    text = json.dumps(body())[:-1] + f', "employer": {nested}}}'
    response = _raw(APIClient(), "/api/v1/complaints/", text)
    assert _field_error(response, 400, "employer" + ".x" * MAX_DEPTH)


def test_a_huge_body_is_refused_by_its_length_before_it_is_read(unchanged):
    claimed = str(200 * 1024 * 1024)
    response = _raw(APIClient(), "/api/v1/complaints/", "{}", CONTENT_LENGTH=claimed)
    _field_error(response, 413, "body")
    response = _raw(api("clerk_360302"), "/api/v1/flows/supervision/start/", "{}", CONTENT_LENGTH=claimed)
    _field_error(response, 413, "body")
    # a real body over the cap (2.5 MB)
    text = json.dumps(body(description="欠" * 1_000_000))
    _field_error(_raw(APIClient(), "/api/v1/complaints/", text), 413, "body")
    # a multipart body over the upload cap
    response = _raw(
        api("inspector_360302"),
        "/api/v1/cases/X/evidence/",
        b"--b\r\n",
        content_type="multipart/form-data; boundary=b",
        CONTENT_LENGTH=claimed,
    )
    _field_error(response, 413, "body")
    # a page's form, too
    response = APIClient().generic(
        "POST", "/public/complaint/", b"a=b", content_type="application/x-www-form-urlencoded", CONTENT_LENGTH=claimed
    )
    assert response.status_code == 413


def test_the_parser_stops_reading_at_the_cap(settings):
    """A body without a Content-Length (chunked) is still read no further than the cap."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    class Stream(io.BytesIO):
        read_sizes: list = []

        def read(self, size=-1):
            self.read_sizes.append(size)
            return super().read(size)

    stream = Stream(b'{"a": "' + b"x" * 5000 + b'"}')
    with pytest.raises(RequestTooLarge):
        StrictJSONParser().parse(stream)
    assert stream.read_sizes == [1001]


def test_a_body_that_is_not_utf8_or_not_json_is_a_400(unchanged):
    _field_error(_raw(APIClient(), "/api/v1/complaints/", b'{"description": "\xff\xfe"}'), 400, "body")
    _field_error(_raw(APIClient(), "/api/v1/complaints/", '{"description": '), 400, "body")
    _field_error(_raw(APIClient(), "/api/v1/complaints/", '{"n": ' + "9" * 5000 + "}"), 400, "body")
