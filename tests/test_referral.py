"""涉嫌犯罪移送 (SPEC §4.4): the eligibility function at its thresholds (by the province's figures),
the order and ground conditions, refusal through the API and the start page, and the flow walked
through the API to each end, with every clock (3 days, 24 hours, 3 days …) swept overdue when missed."""

from __future__ import annotations

import importlib
import io
import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from stdnum.cn import ric

from cases import enforcement, investigation, timeline
from cases.deadlines import RULES, days_left, deadlines_for
from cases.documents import document_issue, document_pdf_bytes, document_serve
from cases.evidence import evidence_upload
from cases.ledger import ledger_entry_add, payment_record
from cases.models import Case, Deadline, Document, Evidence, ProvinceConfig, Referral, ServiceRecord
from cases.models.supervision import CrimeGround
from cases.referral import (
    GROUND_EVENT,
    months_between,
    referral_approve,
    referral_eligibility,
    referral_grounds_record,
    referral_propose,
)
from cases.workdays import period_end
from tests import factories, world
from tests.clock import days_later
from tests.flowkit import api, claim_and_complete, submit

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
PDF = b"%PDF-1.4\n" + bytes(200) + b"\n%%EOF\n"
S = Referral.Status
crime_ground_migration = importlib.import_module("cases.migrations.0017_crime_ground")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def worker_id(i: int) -> str:
    base = f"36030219850101{i:03d}"
    return base + ric.calc_check_digit(base + "0")  # stdnum ignores the last character given


def inspectors(code: str = "360302"):
    return world.user("inspector", code), world.second_inspector(code)


def upload(case: Case, *, name="posted.png", content=PNG, content_type="image/png", description="张贴现场照片"):
    return evidence_upload(
        case=case,
        upload=SimpleUploadedFile(name, content, content_type=content_type),
        description=description,
        actor=world.user("inspector", "360302"),
    )


# --- a case built with the services, for the eligibility function -------------------------------------


def build(
    entries: list[tuple[str, str, str]],
    *,
    due_days: int = -1,
    serve: str | None = "direct",
    proof: str | None = None,
    ground: bool = True,
    kind: str = Document.Kind.ORDER_TO_PAY,
) -> Case:
    """A case at 360302 with two assigned inspectors; a ledger entry per (period_start, period_end, amount),
    one worker each; an order of `kind` due `due_days` from today, served 15 days ago by `serve`
    (None: not served) with `proof` ("photo", "pdf" or None); a recorded ground when `ground`."""
    case = world.make_case("360302")
    ins, second = inspectors()
    investigation.case_assign_inspectors(
        case=case, inspectors=[ins, second], actor=world.user("leader", "360302"), conflict_declared=True
    )
    for i, (start, end, amount) in enumerate(entries, 1):
        ledger_entry_add(
            case=case,
            worker={"name": f"工人{i}", "id_number": worker_id(i)},
            period_start=start,
            period_end=end,
            amount_owed=amount,
            actor=ins,
        )
    now = timezone.now()
    case.order_due = timezone.localdate() + timedelta(days=due_days)
    case.save(update_fields=["order_due"])
    data = {"facts": "拖欠工资。"} if kind == Document.Kind.ORDER_TO_PAY else {"due_date": case.order_due}
    if kind == Document.Kind.PENALTY_DECISION:
        data["penalty_amount"] = "20000"
    document = document_issue(case=case, kind=kind, actor=ins, role="inspector", data=data, at=now - timedelta(days=20))
    evidence = {
        "photo": lambda: upload(case),
        "pdf": lambda: upload(case, name="notice.pdf", content=PDF, content_type="application/pdf"),
        None: lambda: None,
    }[proof]()
    served_at = now - timedelta(days=15)
    if serve == "posted" and (evidence is None or evidence.content_type != "image/png"):
        # document_serve refuses this; the record may still exist (imported, or entered before the rule)
        ServiceRecord.objects.create(
            document=document, method=serve, served_at=served_at, recipient="（张贴）", proof=evidence,
            recorded_by=ins, recorded_at=now,
        )  # fmt: skip
    elif serve:
        document_serve(
            document=document, method=serve, served_at=served_at, recipient="法定代表人王某", actor=ins,
            role="inspector", proof=evidence,
        )  # fmt: skip
    if ground:
        flight = upload(case, name="absent.png", description="负责人失联、拒不到案的询问通知及电话记录")
        referral_grounds_record(case=case, actor=ins, ground="flight", evidence=flight, note="经通知拒不到案")
    return case


ONE = [("2026-05-01", "2026-07-31", "10000.00")]  # one worker: 3 months, 10,000 yuan (both at the default)


SEPTEMBER = ("2026-09-01", "2026-09-30")  # one month only: the single-worker test cannot pass


def group(n: int, amount: str = "6000.00", last: str | None = None) -> list[tuple[str, str, str]]:
    """`n` workers owed `amount` each for one month (the last one `last`)."""
    rows = [(*SEPTEMBER, amount) for _ in range(n)]
    if last:
        rows[-1] = (*SEPTEMBER, last)
    return rows


