"""Credit listing (SPEC §4.5a, DL2021): the criteria at their boundaries; the lifecycle through the API —
proposal, notice, the defence window (a wrong USCC refused, a late defence refused), legal review, the
leader's decision, publication with ID numbers masked and no phone anywhere, the 3-year expiry by
`sweep_deadlines --at`, and early removal on application 6 months after correction."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import ric

from accountability import listing as lst
from accountability.models import CreditListing, ListingHistory, RemovalApplication
from cases import timeline
from cases.investigation import case_assign_inspectors
from cases.ledger import ledger_entry_add
from cases.masking import mask_id
from cases.models import Case, Complaint, Deadline, Document, ProvinceConfig
from tests import factories, world
from tests.clock import days_later
from tests.flowkit import api, claim_and_complete, submit

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
USCC = "91512081MA62K0260E"  # the employer of tests.flowkit.body()
FULL_ID = re.compile(r"\d{17}[\dXx]")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def person_id(i: int, born: str = "19800101") -> str:
    base = f"360302{born}{i:03d}"
    return base + ric.calc_check_digit(base + "0")


def queue(username: str, case_no: str, step: str) -> dict:
    """The user's task of this step: in the office queue, or routed to its inbox (workflows.routing)."""
    rows = api(username).get("/api/v1/tasks/", {"scope": "queue"}).json()["results"]
    rows += api(username).get("/api/v1/tasks/", {"scope": "mine"}).json()["results"]
    matching = [r for r in rows if r["case_no"] == case_no and r["step"] == step]
    assert matching, f"{username} has no {step} task for {case_no}: {rows}"
    return matching[-1]


