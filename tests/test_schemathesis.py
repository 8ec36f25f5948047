"""The OpenAPI schema matches the answers (security issue, items 6 and 9).

Schemathesis over /api/v1/schema/: every operation, as a province administrator and as a county
clerk (token auth), with valid and invalid input, answers no 5xx and only what the schema documents
(status codes, content types, response bodies); then real answers (a case with a ledger, a task) are
checked against the schema. PostgreSQL only (CI's PostgreSQL pass): the NUL bytes and out-of-range
numbers it generates were PostgreSQL errors. Bounded: EXAMPLES per operation, mode and user,
derandomized. The schema's shape itself is checked on any database at the end."""

from __future__ import annotations

import itertools
import os
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token

from tests import world

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("ZHIQIAN_SCHEMATHESIS_EXAMPLES", "12"))
USERS = ["admin_360000", "clerk_360302"]


def _schema():
    import schemathesis
    from schemathesis.config import SchemathesisConfig

    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=SchemathesisConfig())


def _checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _runner(operation, mode, label: str, token: str, checks, failures: list[str], calls: list[int]):
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        calls.append(1)
        try:
            case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=checks)
        except (Exception, BaseExceptionGroup) as exc:  # every failure is collected, the run goes on
            found = getattr(exc, "exceptions", None) or [exc]
            request = f"{case.method} {case.formatted_path} query={case.query} body={str(case.body)[:300]}"
            for failure in found:
                title = getattr(failure, "title", type(failure).__name__)
                message = str(getattr(failure, "message", failure))[:700]
                failures.append(f"{label}: {title}: {message}\n    {request}")

    return run


@contextmanager
def _connection_kept_open():
    """The WSGI app's request_started / request_finished close the database connection, and with it
    the test's transaction (Django's test client disconnects them the same way, and reconnects them
    after each of its requests: so no test client call inside this block)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.postgres
def test_every_operation_conforms_and_never_fails_with_a_server_error(on_postgres):
    tokens = {name: Token.objects.create(user=world.user_by_name(name)).key for name in USERS}
    world.make_case("360302")
    checks = _checks()
    failures: list[str] = []
    calls: list[int] = []
    started = time.monotonic()
    with _connection_kept_open():
        operations = [result.ok() for result in _schema().get_all_operations()]
        assert len(operations) > 20
        _generated_calls(operations, tokens, checks, failures, calls)
    elapsed = time.monotonic() - started
    print(f"schemathesis: {len(operations)} operations, {len(calls)} calls, {elapsed:.0f} s")
    report = os.environ.get("ZHIQIAN_SCHEMATHESIS_REPORT")
    if report:
        Path(report).write_text("\n\n".join(failures), encoding="utf-8")
    distinct = sorted({f.split("\n")[0][:300] for f in failures})
    assert not failures, f"{len(failures)} failures, {len(distinct)} distinct:\n" + "\n".join(distinct[:80])


def _generated_calls(operations, tokens, checks, failures, calls):
    from schemathesis import GenerationMode

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for name, token in tokens.items():
                label = f"{operation.label} [{mode.value}, {name}]"
                try:
                    _runner(operation, mode, label, token, checks, failures, calls)()
                except Unsatisfiable:  # no invalid input can be made (e.g. only a path parameter)
                    pass


def _real_data():
    """A complaint with its first task, a case with a ledger entry, a payment and a record: what the
    generated calls cannot find (they do not know real case numbers), so that the documented shapes of
    real answers (nullable fields, decimal amounts) are checked too."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from cases.evidence import evidence_upload
    from cases.ledger import ledger_entry_add, payment_record
    from cases.models import Case
    from cases.records import record_add
    from tests.flowkit import submit
    from tests.matrix import assigned_case_target
    from workflows import selectors

    receipt = submit()["receipt_no"]
    task = selectors.tasks_queue(world.user("clerk", "360302")).first()
    case = Case.objects.get(case_no=assigned_case_target("360302").case_no)
    inspector = world.user("inspector", "360302")
    entry = ledger_entry_add(
        case=case,
        worker={"name": "工人甲", "id_number": "360302199001010019"},
        period_start=date(2026, 5, 1),
        period_end=date(2026, 10, 31),
        amount_owed="1000.50",
        actor=inspector,
    )
    payment_record(entry=entry, amount="300", paid_on=date(2026, 11, 1), actor=inspector)
    upload = SimpleUploadedFile("工资表.pdf", b"%PDF-1.4 schemathesis", content_type="application/pdf")
    evidence_upload(case=case, upload=upload, description="工资表", actor=inspector)
    record_add(
        case=case,
        kind="inquiry",
        held_at=timezone.now(),
        place="监察大队",
        subject="项目负责人",
        content="询问欠薪情况",
        inspectors=[inspector, world.second_inspector("360302")],
        actor=inspector,
    )
    return case.case_no, receipt, task.pk