def failures(case: Case, **kw) -> list[str]:
    result = referral_eligibility(case, **kw)
    assert result.eligible == (not result.failures)
    return result.failures


def test_months_are_counted_from_the_ledger_periods():
    d = datetime.fromisoformat
    assert months_between(d("2026-05-01").date(), d("2026-07-31").date()) == 3
    assert months_between(d("2026-05-15").date(), d("2026-08-14").date()) == 3
    assert months_between(d("2026-05-01").date(), d("2026-07-30").date()) == 2 + Fraction(30, 31)
    assert months_between(d("2026-02-01").date(), d("2026-02-28").date()) == 1  # February, whole
    assert months_between(d("2026-02-01").date(), d("2026-02-14").date()) == Fraction(14, 28)


def test_the_default_figures_come_from_the_province_config():
    config = ProvinceConfig(province=world.region("360000"))
    assert (config.crime_single_months, config.crime_single_amount) == (3, Decimal("10000"))
    assert (config.crime_group_workers, config.crime_group_amount) == (10, Decimal("60000"))
    assert not ProvinceConfig.objects.filter(province__code="360000").exists()


def test_one_worker_three_months_and_ten_thousand_is_eligible():
    result = referral_eligibility(build(ONE))
    assert result.eligible, result.failures
    assert any("单人" in r for r in result.reasons)
    assert any("尚未按省高级人民法院规定确认" in r for r in result.reasons)  # the default figures are flagged
    assert result.figures["amount"]["standard"]["single_amount"] == "10000.00"


@pytest.mark.parametrize(
    "entries",
    [
        [("2026-05-01", "2026-07-31", "9999.99")],  # a cent under the amount
        [("2026-05-01", "2026-07-30", "12000.00")],  # a day under three months
    ],
    ids=["amount", "months"],
)
def test_one_worker_just_under_the_threshold_is_not(entries):
    found = failures(build(entries))
    assert len(found) == 1 and "数额较大" in found[0], found
    assert "3个月以上且不少于10,000.00元" in found[0]


def test_two_periods_of_one_worker_add_up_to_three_months():
    case = build([("2026-05-01", "2026-06-30", "6000.00")])
    ledger_entry_add(
        case=case, worker={"name": "工人1", "id_number": worker_id(1)}, period_start="2026-07-01",
        period_end="2026-07-31", amount_owed="4000.00", actor=world.user("inspector", "360302"),
    )  # fmt: skip
    assert failures(case) == []


def test_ten_workers_totalling_sixty_thousand_is_eligible():
    result = referral_eligibility(build(group(10)))
    assert result.eligible, result.failures
    assert any("10名劳动者被拖欠工资累计60,000.00元" in r for r in result.reasons)


@pytest.mark.parametrize(
    "entries", [group(9, "6700.00"), group(10, last="5999.99")], ids=["nine-workers", "a-cent-short"]
)
def test_a_group_just_under_the_threshold_is_not(entries):
    found = failures(build(entries))
    assert len(found) == 1 and "10名以上劳动者累计不少于60,000.00元" in found[0], found


def test_partial_payments_count_only_what_is_still_owed():
    case = build(group(10))
    entry = case.ledger.order_by("id").first()
    payment_record(entry=entry, amount="0.01", paid_on=timezone.localdate(), actor=world.user("inspector", "360302"))
    assert "数额较大" in failures(case)[0]


def test_the_province_config_moves_every_threshold():
    ProvinceConfig.objects.create(
        province=world.region("360000"),
        crime_single_months=2,
        crime_single_amount=Decimal("5000"),
        crime_group_workers=5,
        crime_group_amount=Decimal("30000"),
        crime_figures_confirmed=True,
    )
    # below the defaults, at the province's own figures
    assert failures(build([("2026-05-01", "2026-06-30", "5000.00")])) == []
    assert failures(build(group(5))) == []
    result = referral_eligibility(build(group(5, "5999.99")))
    assert "5名以上劳动者累计不少于30,000.00元" in result.failures[0]
    assert not any("尚未按省高级人民法院规定确认" in r for r in result.reasons)
    # and above them
    ProvinceConfig.objects.filter(province__code="360000").update(crime_single_amount=Decimal("20000"))
    assert "2个月以上且不少于20,000.00元" in failures(build(ONE))[0]


def test_an_order_not_served_is_not_enough():
    found = failures(build(ONE, serve=None))
    assert len(found) == 1 and "尚未送达" in found[0], found


@pytest.mark.parametrize("proof", [None, "pdf"])
def test_an_order_posted_without_photo_or_video_is_not_served(proof):
    found = failures(build(ONE, serve="posted", proof=proof))
    assert len(found) == 1 and "公告（张贴）送达" in found[0] and "照片或录像" in found[0], found


def test_an_order_posted_with_a_photo_is_served():
    assert failures(build(ONE, serve="posted", proof="photo")) == []


@pytest.mark.parametrize("due_days", [0, 3])
def test_the_order_deadline_must_have_passed(due_days):
    found = failures(build(ONE, due_days=due_days))
    assert len(found) == 1 and "尚未届满" in found[0], found


