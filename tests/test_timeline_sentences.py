"""Issue 14 item 3: every timeline event reads as a sentence in the user's language — who did what, with the
values that matter — on the case page, the complaint page, the auditors' page and the PDF; the recorded data
(the raw payload) only for auditors, in a collapsed detail; no event key and no dict on any role's page."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.audit.sentences import event_sentence
from cases.documents import document_issue
from cases.flags import case_flag_set
from cases.ledger import payment_record
from cases.models import Document, Role, TimelineEvent
from tests import factories, world

pytestmark = pytest.mark.django_db
KEY = re.compile(r"(?<![\w.])[a-z_]+\.[a-z_]+(?![\w.])")


@pytest.fixture
def case():
    return world.make_case("360302")


def last(case, kind: str) -> TimelineEvent:
    return TimelineEvent.objects.filter(case=case, kind=kind).order_by("-seq").first()


def test_a_document_issued_reads_who_issued_which_document_with_its_number_and_due_date(case):
    leader = world.user("leader", "360302")
    document_issue(
        case=case,
        kind=Document.Kind.ORDER_TO_PAY,
        actor=leader,
        role=Role.LEADER,
        data={"facts": "拖欠工资。", "due_date": "2026-12-14"},
    )
    document = Document.objects.filter(case=case).latest("id")
    sentence = event_sentence(last(case, "document.issued"))
    assert sentence.startswith(f"{leader.username}（安源区")  # who, with the office by name and the role
    assert "负责人" in sentence
    assert f"制发《{document.title}》{document.number}" in sentence
    assert "{" not in sentence and "document.issued" not in sentence


def test_a_ledger_line_and_a_payment_read_with_the_worker_the_period_and_the_amounts(case):
    entry = factories.ledger(case, workers=1, amount="8000.00")[0]
    sentence = event_sentence(last(case, "ledger.entry_added"))
    assert "登记欠薪台账" in sentence and "8000.00元" in sentence and "2026-05-01至2026-10-31" in sentence
    payment_record(
        entry=entry, amount=Decimal("3000.00"), paid_on=date(2026, 11, 2), actor=world.user("inspector", "360302")
    )
    sentence = event_sentence(last(case, "ledger.payment_recorded"))
    assert "于2026-11-02获付3000.00元" in sentence and "尚欠5000.00元" in sentence


def test_a_flag_reads_as_its_name_and_reason_never_its_code(case):
    case_flag_set(
        case=case,
        flag="media_reported",
        value=True,
        reason="电视台报道",
        actor=world.user("leader", "360302"),
        role=Role.LEADER,
    )
    sentence = event_sentence(last(case, "case.flag_set"))
    assert "设置案件标记“媒体反映”，理由：电视台报道" in sentence and "media_reported" not in sentence


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        ("deadline.extended", {"kind": "case_term", "length": 30, "new_due": "2027-01-31T15:59:59+00:00"}, ["延长30"]),
        (
            "case.penalty_decided",
            {"number": "安源人社监罚〔2026〕3号", "penalty_amount": "20000.00"},
            ["安源人社监罚〔2026〕3号", "罚款金额 20000.00"],
        ),
        (
            "enforcement.court_applied",
            {"number": "（2026）赣0302行审1号", "reason": "逾期不履行"},
            ["（2026）赣0302行审1号", "逾期不履行"],
        ),
        (
            "referral.transferred",
            {"police": "安源区公安分局", "number": "安源人社移〔2026〕1号"},
            ["安源区公安分局", "安源人社移〔2026〕1号"],
        ),
        (
            "listing.listed",
            {"listed_on": "2026-12-01", "expires_at": "2029-12-01T15:59:59+00:00"},
            ["列入日期 2026-12-01"],
        ),
        (
            "supervision.issued",
            {"number": "萍人社督〔2026〕2号", "next_report_due": "2026-12-20T15:59:59+00:00"},
            ["萍人社督〔2026〕2号", "2026-12-20"],
        ),
        ("account.role_granted", {"role": "auditor", "region": "360302"}, ["授予安源区审计/纪检岗位"]),
        ("case.decided", {"decision": "order_to_pay", "order_due": "2026-12-14T15:59:59+00:00"}, ["限期 2026-12-14"]),
    ],
)
def test_each_kind_with_values_reads_as_a_sentence_with_those_values(kind, data, expected):
    world.build()
    leader = world.user("leader", "360302")
    event = TimelineEvent(
        kind=kind, data=data, actor=leader, actor_name="张三", actor_role=Role.LEADER, actor_region="360302"
    )
    sentence = event_sentence(event)
    assert sentence.startswith("张三（安源区 负责人）")
    for words in expected:
        assert words in sentence, sentence
    assert kind not in sentence and "{" not in sentence and not KEY.search(sentence)


def test_a_task_reads_with_its_step_and_its_person():
    world.build()
    leader = world.user("leader", "360302")
    data = {"task": 7, "step": "investigate", "title": "调查取证", "assignee": "inspector_360302"}
    event = TimelineEvent(
        kind="task.assigned", data=data, actor=leader, actor_name="leader_360302", actor_role=Role.LEADER
    )
    assert event_sentence(event) == "leader_360302（负责人）将任务“调查取证”分派给inspector_360302"
    routed = TimelineEvent(kind="task.routed", data={"title": "调查取证", "owner": "inspector_360302"})
    assert event_sentence(routed) == "任务“调查取证”分送inspector_360302办理"


def test_a_kind_without_values_reads_as_its_label():
    event = TimelineEvent(kind="personal_data.viewed", data={"what": "complainant"}, actor_name="", actor_role="")
    assert event_sentence(event) == "查看个人信息"


@pytest.mark.parametrize("role", ["clerk", "inspector", "leader", "auditor"])
def test_no_event_key_and_no_dict_on_any_roles_timeline_pages_and_the_payload_only_for_auditors(client, case, role):
    document_issue(
        case=case, kind=Document.Kind.ORDER_TO_PAY, actor=world.user("leader", "360302"), role=Role.LEADER,
        data={"facts": "拖欠工资。", "due_date": "2026-12-14"},
    )  # fmt: skip
    client.force_login(world.user(role, "360302"))
    receipt_no = case.complaints.first().receipt_no
    pages = [reverse("cases:detail", args=[case.case_no]), reverse("cases:timeline", args=[case.case_no])]
    if role != "inspector":
        pages.append(reverse("complaints:detail", args=[receipt_no]))
    kinds = set(TimelineEvent.objects.values_list("kind", flat=True))
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "制发《" in page or "complaints" in url
        for kind in kinds:
            assert f">{kind}<" not in page and f" {kind} " not in page, (url, kind)
        assert "{&#x27;" not in page and "{'" not in page
        assert ("记录的数据（审计）" in page) is (role == "auditor"), url
        assert ("document_id" in page) is (role == "auditor" and "complaints" not in url), url


def test_a_sentence_reads_in_english_through_the_catalogue(case):
    from django.utils import translation

    document_issue(
        case=case, kind=Document.Kind.ORDER_TO_PAY, actor=world.user("leader", "360302"), role=Role.LEADER,
        data={"facts": "拖欠工资。", "due_date": "2026-12-14"},
    )  # fmt: skip
    document = Document.objects.filter(case=case).latest("id")
    with translation.override("en"):
        sentence = event_sentence(last(case, "document.issued"))
    assert " issued “" in sentence and document.number in sentence and "制发" not in sentence
