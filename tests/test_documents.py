"""文书: numbering (文号), the PDF, its hash, service (送达), downloads in scope, concurrent issue."""

from __future__ import annotations

import hashlib
import io
import re
import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases import timeline
from cases.documents import (
    SPECS,
    document_issue,
    document_pdf_bytes,
    document_serve,
    document_verify,
    documents_for,
    government_name,
    office_abbreviation,
    office_name,
    sequence_kind,
)
from cases.models import ArrearsEntry, Case, Document, Evidence, OfficeSequence, Party, Role, ServiceRecord
from tests import world
from tests.matrix import assigned_case_target

pytestmark = pytest.mark.django_db

K = Document.Kind
DUE = date(2026, 12, 15)
# What each kind needs besides the case (a deadline, a reason, …).
KIND_DATA = {
    K.NON_ACCEPTANCE_NOTICE: {"reason": "投诉事项已超过两年。"},
    K.INQUIRY_NOTICE: {"due_date": DUE},
    K.ORDER_TO_CORRECT: {"due_date": DUE},
    K.ORDER_TO_PAY: {"due_date": DUE},
    K.PENALTY_DECISION: {"penalty_amount": "20000.00"},
    K.COMPENSATION_ORDER: {"due_date": DUE, "compensation_rate": 80},
    K.WITHDRAWAL_DECISION: {"reason": "用人单位已全额支付。"},
    K.LISTING_NOTICE: {"due_date": DUE},
    K.SUPERVISION_NOTICE: {"due_date": DUE},
    K.DEMAND_NOTICE: {"due_date": DUE},
    K.DEPOSIT_DRAW_NOTICE: {"due_date": DUE, "addressee": "中国农业银行萍乡分行", "project": "安置房项目"},
    K.DEPOSIT_TOPUP_ORDER: {"due_date": DUE, "project": "安置房项目", "amount": "30000.00"},
    K.ACCOUNTABILITY_DECISION: {
        "addressee": "萍乡市安源区人力资源和社会保障局",
        "measure": "约谈",
        "reason": "逾期未办结。",
    },
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _leader(code: str = "360302"):
    return world.user(Role.LEADER, code)


def _issue(case: Case, kind: str = K.ORDER_TO_PAY, *, data: dict | None = None, at=None, **kwargs) -> Document:
    return document_issue(
        case=case,
        kind=kind,
        actor=kwargs.pop("actor", None) or _leader(case.region.code),
        role=Role.LEADER,
        data=KIND_DATA.get(kind, {}) if data is None else data,
        at=at,
        **kwargs,
    )


def _text(document: Document) -> str:
    """The PDF's extracted text, without blanks and line breaks (a long name may wrap)."""
    reader = PdfReader(io.BytesIO(document_pdf_bytes(document)))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _evidence(case: Case, content_type: str, name: str = "posted.jpg") -> Evidence:
    body = f"{case.case_no}:{name}".encode()
    evidence = Evidence(
        case=case,
        original_name=name,
        content_type=content_type,
        size=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        description="张贴现场照片",
        uploaded_by=world.user(Role.INSPECTOR, case.region.code),
        uploaded_at=timezone.now(),
    )
    evidence.file.save(name, ContentFile(body), save=False)
    evidence.save()
    return evidence


# --- the issuing office ----------------------------------------------------------------------------


def test_office_names_and_abbreviations():
    assert office_name(world.region("360302")) == "萍乡市安源区人力资源和社会保障局"
    assert office_name(world.region("360300")) == "萍乡市人力资源和社会保障局"
    assert office_name(world.region("360000")) == "江西省人力资源和社会保障厅"
    assert office_name(world.region("110000")) == "北京市人力资源和社会保障局"
    assert government_name(world.region("360302")) == "萍乡市安源区人民政府"
    assert [office_abbreviation(world.region(c)) for c in ("360302", "360300", "360000")] == ["安源", "萍乡", "赣"]
    # 朝阳区 exists in 北京 and 长春: each 文号 names its city, so numbers stay unique nationwide.
    assert office_abbreviation(world.region("110105")) == "京朝阳"
    assert office_abbreviation(world.region("220104")) == "长春朝阳"
    assert office_abbreviation(world.region("433100")) == "湘西"  # 湘西土家族苗族自治州


def test_every_kind_has_its_own_code_and_a_sequence_key_that_fits():
    assert len({spec.code for spec in SPECS.values()}) == len(K.values)
    keys = [sequence_kind(kind) for kind in K.values]
    assert len(set(keys)) == len(keys)
    assert max(map(len, keys)) <= OfficeSequence._meta.get_field("kind").max_length


def test_every_kind_has_its_own_text():
    from cases.documents import BODIES

    assert set(BODIES) == set(K.values)
    assert len(set(BODIES.values())) == len(BODIES)


# --- issue -----------------------------------------------------------------------------------------


def test_the_pdf_names_the_employer_and_the_number_as_text():
    case = world.make_case("360302", employer="萍乡市安源区文书测试建筑工程有限公司")
    case.employer.uscc = "91360302MA35L7XX1A"
    case.employer.save()
    for i, (name, owed) in enumerate([("张三", "12000.00"), ("李四", "8000.50")]):
        ArrearsEntry.objects.create(
            case=case,
            worker=Party.objects.create(name=name),
            period_start=date(2026, 5, 1),
            period_end=date(2026, 10, 31),
            amount_owed=Decimal(owed),
            amount_paid=Decimal("1000.00") if i == 0 else Decimal("0"),
        )
    events_before = timeline.for_case(case).count()

    document = _issue(case, K.ORDER_TO_PAY, data={"due_date": "2026-12-15", "facts": "经查，你单位拖欠工资。"})

    year = timezone.localtime(document.issued_at).year
    assert re.fullmatch(rf"安源人社监令〔{year}〕1号", document.number)
    assert (document.region, document.year, document.serial) == (case.region, year, 1)
    assert document.title == "限期支付令"
    text = _text(document)
    for expected in [
        "萍乡市安源区文书测试建筑工程有限公司",
        document.number,
        "91360302MA35L7XX1A",
        "萍乡市安源区人力资源和社会保障局",
        "限期支付令",
        "2026年12月15日",  # the deadline
        "张三",
        "19,000.50元",  # owed 20,000.50, paid 1,000.00
        "《劳动保障监察条例》第二十六条",
        "六十日内",
        "六个月内",
        "（印章）",
    ]:
        assert expected in text, expected
    assert hashlib.sha256(document_pdf_bytes(document)).hexdigest() == document.sha256
    events = list(timeline.for_case(case))
    assert len(events) == events_before + 1
    assert events[-1].kind == "document.issued"
    assert {k: events[-1].data[k] for k in ("number", "kind", "title", "sha256")} == {
        "number": document.number,
        "kind": "order_to_pay",
        "title": "限期支付令",
        "sha256": document.sha256,
    }
    assert timeline.chain_ok(case)


def test_every_kind_renders_with_its_title():
    case = world.make_case("360302")
    for kind in K.values:
        document = _issue(case, kind)
        text = _text(document)
        assert document.title in text and document.number in text, kind
        assert case.employer.name in text, kind
        if SPECS[kind].rights:
            assert "行政复议" in text and "行政诉讼" in text, kind
    penalty = Document.objects.get(case=case, kind=K.PENALTY_DECISION)
    assert "20,000.00元" in _text(penalty) and "十五日内" in _text(penalty)
    assert "移送" in _text(Document.objects.get(case=case, kind=K.REFERRAL_LETTER))


def test_figures_given_by_the_calling_service_are_printed():
    case = world.make_case("360302")
    case.compensation_rate = 80
    case.save(update_fields=["compensation_rate"])
    compensation = _issue(
        case, K.COMPENSATION_ORDER, data={"rate": 80, "outstanding": "1000.00", "compensation": "800.00"}
    )
    text = _text(compensation)
    assert "尚欠1,000.00元" in text and "加付赔偿金共计800.00元" in text and "立即一并支付" in text
    notice = _issue(case, K.PRE_DECISION_NOTICE, data={"facts": "经查……", "proposed_penalty": "20000.00"})
    assert "罚款20,000.00元" in _text(notice)
    approval = _issue(case, K.FILING_APPROVAL, data={"facts": "巡查发现欠薪。", "opinion": "同意立案调查"})
    assert "同意立案调查" in _text(approval)


def test_user_text_is_escaped_in_the_pdf():
    case = world.make_case("360302", employer="<b>甲&乙</b>建筑公司")
    text = _text(_issue(case, K.ORDER_TO_PAY))
    assert "<b>甲&乙</b>建筑公司" in text


def test_numbers_are_consecutive_per_office_year_and_kind():
    case, other_kind_case = world.make_case("360302"), world.make_case("360302")
    orders = [_issue(case, K.ORDER_TO_PAY) for _ in range(3)]
    penalties = [_issue(other_kind_case, K.PENALTY_DECISION) for _ in range(2)]
    elsewhere = _issue(world.make_case("360313"), K.ORDER_TO_PAY)
    year = orders[0].year
    assert [d.number for d in orders] == [f"安源人社监令〔{year}〕{n}号" for n in (1, 2, 3)]
    assert [d.number for d in penalties] == [f"安源人社监罚〔{year}〕{n}号" for n in (1, 2)]
    assert elsewhere.number == f"湘东人社监令〔{year}〕1号"


def test_the_year_is_the_shanghai_year():
    case = world.make_case("360302")
    late_2025 = _issue(case, K.INQUIRY_NOTICE, at=datetime(2025, 12, 31, 15, 30, tzinfo=UTC))  # 23:30 in Shanghai
    new_year = _issue(case, K.INQUIRY_NOTICE, at=datetime(2025, 12, 31, 16, 30, tzinfo=UTC))  # 00:30 on 1 January
    assert (late_2025.year, late_2025.number) == (2025, "安源人社监询〔2025〕1号")
    assert (new_year.year, new_year.number) == (2026, "安源人社监询〔2026〕1号")
    assert "2026年1月1日" in _text(new_year)


def test_a_superior_office_issues_the_supervision_notice():
    case = world.make_case("360302")
    document = _issue(case, K.SUPERVISION_NOTICE, office=world.region("360300"), actor=_leader("360300"))
    assert document.number.startswith("萍乡人社监督〔")
    text = _text(document)
    assert "萍乡市人力资源和社会保障局" in text and "萍乡市安源区人力资源和社会保障局：" in text
    with pytest.raises(ValidationError) as exc:
        _issue(case, K.SUPERVISION_NOTICE, office=world.region("360313"))
    assert "office" in exc.value.error_dict


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        (K.ORDER_TO_PAY, {}, "due_date"),
        (K.ORDER_TO_PAY, {"due_date": "15/12/2026"}, "due_date"),
        (K.PENALTY_DECISION, {}, "penalty_amount"),
        (K.PENALTY_DECISION, {"penalty_amount": "很多"}, "penalty_amount"),
        (K.COMPENSATION_ORDER, {"due_date": DUE, "compensation_rate": "八十"}, "compensation_rate"),
        (K.COMPENSATION_ORDER, {"due_date": DUE, "compensation_rate": 30}, "compensation_rate"),
        (K.WITHDRAWAL_DECISION, {}, "reason"),
        ("no_such_kind", {}, "kind"),
    ],
)
def test_issue_refuses_missing_content_and_writes_nothing(kind, data, field):
    case = world.make_case("360302")
    events = timeline.for_case(case).count()
    with pytest.raises(ValidationError) as exc:
        _issue(case, kind, data=data)
    assert field in exc.value.error_dict
    assert not Document.objects.filter(case=case).exists()
    assert timeline.for_case(case).count() == events
    assert not OfficeSequence.objects.filter(kind__startswith="doc:").exists()