def test_the_day_after_the_deadline_is_enough_and_today_is_a_parameter():
    case = build(ONE, due_days=-1)
    assert failures(case) == []
    assert "尚未届满" in failures(case, today=timezone.localdate() - timedelta(days=1))[0]


def test_a_penalty_decision_is_never_the_order_to_pay_the_handling_decision_is():
    """Issue 13 item 3: a 行政处罚决定书 orders no wage payment (even with a due date); the served
    行政处理决定书 (责令限期支付工资) is the order referral relies on."""
    found = failures(build(ONE, kind=Document.Kind.PENALTY_DECISION))
    assert len(found) == 1 and "未作出责令限期支付工资的行政处理决定" in found[0], found
    assert failures(build(ONE, kind=Document.Kind.HANDLING_DECISION)) == []


def test_a_later_decision_with_a_new_deadline_holds_the_referral_until_that_deadline_has_passed():
    """Issue 13 item 1: the case's order deadline (case.order_due) governs, whatever an earlier document says:
    before the day after it, no referral; from that day, the ignored order counts again."""
    case = build(ONE)
    later = timezone.localdate() + timedelta(days=15)
    factories.penalty_ready(case, "5000")
    investigation.case_penalty_decide(case=case, actor=world.user("leader", "360302"), amount=Decimal("5000"))
    # the penalty decision carries only the fine; the wage order's new deadline is the handling decision's
    enforcement.case_handling_decide(case=case, actor=world.user("leader", "360302"), order_due=later)
    assert Case.objects.get(pk=case.pk).order_due == later
    found = failures(Case.objects.get(pk=case.pk))
    assert len(found) == 1 and "尚未届满" in found[0], found
    with days_later(16):
        assert failures(Case.objects.get(pk=case.pk)) == []


def test_no_order_at_all():
    case = build(ONE)
    Document.objects.filter(case=case).update(kind=Document.Kind.INQUIRY_NOTICE)
    assert "未作出责令限期支付工资的行政处理决定" in failures(case)[0]


def test_without_flight_or_refusal_recorded_it_is_not_eligible():
    found = failures(build(ONE, ground=False))
    assert len(found) == 1 and "逃匿" in found[0] and "有能力支付而不支付" in found[0], found