def complete(username: str, case_no: str, step: str, **data) -> dict:
    task = queue(username, case_no, step)
    client = api(username)
    if task["owner"] != username:
        assert client.post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 200
    response = client.post(f"/api/v1/tasks/{task['id']}/complete/", data, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def unpaid_case_via_api(
    *, workers: int = 10, each: str = "6500.00", name: str = "萍乡市某失信建筑工程有限公司"
) -> Case:
    """A complaint taken through intake and investigation to the unpaid hand-off, all through the API."""
    employer = {"name": name, "uscc": USCC, "address": "萍乡市安源区某路1号"}
    receipt = submit(workers_count=workers, amount_owed=str(Decimal(each) * workers), employer=employer)["receipt_no"]
    claim_and_complete("clerk_360302", receipt, decision="accept")
    case = Complaint.objects.select_related("case").get(receipt_no=receipt).case
    inspector, second = world.user("inspector", "360302"), world.second_inspector("360302")
    claim_and_complete("leader_360302", receipt, inspectors=[inspector.pk, second.pk], conflict_declared=True)
    ins = api("inspector_360302")
    for i in range(workers):
        response = ins.post(
            f"/api/v1/cases/{case.case_no}/ledger/",
            {"worker": {"name": f"工人{i + 1}", "id_number": person_id(i + 1, "19900101"), "phone": f"1380799{i:04d}"},
             "period_start": "2026-05-01", "period_end": "2026-07-31", "amount_owed": each},
            format="json",
        )  # fmt: skip
        assert response.status_code == 201, response.json()
    claim_and_complete("inspector_360302", receipt, violation=True, findings="查实拖欠工资。")
    due = timezone.localdate() + timedelta(days=5)
    claim_and_complete("inspector_360302", receipt, decision="order_to_pay", facts="拖欠。", order_due=due.isoformat())
    claim_and_complete(
        "inspector_360302", receipt, method="direct", served_at=timezone.now().isoformat(), recipient="王某"
    )
    call_command("sweep_deadlines", "--at", f"{due + timedelta(days=1)}T00:00:01")
    with days_later(6):  # verification and "unpaid" only after the order's deadline (cases.enforcement)
        claim_and_complete("inspector_360302", receipt, note="逾期未支付。")
        claim_and_complete("inspector_360302", receipt, compensation_rate=50)
    past_deadline(case)
    case.refresh_from_db()
    assert case.unpaid_after_order
    return case


def past_deadline(case: Case) -> None:
    """Time passes: the handling decision was served a week ago and its deadline was yesterday."""
    yesterday = timezone.localdate() - timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(order_due=yesterday)
    order = case.documents.get(kind=Document.Kind.HANDLING_DECISION)
    Document.objects.filter(pk=order.pk).update(data={**order.data, "due_date": yesterday.isoformat()})


def propose(case: Case, username: str = "inspector_360302", **over):
    body = {
        "case_no": case.case_no,
        "legal_representative": "王某某",
        "legal_representative_id": person_id(1),
        "persons": [{"name": "李某某", "id_number": person_id(2), "role": "直接负责的主管人员"}],
        **over,
    }
    return api(username).post("/api/v1/flows/listing/start/", body, format="json")


def listed_via_api(case: Case) -> CreditListing:
    """Proposal → notice → the defence window runs out (the sweep) → legal review → leader's decision."""
    started = propose(case)
    assert started.status_code == 201, started.json()
    assert [t["step"] for t in started.json()["next_tasks"]] == ["serve_notice"]  # the notice is served first
    serve_notice(case)
    listing = CreditListing.objects.get(case=case)
    window = lst.defence_deadline(listing)
    call_command("sweep_deadlines", "--at", (window.due_at + timedelta(minutes=1)).isoformat())
    complete("legal_360302", case.case_no, "legal_review", approved="yes", opinion="事实清楚，依据充分，程序合法。")
    complete("leader_360302", case.case_no, "decision", approved="yes", opinion="同意列入。")
    listing.refresh_from_db()
    assert listing.status == CreditListing.Status.LISTED
    return listing


def serve_notice(case: Case, served_at=None) -> dict:
    """The notice's service step (issue 13 item 9): the defence window runs from it."""
    served_at = served_at or timezone.now()
    return complete("inspector_360302", case.case_no, "serve_notice", method="direct",
                    served_at=served_at.isoformat(), recipient="法定代表人王某某")  # fmt: skip


def _no_personal_data(body: str) -> None:
    assert not FULL_ID.search(body), FULL_ID.search(body).group()
    assert not MOBILE.search(body), MOBILE.search(body).group()


# --- the criteria ---------------------------------------------------------------------------------------


def _case(*, unpaid: bool = True, group_incident: bool = False) -> Case:
    """A case whose handling decision (责令限期支付工资) was served and fell due yesterday."""
    return factories.order_served_and_due(world.make_case("360302"), unpaid=unpaid, group_incident=group_incident)


def _ledger(case: Case, amounts: list[str], *, start: str = "2026-05-01", end: str = "2026-07-31") -> None:
    inspector = world.user("inspector", "360302")
    for i, amount in enumerate(amounts):
        ledger_entry_add(
            case=case,
            worker={"name": f"工人{i}", "id_number": person_id(100 + i, "19900101"), "phone": ""},
            period_start=start,
            period_end=end,
            amount_owed=amount,
            actor=inspector,
        )


def test_group_threshold_just_under_and_at_sixty_thousand():
    under = _case()
    _ledger(under, ["6000.00"] * 9 + ["5999.99"])  # 10 workers, 59,999.99
    eligible, reasons, failures = lst.listing_criteria(under)
    assert not eligible and reasons == [] and "数额较大" in failures[0]
    at = _case()
    _ledger(at, ["6000.00"] * 10)  # 10 workers, 60,000.00
    eligible, reasons, failures = lst.listing_criteria(at)
    assert eligible and failures == []
    assert any("10名以上劳动者" in r and "60,000.00元" in r for r in reasons)
    assert any("逾期仍未支付" in r for r in reasons)


def test_group_threshold_needs_ten_workers():
    nine = _case()
    _ledger(nine, ["9000.00"] * 9, end="2026-06-30")  # 81,000 but 9 workers, each 2 months: neither test holds
    assert lst.listing_criteria(nine)[0] is False


def test_single_worker_threshold_amount_and_months():
    under = _case()
    _ledger(under, ["9999.99"])
    assert lst.listing_criteria(under)[0] is False
    at = _case()
    _ledger(at, ["10000.00"])  # 05-01..07-31: three months
    eligible, reasons, _failures = lst.listing_criteria(at)
    assert eligible and any("一名劳动者3个月以上" in r for r in reasons)
    short = _case()
    _ledger(short, ["10000.00"], end="2026-07-30")  # one day short of three months
    assert lst.listing_criteria(short)[0] is False


def test_the_thresholds_are_the_provinces():
    ProvinceConfig.objects.create(province=world.region("360000"), crime_group_amount=Decimal("40000"))
    case = _case()
    _ledger(case, ["4000.00"] * 10)
    assert lst.listing_criteria(case)[0] is True


def test_a_group_incident_qualifies_whatever_the_amount():
    case = _case(group_incident=True)
    _ledger(case, ["100.00"])
    eligible, reasons, _failures = lst.listing_criteria(case)
    assert eligible and any("群体性事件" in r for r in reasons)


def test_not_overdue_is_refused_with_the_reasons_through_the_api():
    case = _case(unpaid=False)
    _ledger(case, ["6000.00"] * 10)
    eligible, _reasons, failures = lst.listing_criteria(case)
    assert not eligible and any("逾期未支付" in f for f in failures)
    inspector, second = world.user("inspector", "360302"), world.second_inspector("360302")
    case_assign_inspectors(case=case, inspectors=[inspector, second], actor=world.user("leader", "360302"),
                           conflict_declared=True)  # fmt: skip
    response = propose(case)
    assert response.status_code == 400
    assert any("逾期未支付" in m for m in response.json()["errors"]["case_no"])
    assert not CreditListing.objects.filter(case=case).exists()


# --- the lifecycle --------------------------------------------------------------------------------------


def test_listing_lifecycle_through_the_api_to_the_three_year_expiry(client):
    case = unpaid_case_via_api()
    # only an inspector assigned to the case proposes
    assert propose(case, "clerk_360302").status_code == 403
    from cases.services import staff_create

    staff_create(username="inspector9_360302", region=world.region("360302"), role="inspector")
    assert propose(case, "inspector9_360302").status_code == 403  # an inspector of the office, not assigned

    started = propose(case)
    assert started.status_code == 201, started.json()
    listing = CreditListing.objects.get(case=case)
    assert listing.status == CreditListing.Status.NOTICED and listing.amount_owed == Decimal("65000.00")
    assert listing.notice.kind == Document.Kind.LISTING_NOTICE
    assert [p.role for p in listing.persons.order_by("id")] == ["法定代表人", "直接负责的主管人员"]
    serve_notice(case)
    window = lst.defence_deadline(listing)
    assert (window.length, window.unit, window.state) == (5, "working_days", Deadline.State.RUNNING)
    assert propose(case).status_code == 400  # one listing procedure per case

    # the defence: a wrong USCC is refused without revealing anything; the right one is recorded once
    page = "/public/credit-list/defence/"
    wrong = client.post(page, {"notice_number": listing.notice.number, "uscc": "91350100M000100Y43", "defence": "x"})
    assert wrong.status_code == 400 and "告知书编号或统一社会信用代码不正确" in wrong.content.decode()
    unknown = client.post(page, {"notice_number": "不存在的文号", "uscc": USCC, "defence": "x"})
    assert unknown.status_code == 400 and "告知书编号或统一社会信用代码不正确" in unknown.content.decode()
    api_wrong = api().post(
        "/api/v1/public/credit-list/defence/",
        {"notice_number": listing.notice.number, "uscc": "91350100M000100Y43", "defence": "x"},
        format="json",
    )
    assert api_wrong.status_code == 400 and list(api_wrong.json()["errors"]) == ["notice_number"]
    listing.refresh_from_db()
    assert listing.defence == "" and listing.defence_at is None
    ok = client.post(
        page, {"notice_number": listing.notice.number, "uscc": USCC.lower(), "defence": "已支付部分工资。"}
    )
    assert ok.status_code == 200 and "已收到陈述申辩" in ok.content.decode()
    listing.refresh_from_db()
    assert listing.defence == "已支付部分工资。"
    again = client.post(page, {"notice_number": listing.notice.number, "uscc": USCC, "defence": "再次"})
    assert again.status_code == 400

    # the window runs out (the sweep fires the flow's timer): legal review; a late defence is refused
    call_command("sweep_deadlines", "--at", (window.due_at + timedelta(minutes=1)).isoformat())
    listing.refresh_from_db()
    window.refresh_from_db()
    assert listing.status == CreditListing.Status.REVIEW and window.state == Deadline.State.MET
    late = api().post(
        "/api/v1/public/credit-list/defence/",
        {"notice_number": listing.notice.number, "uscc": USCC, "defence": "迟到"},
        format="json",
    )
    assert late.status_code == 400 and "届满" in late.json()["errors"]["notice_number"][0]
    # the legal reviewer and then the leader of the office; nobody else
    task = queue("legal_360302", case.case_no, "legal_review")
    client.force_login(world.user("legal", "360302"))
    assert client.get(reverse("tasks:detail", args=[task["id"]])).status_code == 200  # the staff task page
    client.logout()
    assert api("leader_360302").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 403
    assert api("legal_360313").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 404
    complete("legal_360302", case.case_no, "legal_review", approved="yes", opinion="事实清楚，程序合法。")
    assert CreditListing.objects.get(pk=listing.pk).status == CreditListing.Status.DECISION
    task = queue("leader_360302", case.case_no, "decision")
    assert api("leader_360300").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 403
    complete("leader_360302", case.case_no, "decision", approved="yes", opinion="同意列入。")
    listing.refresh_from_db()
    assert listing.status == CreditListing.Status.LISTED and listing.decision.kind == Document.Kind.LISTING_DECISION
    decided_on = timezone.localtime(listing.listed_at, SH).date()
    end = decided_on.replace(year=decided_on.year + 3)
    assert listing.expires_at == datetime(end.year, end.month, end.day, 23, 59, 59, tzinfo=SH)
    term = case.deadlines.get(kind="listing.term")
    assert term.unit == "days" and term.length in (1095, 1096) and term.due_at == listing.expires_at

    # published: HTML and API, persons masked, no full ID number and no phone anywhere
    for url in ("/public/credit-list/", f"/public/credit-list/{listing.pk}/", "/api/v1/public/credit-list/"):
        body = client.get(url).content.decode()
        assert "萍乡市某失信建筑工程有限公司" in body, url
        _no_personal_data(body)
    assert mask_id(person_id(1)) in client.get(f"/public/credit-list/{listing.pk}/").content.decode()
    data = api().get("/api/v1/public/credit-list/", {"q": USCC}).json()
    assert [r["employer_name"] for r in data["results"]] == ["萍乡市某失信建筑工程有限公司"]
    assert {p["id_number"] for p in data["results"][0]["persons"]} == {mask_id(person_id(1)), mask_id(person_id(2))}
    assert api().get("/api/v1/public/credit-list/", {"q": "没有这家单位"}).json()["results"] == []

    # the term: still listed a minute before its end, removed by the sweep a minute after
    call_command("sweep_deadlines", "--at", (listing.expires_at - timedelta(minutes=1)).isoformat())
    assert CreditListing.objects.get(pk=listing.pk).status == CreditListing.Status.LISTED
    call_command("sweep_deadlines", "--at", (listing.expires_at + timedelta(minutes=1)).isoformat())
    listing.refresh_from_db()
    assert listing.status == CreditListing.Status.EXPIRED and listing.removed_at == listing.expires_at
    term.refresh_from_db()
    assert term.state == Deadline.State.MET
    assert "萍乡市某失信建筑工程有限公司" not in client.get("/public/credit-list/").content.decode()
    assert client.get(f"/public/credit-list/{listing.pk}/").status_code == 404

    # every change: one history row and one case timeline event
    history = list(ListingHistory.objects.filter(listing=listing).values_list("kind", flat=True))
    assert history == ["proposed", "noticed", "notice_served", "defence_submitted", "defence_closed", "legal_reviewed",
                       "listed", "expired"]  # fmt: skip
    kinds = [k for k in case.events.order_by("seq").values_list("kind", flat=True) if k.startswith("listing.")]
    assert kinds == [f"listing.{k}" for k in history]
    for event in case.events.filter(kind__startswith="listing."):
        assert person_id(1) not in str(event.data) and person_id(2) not in str(event.data)
    assert timeline.chain_ok(case)


def test_early_removal_six_months_after_correction(client):
    case = unpaid_case_via_api(name="萍乡市某修复建筑工程有限公司")
    listing = listed_via_api(case)
    today = timezone.localdate()
    page = "/public/credit-list/removal/"
    form = {"notice_number": listing.notice.number, "uscc": USCC, "pledge": "本单位承诺今后依法按时足额支付工资。"}
    # corrected one day less than six months ago: too early
    too_early = lst.add_months(today, -6) + timedelta(days=1)
    response = client.post(page, {**form, "corrected_on": too_early.isoformat()})
    assert response.status_code == 400 and "满6个月" in response.content.decode()
    wrong = client.post(page, {**form, "uscc": "91350100M000100Y43", "corrected_on": "2025-01-01"})
    assert wrong.status_code == 400 and "告知书编号或统一社会信用代码不正确" in wrong.content.decode()
    assert not RemovalApplication.objects.exists()
    # exactly six months: accepted; the review goes to the office's legal reviewer, then its leader
    applied = api().post(
        "/api/v1/public/credit-list/removal/",
        {**form, "corrected_on": lst.add_months(today, -6).isoformat()},
        format="json",
    )
    assert applied.status_code == 201, applied.json()
    listing.refresh_from_db()
    assert listing.status == CreditListing.Status.REMOVAL_APPLIED
    assert client.post(page, {**form, "corrected_on": "2025-01-01"}).status_code == 400  # one pending at a time
    assert "萍乡市某修复建筑工程有限公司" in client.get("/public/credit-list/").content.decode()  # still listed
    complete("legal_360302", case.case_no, "legal_review", approved="yes", opinion="已改正满6个月，承诺书齐全。")
    complete("leader_360302", case.case_no, "decision", approved="yes", opinion="准予提前移出。")
    listing.refresh_from_db()
    assert listing.status == CreditListing.Status.REMOVED_EARLY and listing.corrected_on == lst.add_months(today, -6)
    assert RemovalApplication.objects.get(listing=listing).status == RemovalApplication.Status.GRANTED
    assert case.deadlines.get(kind="listing.term").state == Deadline.State.CANCELLED
    assert "萍乡市某修复建筑工程有限公司" not in client.get("/public/credit-list/").content.decode()
    kinds = [k for k in case.events.order_by("seq").values_list("kind", flat=True) if k.startswith("listing.")]
    assert kinds[-3:] == ["listing.removal_applied", "listing.removal_reviewed", "listing.removed_early"]
    assert list(ListingHistory.objects.filter(listing=listing).values_list("kind", flat=True))[-3:] == [
        "removal_applied", "removal_reviewed", "removed_early"
    ]  # fmt: skip


def test_a_refused_removal_keeps_the_listing():
    case = _case()
    _ledger(case, ["6000.00"] * 10)
    inspector, leader = world.user("inspector", "360302"), world.user("leader", "360302")
    listing = lst.listing_propose(case=case, actor=inspector, legal_representative_id=person_id(1),
                                  legal_representative="王某")  # fmt: skip
    lst.listing_notice(listing=listing, actor=inspector)
    lst.listing_defence_close(listing=listing)
    lst.listing_legal_review(listing=listing, actor=world.user("legal", "360302"), approved=True, opinion="同意")
    lst.listing_decide(listing=listing, actor=leader, approved=True, opinion="同意")
    case.employer.uscc = USCC
    case.employer.save()
    application = lst.removal_apply(notice_number=listing.notice.number, uscc=USCC, corrected_on=date(2025, 1, 1),
                                    pledge="承诺")  # fmt: skip
    lst.removal_review(application=application, actor=world.user("legal", "360302"), approved=False,
                       opinion="未提供支付凭证。")  # fmt: skip
    listing.refresh_from_db()
    application.refresh_from_db()
    assert listing.status == CreditListing.Status.LISTED and application.status == RemovalApplication.Status.REFUSED
    assert case.deadlines.get(kind="listing.term").state == Deadline.State.RUNNING


def test_a_legal_review_not_passed_means_no_listing():
    case = _case()
    _ledger(case, ["6000.00"] * 10)
    inspector = world.user("inspector", "360302")
    listing = lst.listing_propose(case=case, actor=inspector, legal_representative_id=person_id(1),
                                  legal_representative="王某")  # fmt: skip
    lst.listing_notice(listing=listing, actor=inspector)
    lst.listing_defence_close(listing=listing)
    lst.listing_legal_review(listing=listing, actor=world.user("legal", "360302"), approved=False, opinion="证据不足")
    listing.refresh_from_db()
    assert listing.status == CreditListing.Status.REJECTED and listing.decision_id is None


def test_a_step_out_of_turn_is_a_state_conflict_and_changes_nothing():
    """Every listing change goes through the transition kernel: a step the listing is not in is refused
    (StateConflict, the texts of before, not tied to a field), with no history row and no event."""
    from django.core.exceptions import NON_FIELD_ERRORS

    from accountability.models import ListingHistory
    from cases.models import TimelineEvent
    from cases.transitions import StateConflict

    case = _case()
    _ledger(case, ["6000.00"] * 10)
    inspector, legal = world.user("inspector", "360302"), world.user("legal", "360302")
    listing = lst.listing_propose(case=case, actor=inspector, legal_representative_id=person_id(1),
                                  legal_representative="王某")  # fmt: skip
    history = ListingHistory.objects.count()
    with pytest.raises(StateConflict) as exc:
        lst.listing_legal_review(listing=listing, actor=legal, approved=True, opinion="同意")
    assert exc.value.message_dict == {NON_FIELD_ERRORS: ["该名单当前不在法制审核阶段。"]}
    with pytest.raises(StateConflict) as exc:
        lst.listing_decide(listing=listing, actor=world.user("leader", "360302"), approved=True, opinion="同意")
    assert exc.value.message_dict == {NON_FIELD_ERRORS: ["该名单当前不在待决定阶段。"]}
    lst.listing_notice(listing=listing, actor=inspector)
    with pytest.raises(StateConflict) as exc:
        lst.listing_notice(listing=listing, actor=inspector)
    assert exc.value.message_dict == {NON_FIELD_ERRORS: ["只有拟列入的名单可以告知。"]}
    assert lst.listing_defence_close(listing=listing).status == CreditListing.Status.REVIEW
    assert lst.listing_defence_close(listing=listing).status == CreditListing.Status.REVIEW  # the second: nothing
    kinds = list(ListingHistory.objects.filter(listing=listing).order_by("id").values_list("kind", "data__status"))
    assert kinds == [("proposed", "proposed"), ("noticed", "noticed"), ("defence_closed", "review")]
    assert ListingHistory.objects.count() == history + 2
    assert TimelineEvent.objects.filter(kind__startswith="listing.").count() == 3


def test_a_person_with_an_invalid_id_number_is_refused():
    case = _case()
    _ledger(case, ["6000.00"] * 10)
    bad = person_id(2)[:-1] + ("0" if person_id(2)[-1] != "0" else "1")
    with pytest.raises(Exception) as exc:
        lst.listing_propose(case=case, actor=world.user("inspector", "360302"), legal_representative_id=person_id(1),
                            legal_representative="王某", persons=[{"name": "李某", "id_number": bad}])  # fmt: skip
    assert "persons.0.id_number" in exc.value.message_dict
    assert not CreditListing.objects.filter(case=case).exists()


def test_the_term_ends_on_the_corresponding_day_three_years_on():
    assert lst.term_end(datetime(2026, 11, 20, 10, 0, tzinfo=SH)) == datetime(2029, 11, 20, 23, 59, 59, tzinfo=SH)
    assert lst.term_end(datetime(2028, 2, 29, 10, 0, tzinfo=SH)) == datetime(2031, 2, 28, 23, 59, 59, tzinfo=SH)
    assert lst.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_the_listing_rules_and_settings():
    from cases.deadlines import RULES

    term = RULES["listing.term"]
    assert (term.length, term.unit, term.start_event, term.warn_before) == (1095, "days", "listing.listed", 0)
    assert "失信联合惩戒对象名单管理暂行办法" in term.legal_basis
    assert (lst.TERM_YEARS, lst.REMOVAL_AFTER_MONTHS) == (3, 6)
    cfg = ProvinceConfig(province=world.region("360000"))
    assert (cfg.listing_defence_wd, cfg.crime_single_months, cfg.crime_single_amount) == (5, 3, Decimal("10000"))
    assert (cfg.crime_group_workers, cfg.crime_group_amount) == (10, Decimal("60000"))


def test_the_defence_window_is_the_provinces(client):
    ProvinceConfig.objects.create(province=world.region("360000"), listing_defence_wd=7)
    case = _case()
    _ledger(case, ["6000.00"] * 10)
    inspector = world.user("inspector", "360302")
    listing = lst.listing_propose(case=case, actor=inspector, legal_representative_id=person_id(1),
                                  legal_representative="王某")  # fmt: skip
    lst.listing_notice(listing=listing, actor=inspector)
    assert listing.notice.data["defence_wd"] == 7 and "due_date" not in listing.notice.data  # runs from service
    served = timezone.now()
    lst.listing_notice_serve(listing=listing, actor=inspector, method="direct", served_at=served, recipient="王某")
    window = lst.defence_deadline(listing)
    assert (window.length, window.unit) == (7, "working_days") and window.start_at == served


def test_the_public_pages_speak_english_on_request(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/public/credit-list/"})
    page = client.get("/public/credit-list/").content.decode()
    assert "Credit blacklist of employers in arrears" in page and "失信联合惩戒对象名单" not in page
    assert "Statement of defence" in client.get("/public/credit-list/defence/").content.decode()
    assert "Archive" in client.get("/public/violations/").content.decode()


def test_the_web_form_takes_one_person_a_line():
    from workflows.flows_accountability import ListingStartForm

    lines = f"李某,{person_id(2)},直接负责的主管人员\n\n赵某，{person_id(3)}"
    form = ListingStartForm(data={"case_no": "X", "legal_representative_id": person_id(1), "persons": lines})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["persons"] == [
        {"name": "李某", "id_number": person_id(2), "role": "直接负责的主管人员"},
        {"name": "赵某", "id_number": person_id(3), "role": ""},
    ]
    assert not ListingStartForm(data={"case_no": "X", "legal_representative_id": "1", "persons": "只有姓名"}).is_valid()