def test_an_order_uses_the_cases_deadline():
    case = world.make_case("360302")
    case.order_due = date(2026, 12, 20)
    case.save(update_fields=["order_due"])
    assert "2026年12月20日" in _text(_issue(case, K.ORDER_TO_PAY, data={}))
    with pytest.raises(ValidationError) as exc:
        _issue(case, K.ORDER_TO_PAY, data={"due_date": "2026-12-25"})
    assert "due_date" in exc.value.error_dict


def test_a_datetime_deadline_is_a_shanghai_date():
    due = datetime(2026, 12, 14, 16, 30, tzinfo=UTC)  # 00:30 on 15 December in Shanghai
    document = _issue(world.make_case("360302"), K.INQUIRY_NOTICE, data={"due_date": due})
    assert document.data["due_date"] == "2026-12-15"
    assert "2026年12月15日" in _text(document)


def test_verify_detects_a_changed_or_missing_file():
    document = _issue(world.make_case("360302"))
    assert document_verify(document)
    path = document.file.path
    with open(path, "r+b") as f:
        f.seek(200)
        f.write(b"X")
    assert not document_verify(document)
    document.file.storage.delete(document.file.name)
    assert not document_verify(document)


# --- service (送达) --------------------------------------------------------------------------------


def _assigned_case_with_document():
    target = assigned_case_target("360302")
    case = Case.objects.get(case_no=target.case_no)
    document = _issue(case, at=timezone.now() - timedelta(days=3))
    return case, document, world.user(Role.INSPECTOR, "360302")