def test_a_ground_is_one_timeline_event_and_needs_evidence_of_the_case():
    case = build(ONE, ground=False)
    other = world.make_case("360302")
    from django.core.exceptions import ValidationError

    foreign = Evidence.objects.create(
        case=other, original_name="x.png", content_type="image/png", size=1, sha256="0" * 64, description="x",
        uploaded_by=world.user("inspector", "360302"), uploaded_at=timezone.now(),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        referral_grounds_record(case=case, actor=world.user("inspector", "360302"), ground="refusal", evidence=foreign)
    with pytest.raises(ValidationError):
        referral_grounds_record(case=case, actor=world.user("inspector", "360302"), ground="other", evidence=None)
    before = case.events.count()
    proof = upload(case, name="bank.png", description="银行流水显示有支付能力")
    referral_grounds_record(case=case, actor=world.user("inspector", "360302"), ground="refusal", evidence=proof)
    assert case.events.count() == before + 2  # the upload, then the ground
    assert case.events.order_by("-seq").first().kind == "case.crime_ground_recorded"
    result = referral_eligibility(case)
    assert result.eligible and any("有能力支付而不支付" in r for r in result.reasons)


def test_a_ground_is_a_row_of_the_crime_ground_table_written_with_its_event():
    case = build(ONE, ground=False)
    inspector = world.user("inspector", "360302")
    proof = upload(case, name="bank.png", description="银行流水显示有支付能力")
    event = referral_grounds_record(case=case, actor=inspector, ground="refusal", evidence=proof, note=" 有存款 ")
    row = CrimeGround.objects.get(case=case)
    assert (row.ground, row.evidence_id, row.evidence_sha256, row.description, row.note, row.recorded_by) == (
        "refusal", proof.pk, proof.sha256, "银行流水显示有支付能力", "有存款", inspector,
    )  # fmt: skip
    assert row.recorded_at == event.at and event.kind == GROUND_EVENT
    assert event.data == {
        "ground": "refusal", "evidence": proof.pk, "sha256": proof.sha256, "description": "银行流水显示有支付能力",
        "note": "有存款",
    }  # fmt: skip
    (ground,) = referral_eligibility(case).figures["grounds"]
    assert ground == {
        "ground": "refusal", "evidence": proof.pk, "sha256": proof.sha256, "description": "银行流水显示有支付能力",
        "note": "有存款", "at": CrimeGround.objects.get().recorded_at.isoformat(), "by": inspector.get_username(),
    }  # fmt: skip


def test_eligibility_reads_the_table_not_the_timeline():
    case = build(ONE, ground=False)
    proof = upload(case, name="bank.png", description="银行流水")
    with transaction.atomic():  # an event alone (as written before the table existed) is not a ground
        timeline.record(
            case, GROUND_EVENT, actor=world.user("inspector", "360302"),
            data={"ground": "refusal", "evidence": proof.pk, "sha256": proof.sha256, "description": "银行流水"},
        )  # fmt: skip
    assert not referral_eligibility(case).eligible
    referral_grounds_record(case=case, actor=world.user("inspector", "360302"), ground="refusal", evidence=proof)
    assert referral_eligibility(case).eligible
    Evidence.objects.filter(pk=proof.pk).update(sha256="f" * 64)  # the file no longer what was recorded
    assert any("逃匿" in f for f in failures(case))


def test_a_step_not_open_in_the_referrals_state_names_the_state():
    """The transition kernel's StateConflict on "status", with the referral's own message."""
    from django.core.exceptions import ValidationError

    case = build(ONE)
    referral = referral_propose(case=case, actor=world.user("inspector", "360302"))
    events = case.events.count()
    with pytest.raises(ValidationError) as refused:
        referral_approve(referral=referral, actor=world.user("leader", "360302"), approved=True, opinion="同意")
    assert refused.value.message_dict == {"status": ["移送当前状态为“法制审核”，不能办理此环节。"]}
    assert case.events.count() == events and Referral.objects.get(pk=referral.pk).status == S.REVIEW


def test_migration_0017_backfills_the_grounds_from_the_timeline():
    case = build(ONE, ground=False)
    inspector = world.user("inspector", "360302")
    proof = upload(case, name="bank.png", description="银行流水")
    with transaction.atomic():
        first = timeline.record(
            case, GROUND_EVENT, actor=inspector, role="inspector",
            data={"ground": "refusal", "evidence": proof.pk, "sha256": proof.sha256, "description": "银行流水",
                  "note": "有存款"},
        )  # fmt: skip
        timeline.record(
            case, GROUND_EVENT, actor=inspector,
            data={"ground": "flight", "evidence": 10**9, "sha256": "0" * 64, "description": "已删除", "note": ""},
        )  # fmt: skip
    assert not referral_eligibility(case).eligible

    crime_ground_migration.backfill(apps, SimpleNamespace(connection=connection))

    rows = list(CrimeGround.objects.filter(case=case).order_by("recorded_at", "id"))
    assert [(r.ground, r.evidence_id, r.evidence_sha256, r.note, r.recorded_by) for r in rows] == [
        ("refusal", proof.pk, proof.sha256, "有存款", inspector),
        ("flight", None, "0" * 64, "", inspector),  # its evidence is gone: kept, but it does not count
    ]
    assert rows[0].recorded_at == first.at
    result = referral_eligibility(case)
    assert result.eligible and [g["ground"] for g in result.figures["grounds"]] == ["refusal"]


def test_everything_paid_after_the_deadline_is_not_eligible():
    case = build(ONE)
    entry = case.ledger.get()
    payment_record(
        entry=entry, amount="10000.00", paid_on=timezone.localdate(), actor=world.user("inspector", "360302")
    )
    found = failures(case)
    assert any("全部支付" in f for f in found) and any("数额" in f or "台账" in f for f in found)


def test_eligibility_writes_nothing():
    case = build(ONE)
    events, referrals = case.events.count(), Referral.objects.count()
    referral_eligibility(case)
    referral_eligibility(case, today=timezone.localdate() + timedelta(days=30))
    assert (case.events.count(), Referral.objects.count()) == (events, referrals)


def test_the_package_carries_the_report_evidence_list_and_wage_calculation():
    case = build(group(10))
    referral = referral_propose(case=case, actor=world.user("inspector", "360302"))
    assert referral.status == S.REVIEW and referral.eligibility["eligible"]
    package = referral.package
    assert package.kind == Document.Kind.REFERRAL_LETTER
    assert package.data["addressee"] == "萍乡市公安局安源分局"
    assert package.data["procuratorate"] == "萍乡市安源区人民检察院"
    assert len(package.data["wage_calculation"]) == 10
    text = re.sub(
        r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(document_pdf_bytes(package))).pages)
    )
    for part in (
        "涉嫌犯罪案件移送书",
        "一、涉嫌犯罪案件调查报告",
        "二、证据清单",
        "三、拖欠工资计算表",
        "抄送：萍乡市安源区人民检察院",
    ):
        assert part in text, part
    kinds = list(case.events.order_by("seq").values_list("kind", flat=True))[-2:]
    assert kinds == ["document.issued", "referral.proposed"]
    # one open referral per case
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        referral_propose(case=case, actor=world.user("inspector", "360302"))
    assert "正在办理" in refused.value.message_dict["case_no"][0]


# --- through the API ---------------------------------------------------------------------------------


def start(username: str, case_no: str, **extra):
    return api(username).post("/api/v1/flows/referral/start/", {"case_no": case_no, **extra}, format="json")


