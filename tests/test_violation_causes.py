"""Issue 13 item 5 (causes): violations other than arrears — WPR arts 54–57 — are case causes, each with the basis
of its penalty and that basis's range; an order to correct names the causes and the deadline."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from cases import penalty
from cases.documents import document_pdf_bytes
from cases.models import CaseCause, Document, Violation
from cases.penalty import event_label
from tests import factories, world
from tests.flowkit import api

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def inspector():
    return world.user("inspector", "360302")


def _text(document: Document) -> str:
    reader = PdfReader(io.BytesIO(document_pdf_bytes(document)))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize(
    ("violation", "basis", "low", "high"),
    [
        (Violation.ARREARS, "lsir_26", "50", "100"),
        (Violation.PAID_IN_KIND, "wpr_54_unit", "20000", "50000"),
        (Violation.NO_LEDGER, "wpr_54_unit", "20000", "50000"),
        (Violation.NO_WAGE_ACCOUNT, "wpr_55", "50000", "100000"),
        (Violation.NO_DEPOSIT, "wpr_55", "50000", "100000"),
        (Violation.NO_REAL_NAME, "wpr_55", "50000", "100000"),
        (Violation.NO_MONTHLY_SHEET, "wpr_56", "50000", "100000"),
        (Violation.NO_NOTICE_BOARD, "wpr_56", "50000", "100000"),
        (Violation.NO_PAYMENT_GUARANTEE, "wpr_57", "50000", "100000"),
        (Violation.OBSTRUCTION, "lsir_30", "2000", "20000"),
    ],
)
def test_each_violation_is_a_cause_with_its_basis_and_penalty_range(violation, basis, low, high):
    case = world.make_case("360302")
    cause = penalty.case_cause_add(case=case, actor=inspector(), violation=violation, note="")
    assert cause.basis.code == basis
    row = penalty.cause_rows(case)[0]
    assert (row["min"], row["max"]) == (Decimal(low), Decimal(high))


def test_a_cause_is_a_timeline_event_with_a_human_label_and_is_not_added_twice():
    case = world.make_case("360302")
    penalty.case_cause_add(case=case, actor=inspector(), violation=Violation.NO_NOTICE_BOARD, note="现场未设告示牌")
    assert case.events.filter(kind="case.cause_added").count() == 1
    assert penalty.violations_of(case) == {Violation.NO_NOTICE_BOARD}  # no arrears cause
    assert event_label("case.cause_added") == "增加案由"
    with pytest.raises(ValidationError) as err:
        penalty.case_cause_add(case=case, actor=inspector(), violation=Violation.NO_NOTICE_BOARD, note="")
    assert "violation" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        penalty.case_cause_add(case=case, actor=inspector(), violation="no_such_thing", note="")
    assert "violation" in err.value.message_dict
    cause = CaseCause.objects.get(case=case)
    penalty.case_cause_remove(case=case, actor=inspector(), cause_id=cause.pk, reason="误录")
    assert penalty.cause_rows(case) == []
    penalty.case_cause_add(case=case, actor=inspector(), violation=Violation.NO_NOTICE_BOARD, note="")


def test_an_order_to_correct_names_the_causes_and_the_deadline():
    case = factories.case("deciding")
    for violation in (Violation.NO_WAGE_ACCOUNT, Violation.NO_REAL_NAME, Violation.NO_NOTICE_BOARD):
        penalty.case_cause_add(case=case, actor=inspector(), violation=violation, note="")
    due = timezone.localdate() + timedelta(days=20)
    factories.step(
        case, inspector(), decision="order_to_correct", facts="现场检查发现下列问题。", order_due=due.isoformat()
    )
    order = Document.objects.get(case=case, kind=Document.Kind.ORDER_TO_CORRECT)
    text = _text(order)
    assert "未按规定开设或者使用农民工工资专用账户" in text and "第二十六条" in text
    assert "未实行劳动用工实名制管理" in text and "第二十八条" in text
    assert "维权信息告示牌" in text and "第三十四条" in text
    assert f"{due.year}年{due.month}月{due.day}日" in text


def test_causes_through_the_api():
    case = factories.case("investigating")
    client = api("inspector_360302")
    response = client.post(
        f"/api/v1/cases/{case.case_no}/penalty/cause/", {"violation": "no_deposit", "note": "未存储工资保证金"}
    )
    assert response.status_code == 201, response.json()
    causes = response.json()["causes"]
    assert causes[0]["basis"] == "wpr_55" and causes[0]["min"] == "50000.00" and causes[0]["max"] == "100000.00"
    bad = client.post(f"/api/v1/cases/{case.case_no}/penalty/cause/", {"violation": ""})
    assert bad.status_code == 400 and "violation" in bad.json()["errors"]


def test_the_causes_chosen_when_deciding_are_named_by_the_order_to_correct():
    case = factories.case("deciding")
    due = timezone.localdate() + timedelta(days=20)
    client = api("inspector_360302")
    rows = client.get("/api/v1/tasks/", {"scope": "queue"}).json()["results"]
    rows += client.get("/api/v1/tasks/", {"scope": "mine"}).json()["results"]  # or routed to its inbox
    task = [r for r in rows if r["case_no"] == case.case_no][-1]
    if task["owner"] != "inspector_360302":
        assert client.post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 200
    response = client.post(
        f"/api/v1/tasks/{task['id']}/complete/",
        {"decision": "order_to_correct", "facts": "现场检查发现问题。", "order_due": due.isoformat(),
         "causes": ["no_real_name", "no_monthly_sheet"]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert penalty.violations_of(case) == {Violation.NO_REAL_NAME, Violation.NO_MONTHLY_SHEET}
    text = _text(Document.objects.get(case=case, kind=Document.Kind.ORDER_TO_CORRECT))
    assert "未实行劳动用工实名制管理" in text and "第三十一条" in text
