"""Issue 17: every deposits page and endpoint answers in scope 200 (or the redirect of a done POST), out of
scope 404, wrong role 403; bad input names its field and changes nothing; the XLSX registers' fixed layout;
the public page of return notices."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.investigation import case_assign_inspectors
from cases.models import Role
from deposits.drawdown import deposit_bank_paid, deposit_draw
from deposits.fund import fund_advance_request, fund_allocate
from deposits.models import Deposit, EmergencyFund, FundAdvance
from deposits.register import deposit_record, deposit_register
from deposits.returns import deposit_return_apply, deposit_return_notice
from projects.models import Project
from tests import factories, world
from tests.depositkit import arrears_case, project_with

pytestmark = pytest.mark.django_db
COUNTY, SIBLING = "360302", "360313"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def as_(role: str, code: str = COUNTY) -> Client:
    c = Client()
    c.force_login(world.user(role, code))
    return c


@pytest.fixture
def scene():
    """A held deposit with a drawdown on an assigned case, a fund with a paid advance."""
    project = project_with(601, since=date(2025, 6, 1))
    clerk, leader = world.user(Role.CLERK, COUNTY), world.user(Role.LEADER, COUNTY)
    inspector = world.user(Role.INSPECTOR, COUNTY)
    deposit = deposit_register(project=project, actor=clerk)
    deposit_record(deposit=deposit, form="cash", bank="农行", amount=deposit.required_amount,
                   deposited_on=timezone.localdate(), account_no="6228480000001234", actor=clerk)  # fmt: skip
    case = arrears_case(project, workers=2, amount="20000.00")
    case_assign_inspectors(case=case, inspectors=[inspector, world.second_inspector(COUNTY)], actor=leader,
                           conflict_declared=True)  # fmt: skip
    factories.ledger(case)
    case = factories.order_served_and_due(case)
    draw = deposit_draw(case=case, actor=inspector)
    fund = fund_allocate(region=world.region(COUNTY), amount="50000.00", on=timezone.localdate(), actor=leader)
    case2 = arrears_case(project_with(602, since=date(2025, 6, 1)), workers=2, amount="8000.00")
    case_assign_inspectors(case=case2, inspectors=[inspector, world.second_inspector(COUNTY)], actor=leader,
                           conflict_declared=True)  # fmt: skip
    entries = factories.ledger(case2)
    advance = fund_advance_request(case=case2, purpose="wages", amounts={str(entries[0].pk): "1000.00"},
                                   reason="生活困难", actor=inspector)  # fmt: skip
    return {"project": project, "deposit": deposit, "case": case, "draw": draw, "fund": fund, "case2": case2,
            "advance": advance, "entries": entries}  # fmt: skip


def test_read_pages_in_scope_out_of_scope_wrong_role(scene):
    p, case = scene["project"], scene["case"]
    pages = {
        reverse("deposits:index"): (200, 200, 403),
        reverse("deposits:export"): (200, 200, 403),
        reverse("deposits:figures"): (200, 200, 403),
        reverse("deposits:project", args=[p.project_no]): (200, 404, 404),
        reverse("deposits:drawdown", args=[case.case_no]): (200, 404, 404),
        reverse("deposits:advance", args=[scene["case2"].case_no]): (200, 404, 404),
        reverse("deposits:funds"): (200, 200, 403),
        reverse("deposits:fund", args=[COUNTY]): (200, 404, 404),
        reverse("deposits:fund-export"): (200, 200, 403),
    }
    for url, (own, sibling, admin) in pages.items():
        assert as_(Role.CLERK).get(url).status_code == own, url
        assert as_(Role.CLERK, SIBLING).get(url).status_code == sibling, url
        assert as_(Role.ADMIN).get(url).status_code == admin, url
    doc = reverse("deposits:document", args=[0])
    assert as_(Role.CLERK).get(doc).status_code == 404


def test_the_rate_table_is_the_province_admins_in_the_admin(scene):
    from deposits.ratio import rate_table

    table = rate_table(world.region(COUNTY))
    url = reverse("admin:deposits_depositratetable_change", args=[table.pk])
    assert as_(Role.ADMIN, "360000").get(url).status_code == 200
    assert as_(Role.ADMIN, COUNTY).get(url).status_code in (302, 403, 404)
    body = {f: v for f, v in [("base_rate", "5.00"), ("reduced_rate", "1"), ("arrears_rate", "6"), ("listed_rate", "7"),
            ("cap_amount", "5000000"), ("small_contract_limit", "3000000"), ("clean_years_reduce", "2"),
            ("clean_years_exempt", "3"), ("arrears_lookback_years", "2"), ("deposit_wd", "20"), ("bank_pay_wd", "5"),
            ("topup_wd", "10"), ("return_notice_days", "30"), ("guarantee_warn_days", "30")]}  # fmt: skip
    r = as_(Role.ADMIN, "360000").post(url, body)
    assert r.status_code == 200 and "基准比例须在1%至3%之间" in r.content.decode()
    body["base_rate"], body["arrears_rate"], body["listed_rate"] = "1.5", "2", "3"
    assert as_(Role.ADMIN, "360000").post(url, body).status_code == 302
    assert rate_table(world.region(COUNTY)).base_rate == Decimal("1.50")
    from cases.models import TimelineEvent

    assert TimelineEvent.objects.filter(region=table.province, kind="deposit.rates_changed").exists()


def test_deposit_actions_manage_role_and_bad_input(scene):
    p2 = project_with(603, since=date(2025, 6, 1))
    url = reverse("deposits:project-action", args=[p2.project_no, "register"])
    assert as_(Role.INSPECTOR).post(url).status_code == 403  # reads projects, does not manage them
    assert as_(Role.CLERK, SIBLING).post(url).status_code == 404
    assert as_(Role.CLERK).post(url).status_code == 302
    deposit = Deposit.objects.get(project=p2)
    record = reverse("deposits:project-action", args=[p2.project_no, "record"])
    r = as_(Role.CLERK).post(record, {"form": "guarantee", "bank": "建行", "amount": str(deposit.required_amount),
                                      "deposited_on": str(timezone.localdate()), "guarantee_no": "",
                                      "expires_on": ""})  # fmt: skip
    assert r.status_code == 400 and "保函编号" in r.content.decode()
    deposit.refresh_from_db()
    assert deposit.status == "required"
    r = as_(Role.CLERK).post(record, {"form": "guarantee", "bank": "建行", "amount": str(deposit.required_amount),
                                      "deposited_on": str(timezone.localdate()), "guarantee_no": "BH-1",
                                      "expires_on": str(timezone.localdate() + timedelta(days=365))})  # fmt: skip
    assert r.status_code == 302
    deposit.refresh_from_db()
    assert deposit.status == "held" and deposit.form == "guarantee"
    page = as_(Role.CLERK).get(reverse("deposits:project", args=[p2.project_no])).content.decode()
    assert "基准比例2%" in page and "BH-1" in page


def test_drawdown_and_its_steps_are_the_assigned_inspectors(scene):
    draw, case = scene["draw"], scene["case"]
    paid = reverse("deposits:draw-action", args=[draw.pk, "paid"])
    assert as_(Role.CLERK).post(paid, {"paid_on": str(timezone.localdate())}).status_code == 403
    assert as_(Role.INSPECTOR, SIBLING).post(paid, {"paid_on": str(timezone.localdate())}).status_code == 404
    r = as_(Role.INSPECTOR).post(paid, {"paid_on": "2026-13-01"})
    assert r.status_code == 400 and "支付日期" in r.content.decode()
    assert as_(Role.INSPECTOR).post(paid, {"paid_on": str(timezone.localdate())}).status_code == 302
    draw.refresh_from_db()
    assert draw.status == "paid"
    start = reverse("deposits:drawdown", args=[case.case_no])
    assert as_(Role.CLERK).post(start).status_code == 403
    r = as_(Role.INSPECTOR).post(start)  # nothing left owed: refused with a reason
    assert r.status_code == 400 and "不能动用" in r.content.decode()


def test_fund_pages_leader_approves_inspector_requests(scene):
    advance, case2 = scene["advance"], scene["case2"]
    decide = reverse("deposits:advance-action", args=[advance.pk, "decide"])
    body = {"approved": "yes", "opinion": "同意", "paid_on": str(timezone.localdate())}
    assert as_(Role.INSPECTOR).post(decide, body).status_code == 403
    assert as_(Role.LEADER, SIBLING).post(decide, body).status_code == 404
    assert as_(Role.LEADER).post(decide, body).status_code == 302
    advance.refresh_from_db()
    assert advance.status == FundAdvance.Status.PAID
    assert EmergencyFund.objects.get(pk=scene["fund"].pk).balance == Decimal("49000.00")
    recover = reverse("deposits:advance-action", args=[advance.pk, "recover"])
    assert as_(Role.LEADER).post(recover, {"amount": "100", "on": str(timezone.localdate())}).status_code == 403
    r = as_(Role.INSPECTOR).post(recover, {"amount": "-5", "on": str(timezone.localdate())})
    assert r.status_code == 400
    assert as_(Role.INSPECTOR).post(recover, {"amount": "1000", "on": str(timezone.localdate())}).status_code == 302
    request = reverse("deposits:advance", args=[case2.case_no])
    assert as_(Role.CLERK).post(request, {"purpose": "wages"}).status_code == 403
    r = as_(Role.INSPECTOR).post(
        request, {"purpose": "wages", "reason": "x", f"amount_{scene['entries'][1].pk}": "abc"}
    )
    assert r.status_code == 400 and FundAdvance.objects.filter(case=case2).count() == 1
    allocate = reverse("deposits:fund-allocate")
    assert as_(Role.CLERK).post(allocate, {"amount": "10", "on": str(timezone.localdate())}).status_code == 403
    assert as_(Role.LEADER).post(allocate, {"amount": "x", "on": str(timezone.localdate())}).status_code == 400
    assert as_(Role.LEADER).post(allocate, {"amount": "10", "on": str(timezone.localdate())}).status_code == 302
    assert EmergencyFund.objects.get(pk=scene["fund"].pk).balance == Decimal("50010.00")


def test_xlsx_registers_fixed_layout_with_totals(scene):
    deposit_bank_paid(draw=scene["draw"], paid_on=timezone.localdate(), actor=world.user(Role.INSPECTOR, COUNTY))
    wb = load_workbook(io.BytesIO(as_(Role.CLERK).get(reverse("deposits:export")).content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "农民工工资保证金台账" and rows[1][0].startswith("统计期间：")
    assert rows[2][:3] == ("序号", "项目编号", "项目名称")
    assert rows[-1][0] == "合计" and Decimal(str(rows[-1][15])) == scene["draw"].amount
    wb = load_workbook(io.BytesIO(as_(Role.CLERK).get(reverse("deposits:fund-export")).content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "欠薪应急周转金垫付及追偿台账" and rows[2][0] == "序号" and rows[-1][0] == "合计"


def test_the_public_page_lists_the_notices_without_login(scene):
    deposit = scene["deposit"]
    clerk = world.user(Role.CLERK, COUNTY)
    Project.objects.filter(pk=deposit.project_id).update(status="completed")
    deposit.project.refresh_from_db()
    deposit.refresh_from_db()
    scene["draw"].__class__.objects.filter(pk=scene["draw"].pk).update(status="topped_up")
    deposit_return_apply(deposit=deposit, on=timezone.localdate(), actor=clerk)
    deposit_return_notice(deposit=deposit, actor=clerk)
    page = Client().get(reverse("deposits-public:deposit-notices")).content.decode()
    assert deposit.project.name in page and "公示期" in page
    doc = deposit.documents.first()
    assert as_(Role.CLERK).get(reverse("deposits:document", args=[doc.pk])).status_code == 200
    assert as_(Role.CLERK, SIBLING).get(reverse("deposits:document", args=[doc.pk])).status_code == 404


def test_the_deposit_pages_in_english(scene):
    from django.conf import settings

    c = as_(Role.CLERK)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = c.get(reverse("deposits:project", args=[scene["project"].project_no]), HTTP_ACCEPT_LANGUAGE="en")
    text = html.content.decode()
    assert "Required amount (yuan)" in text and "Drawdowns" in text and "应存金额（元）" not in text
    figures = c.get(reverse("deposits:figures"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Deposits held (yuan)" in figures and "Emergency fund balance (yuan)" in figures


def test_the_case_page_offers_the_drawdown_and_the_advance_to_its_inspectors_only(scene):
    case, case2 = scene["case"], scene["case2"]
    drawdown = reverse("deposits:drawdown", args=[case.case_no])
    advance = reverse("deposits:advance", args=[case.case_no])
    page = as_(Role.INSPECTOR).get(reverse("cases:detail", args=[case.case_no])).content.decode()
    assert f'href="{drawdown}"' in page and "动用工资保证金" in page and f'href="{advance}"' in page
    other = as_(Role.INSPECTOR).get(reverse("cases:detail", args=[case2.case_no])).content.decode()
    assert "动用工资保证金" not in other  # its project holds no deposit; the advance is offered
    assert reverse("deposits:advance", args=[case2.case_no]) in other
    leader_page = as_(Role.LEADER).get(reverse("cases:detail", args=[case.case_no])).content.decode()
    assert drawdown not in leader_page and advance not in leader_page