def test_below_the_threshold_the_start_is_refused_with_the_reasons():
    case = build([("2026-05-01", "2026-07-31", "5000.00")], ground=False)
    response = start("inspector_360302", case.case_no)
    assert response.status_code == 400, response.json()
    reasons = response.json()["errors"]["case_no"]
    assert len(reasons) == 2 and "数额较大" in reasons[0] and "逃匿" in reasons[1]
    assert not Referral.objects.filter(case=case).exists()
    # the start page shows them too
    from django.test import Client

    client = Client()
    client.force_login(world.user("inspector", "360302"))
    page = client.post(reverse("tasks:start", args=["referral"]), {"case_no": case.case_no})
    assert page.status_code == 400
    assert "拖欠数额未达到本省“数额较大”标准" in page.content.decode()
    assert client.get(reverse("tasks:start", args=["referral"]) + f"?case_no={case.case_no}").status_code == 200


def test_who_may_start_a_referral():
    case = build(ONE)
    assert start("inspector_360313", case.case_no).status_code == 404  # another county: not revealed
    assert start("clerk_360302", case.case_no).status_code == 403
    assert start("leader_360302", case.case_no).status_code == 403
    from cases.services import staff_create

    staff_create(username="inspector9_360302", region=world.region("360302"), role="inspector")
    assert (
        api("inspector9_360302")
        .post("/api/v1/flows/referral/start/", {"case_no": case.case_no}, format="json")
        .status_code
        == 403
    )  # of the office, not assigned to the case
    names = [f["name"] for f in api("inspector_360302").get("/api/v1/flows/").json()]
    assert "referral" in names and "referral" not in [
        f["name"] for f in api("clerk_360302").get("/api/v1/flows/").json()
    ]
    assert not Referral.objects.filter(case=case).exists()