@pytest.mark.postgres
def test_real_answers_match_the_documented_schema(on_postgres):
    case_no, receipt, task_id = _real_data()
    checks = _checks()
    calls = [
        ("/api/v1/cases/", {}, {}),
        ("/api/v1/cases/{case_no}/", {"case_no": case_no}, {}),
        ("/api/v1/cases/{case_no}/timeline/", {"case_no": case_no}, {}),
        ("/api/v1/cases/{case_no}/documents/", {"case_no": case_no}, {}),
        ("/api/v1/cases/{case_no}/evidence/", {"case_no": case_no}, {}),
        ("/api/v1/cases/{case_no}/ledger/", {"case_no": case_no}, {}),
        ("/api/v1/cases/{case_no}/records/", {"case_no": case_no}, {}),
        ("/api/v1/tasks/", {}, {"scope": "queue"}),
        ("/api/v1/tasks/", {}, {"scope": "mine"}),
        ("/api/v1/tasks/{task_id}/", {"task_id": task_id}, {}),
        ("/api/v1/flows/", {}, {}),
        ("/api/v1/dashboard/", {}, {}),
        ("/api/v1/leader/", {}, {}),
        ("/api/v1/complaints/{receipt_no}/", {"receipt_no": receipt}, {"phone_last4": "0001"}),
        ("/api/v1/public/credit-list/", {}, {}),
        ("/api/v1/public/violations/", {}, {}),
        ("/api/v1/accountability/", {}, {}),
    ]
    failures, statuses = [], {}
    tokens = {
        n: Token.objects.create(user=world.user_by_name(n)).key for n in [*USERS, "leader_360302", "inspector_360302"]
    }
    with _connection_kept_open():
        schema = _schema()
        for (name, token), (path, path_parameters, query) in itertools.product(tokens.items(), calls):
            case = schema[path]["GET"].Case(path_parameters=path_parameters, query=query)
            try:
                response = case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=checks)
                statuses[(name, path)] = response.status_code
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{name} GET {path}: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
    assert statuses[("clerk_360302", "/api/v1/cases/{case_no}/")] == 200
    assert statuses[("inspector_360302", "/api/v1/cases/{case_no}/ledger/")] == 200
    assert statuses[("inspector_360302", "/api/v1/cases/{case_no}/records/")] == 200
    assert statuses[("inspector_360302", "/api/v1/cases/{case_no}/evidence/")] == 200
    assert statuses[("clerk_360302", "/api/v1/tasks/{task_id}/")] == 200


# --- the schema's shape, on any database ------------------------------------------------------------


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _resolve(openapi, schema):
    while "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_the_schema_documents_lists_nullable_fields_decimals_and_errors(openapi):
    flows = openapi["paths"]["/api/v1/flows/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert flows["type"] == "array"  # GET /api/v1/flows/ answers a list
    row = openapi["components"]["schemas"]["TaskRow"]["properties"]
    assert row["owner"]["nullable"] is True and row["due_at"]["nullable"] is True
    assert row["case_no"]["nullable"] is True and row["receipt_no"]["nullable"] is True
    assert "decimal" in _resolve(openapi, openapi["components"]["schemas"]["Field"]["properties"]["type"])["enum"]
    entry = openapi["components"]["schemas"]["LedgerEntry"]["properties"]
    assert entry["amount_owed"]["type"] == "string" and entry["amount_owed"]["format"] == "decimal"
    errors = {"$ref": "#/components/schemas/Errors"}
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            for code in ("400", "401", "403", "404", "429"):
                assert code in operation["responses"], (method, path, code)
            if method == "post":
                assert {"409", "413", "415"} <= set(operation["responses"]), (method, path)
    assert (
        openapi["paths"]["/api/v1/tasks/{task_id}/"]["get"]["responses"]["404"]["content"]["application/json"]["schema"]
        == errors
    )


def test_a_decimal_form_field_is_reported_as_decimal_not_integer():
    from django import forms

    from workflows.api import form_fields

    class Form(forms.Form):
        amount = forms.DecimalField(max_digits=14, decimal_places=2)
        workers = forms.IntegerField()

    assert [f["type"] for f in form_fields(Form())] == ["decimal", "integer"]


def test_an_unknown_api_path_is_a_json_404(client):
    client.force_login(world.user("clerk", "360302"))
    for url in ["/api/v1/tasks/abc/", "/api/v1/cases/X/documents/-1/pdf/", "/api/v1/nothing/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["errors"]["detail"]
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")