def _serve(document, inspector, **overrides):
    kwargs = {
        "document": document,
        "method": ServiceRecord.Method.DIRECT,
        "served_at": timezone.now() - timedelta(days=1),
        "recipient": "法定代表人王五",
        "actor": inspector,
        "role": Role.INSPECTOR,
    }
    return document_serve(**{**kwargs, **overrides})


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"served_at": "future"}, "served_at"),
        ({"served_at": "before issue"}, "served_at"),
        ({"method": ServiceRecord.Method.POSTED}, "proof"),
        ({"method": ServiceRecord.Method.POSTED, "proof": "pdf"}, "proof"),
        ({"method": ServiceRecord.Method.POSTED, "proof": "other case"}, "proof"),
        ({"recipient": "  "}, "recipient"),
        ({"method": "pigeon"}, "method"),
    ],
)
def test_serving_is_refused_naming_the_field_and_nothing_is_written(overrides, field):
    case, document, inspector = _assigned_case_with_document()
    values = {
        "future": timezone.now() + timedelta(hours=1),
        "before issue": document.issued_at - timedelta(minutes=1),
        "pdf": _evidence(case, "application/pdf", "receipt.pdf"),
        "other case": _evidence(world.case_in("360302"), "image/jpeg"),
    }
    overrides = {k: values.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    events = timeline.for_case(case).count()
    with pytest.raises(ValidationError) as exc:
        _serve(document, inspector, **overrides)
    assert field in exc.value.error_dict
    assert not ServiceRecord.objects.filter(document=document).exists()
    assert timeline.for_case(case).count() == events


def test_posting_with_a_photo_of_the_same_case_is_recorded_with_one_event():
    case, document, inspector = _assigned_case_with_document()
    photo = _evidence(case, "image/jpeg")
    events = timeline.for_case(case).count()
    record = _serve(document, inspector, method=ServiceRecord.Method.POSTED, proof=photo)
    assert record.proof == photo and record.recorded_by == inspector
    new = list(timeline.for_case(case))[events:]
    assert [e.kind for e in new] == ["document.served"]
    assert new[0].data["number"] == document.number and new[0].data["proof"] == photo.sha256
    video = _evidence(case, "video/mp4", "posted.mp4")
    _serve(document, inspector, method=ServiceRecord.Method.POSTED, proof=video)
    assert [s.proof for s in documents_for(case).get().services.all()] == [photo, video]
    assert timeline.chain_ok(case)


def test_the_api_records_a_service_for_the_assigned_inspector(client):
    case, document, inspector = _assigned_case_with_document()
    url = reverse("api-document-services", args=[case.case_no, document.pk])
    client.force_login(inspector)
    served_at = (timezone.now() - timedelta(hours=2)).isoformat()

    refused = client.post(url, {"method": "posted", "served_at": served_at, "recipient": "张贴于项目部"})
    assert refused.status_code == 400 and "proof" in refused.json()["errors"]
    foreign = _evidence(world.case_in("360302"), "image/jpeg")
    body = {"method": "posted", "served_at": served_at, "recipient": "张贴于项目部", "proof": foreign.pk}
    refused = client.post(url, body)
    assert refused.status_code == 400 and "proof" in refused.json()["errors"]
    assert not ServiceRecord.objects.exists()

    photo = _evidence(case, "image/png", "posted.png")
    response = client.post(url, {**body, "proof": photo.pk}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["method"] == "posted" and response.json()["proof"] == photo.pk

    client.force_login(world.user(Role.LEADER, "360302"))  # in scope, not assigned
    assert client.post(url, {**body, "proof": photo.pk}).status_code == 403


# --- reading -----------------------------------------------------------------------------------------


def test_download_in_scope_only(client):
    case = world.make_case("360302")
    document = _issue(case)
    url = reverse("cases:document-pdf", args=[case.case_no, document.pk])

    client.force_login(world.user(Role.CLERK, "360302"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(response.content).hexdigest() == document.sha256
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert f"filename*=UTF-8''{quote(document.number + '.pdf')}" in disposition
    api = client.get(reverse("api-case-document-pdf", args=[case.case_no, document.pk]), HTTP_ACCEPT="application/pdf")
    assert api.status_code == 200 and api.content == response.content
    # a document of another case, asked for under this case
    other = _issue(world.make_case("360302"))
    assert client.get(reverse("cases:document-pdf", args=[case.case_no, other.pk])).status_code == 404

    client.force_login(world.user(Role.CLERK, "360313"))  # another county
    assert client.get(url).status_code == 404
    missing = client.get(
        reverse("api-case-document-pdf", args=[case.case_no, document.pk]), HTTP_ACCEPT="application/pdf"
    )
    assert missing.status_code == 404 and "errors" in missing.json()
    client.force_login(world.user(Role.ADMIN, "360000"))
    assert client.get(url).status_code == 404
    client.force_login(world.user(Role.AUDITOR, "360000"))  # the province's auditor sees the county's case
    assert client.get(url).status_code == 200


def test_the_api_lists_a_cases_documents_with_their_services(client):
    case, document, inspector = _assigned_case_with_document()
    _serve(document, inspector)
    later = _issue(case, K.INQUIRY_NOTICE)
    client.force_login(world.user(Role.LEGAL, "360302"))
    data = client.get(reverse("api-case-documents", args=[case.case_no])).json()
    assert data["case_no"] == case.case_no
    assert [d["number"] for d in data["documents"]] == [document.number, later.number]
    first = data["documents"][0]
    assert {"number", "kind", "title", "issued_at", "sha256", "services"} <= set(first)
    assert [s["recipient"] for s in first["services"]] == ["法定代表人王五"]
    assert data["documents"][1]["services"] == []


def test_the_partial_lists_documents_with_a_pdf_link():
    case, document, inspector = _assigned_case_with_document()
    _serve(document, inspector)
    html = render_to_string("cases/_documents.html", {"documents": documents_for(case)})
    assert document.number in html and "限期支付令" in html and "法定代表人王五" in html
    assert reverse("cases:document-pdf", args=[case.case_no, document.pk]) in html
    assert "暂无文书" in render_to_string("cases/_documents.html", {"documents": []})


# --- concurrency (PostgreSQL: SQLite serialises writers anyway) -----------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_issue_gives_consecutive_numbers(on_postgres):
    from cases.regions import regions_load
    from cases.services import staff_create

    regions_load(province="360000")
    region = world.region("360302")
    leader = staff_create(username="leader_docs", region=region, role=Role.LEADER)
    cases = [world.make_case("360302") for _ in range(4)]
    threads_count, per_thread = 8, 3
    barrier = threading.Barrier(threads_count)
    results: list = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait()
            for j in range(per_thread):
                document = document_issue(
                    case=cases[(i + j) % len(cases)],  # the same case from several threads, and several cases
                    kind=K.ORDER_TO_PAY,
                    actor=leader,
                    role=Role.LEADER,
                    data={"due_date": "2026-12-15"},
                )
                with lock:
                    results.append(document.serial)
        except Exception as exc:  # reported by the assertions below
            with lock:
                results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not [r for r in results if isinstance(r, Exception)], results
    n = threads_count * per_thread
    assert sorted(results) == list(range(1, n + 1))
    serials = sorted(Document.objects.filter(region=region, kind=K.ORDER_TO_PAY).values_list("serial", flat=True))
    assert serials == list(range(1, n + 1))
    assert Document.objects.values("number").distinct().count() == n
    assert all(timeline.chain_ok(case) for case in cases)
    assert all(document_verify(d) for d in Document.objects.all())