def eligible_case_through_the_api() -> Case:
    """The investigation walked through the API to the unpaid hand-off (as tests/test_investigation_flow.py),
    twelve workers owed 6,000 yuan each for six months; then the order's deadline is in the past."""
    receipt = submit(workers_count=12, amount_owed="72000.00")["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="accept")
    ins, second = inspectors()
    claim_and_complete("leader_360302", receipt, inspectors=[ins.pk, second.pk], conflict_declared=True)
    case = Case.objects.get(complaints__receipt_no=receipt)
    client = api("inspector_360302")
    for i in range(12):
        added = client.post(
            f"/api/v1/cases/{case.case_no}/ledger/",
            {"worker": {"name": f"工人{i + 1}", "id_number": worker_id(i + 1)}, "period_start": "2026-05-01",
             "period_end": "2026-10-31", "amount_owed": "6000.00"},
            format="json",
        )  # fmt: skip
        assert added.status_code == 201, added.json()
    claim_and_complete("inspector_360302", receipt, violation=True, findings="查实拖欠12名劳动者工资72000元。")
    due = timezone.localdate() + timedelta(days=5)
    claim_and_complete("inspector_360302", receipt, decision="order_to_pay", facts="拖欠。", order_due=due.isoformat())
    claim_and_complete(
        "inspector_360302", receipt, method="direct", served_at=timezone.now().isoformat(), recipient="法定代表人王某"
    )
    call_command("sweep_deadlines", "--at", f"{due + timedelta(days=1)}T00:00:01")
    with days_later(6):  # verification and "unpaid" only after the order's deadline (cases.enforcement)
        claim_and_complete("inspector_360302", receipt, note="逾期未支付。")
        claim_and_complete(
            "inspector_360302", receipt, compensation_rate=50, penalty_amount="20000", penalty_basis="lsir_30"
        )
    # Time passes: the order was served a week ago and its deadline was yesterday.
    yesterday = timezone.localdate() - timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(order_due=yesterday)
    order = case.documents.get(kind=Document.Kind.HANDLING_DECISION)
    Document.objects.filter(pk=order.pk).update(data={**order.data, "due_date": yesterday.isoformat()})
    ServiceRecord.objects.filter(document=order).update(served_at=timezone.now() - timedelta(days=7))
    case.refresh_from_db()
    assert case.unpaid_after_order and case.status == Case.Status.ENFORCING
    return case


def evidence_via_api(case: Case) -> int:
    response = api("inspector_360302").post(
        f"/api/v1/cases/{case.case_no}/evidence/",
        {"file": SimpleUploadedFile("absent.png", PNG, content_type="image/png"), "description": "拒不到案的通知回执"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def step(username: str, case: Case, name: str, **data) -> list[str]:
    """Claim and complete the user's queued task `name` of the case's referral; the next steps."""
    rows = api(username).get("/api/v1/tasks/", {"scope": "queue"}).json()["results"]
    rows += api(username).get("/api/v1/tasks/", {"scope": "mine"}).json()["results"]  # routed to it
    tasks = [r for r in rows if r["case_no"] == case.case_no and r["flow"] == "ReferralFlow" and r["step"] == name]
    assert tasks, f"{username} has no {name} task: {rows}"
    client = api(username)
    if tasks[0]["owner"] != username:
        assert client.post(f"/api/v1/tasks/{tasks[0]['id']}/assign/").status_code == 200
    response = client.post(f"/api/v1/tasks/{tasks[0]['id']}/complete/", data, format="json")
    assert response.status_code == 200, response.json()
    return [t["step"] for t in response.json()["next_tasks"] if t["flow"] == "ReferralFlow"]


def missed(case: Case, kind: str, length: int, unit: str, article: str) -> None:
    """The clock of `kind` runs `length` `unit` from its start, and the sweep marks it overdue once missed."""
    clock = case.deadlines.filter(kind=kind).order_by("-id").first()
    assert clock is not None and clock.state == Deadline.State.RUNNING, kind
    assert (clock.length, clock.unit) == (length, unit) and article in clock.legal_basis, kind
    if unit == Deadline.Unit.HOURS:
        assert clock.due_at == clock.start_at + timedelta(hours=length)
    else:  # calendar days: the end of the n-th day after the start, or of the next working day after a holiday
        day = period_end(clock.start_at.astimezone(SH).date() + timedelta(days=length))
        assert clock.due_at == datetime.combine(day, time(23, 59, 59), tzinfo=SH)
    call_command("sweep_deadlines", "--at", (clock.due_at - timedelta(seconds=1)).isoformat())
    clock.refresh_from_db()
    assert clock.state == Deadline.State.RUNNING, kind
    call_command("sweep_deadlines", "--at", (clock.due_at + timedelta(seconds=1)).isoformat())
    clock.refresh_from_db()
    assert clock.state == Deadline.State.OVERDUE, kind
    assert case.events.filter(kind="deadline.overdue", data__kind=kind).exists()


def started(case: Case) -> Referral:
    response = start(
        "inspector_360302", case.case_no, ground="flight", ground_evidence=evidence_via_api(case),
        ground_note="经书面通知拒不到案", facts="用人单位负责人逃匿，拒不支付劳动者工资。",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert [t["step"] for t in response.json()["next_tasks"]] == ["legal_review"]
    return Referral.objects.get(case=case)


def to_police(case: Case) -> Referral:
    """From the start to the police's decision: a return to amend on the way; each clock missed once."""
    referral = started(case)
    assert referral.status == S.REVIEW and referral.package.kind == Document.Kind.REFERRAL_LETTER
    assert step("legal_360302", case, "legal_review", decision="returned", opinion="请补充逃匿证据说明。") == ["amend"]
    assert step("inspector_360302", case, "amend", decision="resubmitted", facts="补充：负责人已更换手机号码。") == [
        "legal_review"
    ]
    referral.refresh_from_db()
    assert Document.objects.filter(case=case, kind=Document.Kind.REFERRAL_LETTER).count() == 2
    assert step("legal_360302", case, "legal_review", decision="approved", opinion="事实清楚，同意移送。") == [
        "approve"
    ]
    missed(case, "referral.approve", 3, Deadline.Unit.DAYS, "第五条")
    assert step("leader_360302", case, "approve", approved="yes", opinion="同意移送。") == ["transfer"]
    missed(case, "referral.transfer", 24, Deadline.Unit.HOURS, "第五条")
    assert step("inspector_360302", case, "transfer") == ["police_decision"]
    referral.refresh_from_db()
    assert (referral.status, referral.police, referral.procuratorate) == (
        S.TRANSFERRED, "萍乡市公安局安源分局", "萍乡市安源区人民检察院",
    )  # fmt: skip
    assert case.events.get(kind="referral.transferred").data["copy_to_procuratorate"] is True
    missed(case, "police.decide", 3, Deadline.Unit.DAYS, "第八条")
    return referral


def assert_unchanged(case: Case) -> None:
    assert Case.objects.get(pk=case.pk).status == Case.Status.ENFORCING


def test_filed_then_materials_handed_over_then_the_outcome():
    case = eligible_case_through_the_api()
    referral = to_police(case)
    assert step("inspector_360302", case, "police_decision", decision="filed", note="萍公立字〔2026〕1号") == [
        "handover"
    ]
    missed(case, "referral.handover", 3, Deadline.Unit.DAYS, "第十二条")
    assert step("inspector_360302", case, "handover", materials="移送书、调查报告、证据材料共32页") == ["outcome"]
    assert_unchanged(case)
    assert step("inspector_360302", case, "outcome", prosecution="已提起公诉", judgment="判处有期徒刑一年") == []
    referral.refresh_from_db()
    assert referral.status == S.CONCLUDED and "有期徒刑" in referral.outcome and referral.police_decision == "filed"
    assert_unchanged(case)
    kinds = [k for k in timeline.for_case(case).values_list("kind", flat=True) if k.split(".")[0] == "referral"]
    assert kinds == [
        "referral.proposed",
        "referral.legal_reviewed",
        "referral.amended",
        "referral.legal_reviewed",
        "referral.approved",
        "referral.transferred",
        "referral.police_decided",
        "referral.materials_handed_over",
        "referral.outcome_recorded",
    ]  # fmt: skip  (one event per step)
    assert case.events.filter(kind="case.crime_ground_recorded").count() == 1
    assert not case.deadlines.filter(kind__startswith="referral.", state=Deadline.State.RUNNING).exists()
    assert timeline.chain_ok(case)
    call_command("verify_timeline", "--case", case.case_no)


def test_not_filed_reconsideration_upheld_then_procuratorate_supervision():
    case = eligible_case_through_the_api()
    referral = to_police(case)
    assert step("inspector_360302", case, "police_decision", decision="not_filed") == ["reconsideration_request"]
    missed(case, "referral.reconsider_request", 3, Deadline.Unit.DAYS, "第九条")
    assert step("inspector_360302", case, "reconsideration_request", requested="yes", reason="证据足以证明逃匿。") == [
        "reconsideration_answer"
    ]
    missed(case, "police.reconsider", 3, Deadline.Unit.DAYS, "第九条")
    assert step("inspector_360302", case, "reconsideration_answer", decision="upheld") == ["procuratorate_request"]
    referral.refresh_from_db()
    assert (referral.status, referral.police_decision) == (S.NOT_FILED, "upheld")
    missed(case, "referral.procuratorate_request", 3, Deadline.Unit.DAYS, "第九条")
    assert step("inspector_360302", case, "procuratorate_request", requested="yes", reason="建议立案监督。") == []
    referral.refresh_from_db()
    assert referral.status == S.SUPERVISION_REQUESTED and "萍乡市安源区人民检察院" in referral.outcome
    assert_unchanged(case)
    from viewflow.workflow.models import Process

    process = Process.objects.get(caseprocess__case=case, flow_class__endswith="ReferralFlow")
    assert process.status == "DONE"
    assert timeline.chain_ok(case)


def test_not_filed_then_filed_on_reconsideration_goes_to_the_handover():
    case = eligible_case_through_the_api()
    referral = to_police(case)
    step("inspector_360302", case, "police_decision", decision="not_filed")
    step("inspector_360302", case, "reconsideration_request", requested="yes", reason="请复议。")
    assert step("inspector_360302", case, "reconsideration_answer", decision="filed") == ["handover"]
    missed(case, "referral.handover", 3, Deadline.Unit.DAYS, "第十二条")
    step("inspector_360302", case, "handover", materials="全部案卷材料")
    step("inspector_360302", case, "outcome", prosecution="已起诉", judgment="判处拘役六个月")
    referral.refresh_from_db()
    assert referral.status == S.CONCLUDED and referral.police_decision == "filed"
    assert_unchanged(case)


def test_not_approved_ends_and_the_case_goes_on():
    case = build(ONE)
    referral = referral_propose(case=case, actor=world.user("inspector", "360302"))
    from workflows.flows_referral import ReferralFlow

    ReferralFlow.start.run(case=case, referral=referral)
    step("legal_360302", case, "legal_review", decision="approved", opinion="同意。")
    assert step("leader_360302", case, "approve", approved="no", opinion="证据不足，继续行政处理。") == []
    referral.refresh_from_db()
    assert referral.status == S.NOT_APPROVED and "证据不足" in referral.outcome
    assert case.deadlines.get(kind="referral.approve").state == Deadline.State.MET
    assert not case.deadlines.filter(kind="referral.transfer").exists()
    # a new proposal is possible once this one is over
    assert referral_propose(case=case, actor=world.user("inspector", "360302")).status == S.REVIEW


def test_a_penalty_never_closes_a_referral_and_the_referral_never_moves_the_case():
    case = build(ONE)
    status = Case.objects.get(pk=case.pk).status
    referral = referral_propose(case=case, actor=world.user("inspector", "360302"))
    from workflows.flows_referral import ReferralFlow

    ReferralFlow.start.run(case=case, referral=referral)
    step("legal_360302", case, "legal_review", decision="approved", opinion="同意。")
    step("leader_360302", case, "approve", approved="yes", opinion="同意。")
    step("inspector_360302", case, "transfer")
    assert Case.objects.get(pk=case.pk).status == status  # the referral does not move the case
    # meanwhile the administrative case goes on: a penalty, then closure
    leader = world.user("leader", "360302")
    factories.penalty_ready(case)
    investigation.case_penalty_decide(case=case, actor=leader, amount=Decimal("20000"))
    from cases.enforcement import case_penalty_executed

    case_penalty_executed(case=case, actor=leader, note="罚款已缴纳。")  # what the closure code rests on
    investigation.case_close(case=case, actor=leader, closure_code="penalty_executed", satisfaction="satisfied")
    referral.refresh_from_db()
    assert referral.status == S.TRANSFERRED and Case.objects.get(pk=case.pk).status == Case.Status.CLOSED
    assert step("inspector_360302", case, "police_decision", decision="filed") == ["handover"]


def test_legal_review_may_end_it_and_the_inspector_may_withdraw():
    from workflows.flows_referral import ReferralFlow

    case = build(ONE)
    referral = referral_propose(case=case, actor=world.user("inspector", "360302"))
    ReferralFlow.start.run(case=case, referral=referral)
    assert step("legal_360302", case, "legal_review", decision="ended", opinion="不构成犯罪。") == []
    referral.refresh_from_db()
    assert referral.status == S.CONCLUDED and "不构成犯罪" in referral.outcome

    again = referral_propose(case=case, actor=world.user("inspector", "360302"))
    ReferralFlow.start.run(case=case, referral=again)
    step("legal_360302", case, "legal_review", decision="returned", opinion="补充。")
    assert step("inspector_360302", case, "amend", decision="withdrawn", facts="已全额支付，撤回。") == []
    again.refresh_from_db()
    assert again.status == S.CONCLUDED


def test_only_the_right_people_act_on_each_step():
    from workflows.flows_referral import ReferralFlow

    case = build(ONE)
    referral = referral_propose(case=case, actor=world.user("inspector", "360302"))
    process = ReferralFlow.start.run(case=case, referral=referral)
    from viewflow.workflow.models import Task

    task = Task.objects.get(process=process, flow_task_type="HUMAN", status="NEW")
    assert api("inspector_360313").get(f"/api/v1/tasks/{task.pk}/").status_code == 404
    assert api("legal_360313").post(f"/api/v1/tasks/{task.pk}/assign/").status_code == 404
    assert api("clerk_360302").post(f"/api/v1/tasks/{task.pk}/assign/").status_code == 403
    assert api("inspector_360302").post(f"/api/v1/tasks/{task.pk}/assign/").status_code == 403
    assert api("leader_360302").post(f"/api/v1/tasks/{task.pk}/assign/").status_code == 403
    step("legal_360302", case, "legal_review", decision="approved", opinion="同意。")
    approve = Task.objects.get(process=process, flow_task_type="HUMAN", status="NEW")
    assert api("legal_360302").post(f"/api/v1/tasks/{approve.pk}/assign/").status_code == 403
    assert api("leader_360300").post(f"/api/v1/tasks/{approve.pk}/assign/").status_code == 403  # not its office
    step("leader_360302", case, "approve", approved="yes", opinion="同意。")
    transfer = Task.objects.get(process=process, flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"])
    assert api("clerk_360302").post(f"/api/v1/tasks/{transfer.pk}/assign/").status_code == 403
    assert api("inspector_360313").post(f"/api/v1/tasks/{transfer.pk}/assign/").status_code == 404


def test_the_case_page_section_shows_status_decision_and_every_referral_deadline():
    from workflows.flows_referral import ReferralFlow

    case = build(ONE)
    referral = referral_propose(case=case, actor=world.user("inspector", "360302"))
    ReferralFlow.start.run(case=case, referral=referral)
    step("legal_360302", case, "legal_review", decision="approved", opinion="同意。")
    step("leader_360302", case, "approve", approved="yes", opinion="同意。")
    step("inspector_360302", case, "transfer")
    step("inspector_360302", case, "police_decision", decision="not_filed")
    html = render_to_string(
        "cases/_referral.html",
        {"case": case, "deadlines": [(d, days_left(d)) for d in deadlines_for(case=case)], "can_investigate": True},
    )
    for text in ("公安不予立案", "不予立案", "萍乡市公安局安源分局", referral.package.number):
        assert text in html, text
    for kind in ("referral.approve", "referral.transfer", "police.decide", "referral.reconsider_request"):
        assert str(RULES[kind].title) in html, kind
    # and the case page lists every deadline of the case
    from django.test import Client

    client = Client()
    client.force_login(world.user("inspector", "360302"))
    page = client.get(reverse("cases:detail", args=[case.case_no])).content.decode()
    assert str(RULES["referral.reconsider_request"].title) in page and str(RULES["referral.approve"].title) in page


def test_the_new_deadline_kinds_cite_r310():
    for kind, article in {
        "referral.handover": "第十二条",
        "referral.reconsider_request": "第九条",
        "police.reconsider": "第九条",
        "referral.procuratorate_request": "第九条",
    }.items():
        rule = RULES[kind]
        assert (rule.length, rule.unit) == (3, Deadline.Unit.DAYS) and rule.legal_basis.endswith(article), kind
        assert "行政执法机关移送涉嫌犯罪案件的规定" in rule.legal_basis


def test_the_task_page_shows_the_step_form_with_the_default_police():
    from django.test import Client
    from viewflow.workflow.models import Task

    from workflows.flows_referral import ReferralFlow

    case = build(ONE)
    referral = referral_propose(case=case, actor=world.user("inspector", "360302"))
    process = ReferralFlow.start.run(case=case, referral=referral)
    step("legal_360302", case, "legal_review", decision="approved", opinion="同意。")
    step("leader_360302", case, "approve", approved="yes", opinion="同意。")
    task = Task.objects.get(process=process, flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"])
    client = Client()
    client.force_login(world.user("inspector", "360302"))
    if task.owner_id is None:  # else routed to the assigned inspector already (workflows.routing)
        assert client.post(reverse("tasks:assign", args=[task.pk])).status_code == 302
    page = client.get(reverse("tasks:detail", args=[task.pk]))
    assert page.status_code == 200 and "萍乡市公安局安源分局" in page.content.decode()
    done = client.post(reverse("tasks:complete", args=[task.pk]), {"police": "", "procuratorate": ""})
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.TRANSFERRED
