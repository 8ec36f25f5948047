"""The demo's annual written review: 安源区's review of last year, open for reports, with employers of the focus
sectors (manufacturing, catering, mining, construction), some reported online, one on paper, one with no problem,
one ordered to rectify, the others reminded. Through the services; idempotent (one campaign per region and
year). Called from workflows.demo.seed_demo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cases.models import Employer, Region

from .findings import finding_record
from .models import Campaign
from .reports import report_submit
from .services import campaign_create, campaign_open, campaign_remind, campaign_select

EMPLOYERS = [  # name, GB/T 4754 section, address
    ("萍乡市安源区恒达电子制造有限公司", "C", "萍乡市安源区工业园一路8号"),
    ("萍乡市安源区鸿运服装有限公司", "C", "萍乡市安源区工业园二路15号"),
    ("萍乡市安源区老街餐饮管理有限公司", "H", "萍乡市安源区跃进北路22号"),
    ("萍乡市安源区四季酒家有限公司", "H", "萍乡市安源区建设中路6号"),
    ("萍乡市安源区青山煤业有限公司", "B", "萍乡市安源区青山镇矿区路1号"),
    ("萍乡市安源区宏建劳务有限公司", "E", "萍乡市安源区公园路31号"),
    ("萍乡市安源区城南建筑工程有限公司", "E", "萍乡市安源区城南大道100号"),
]
FIGURES = {"headcount": "56", "migrant_workers": "38", "contracts_signed": "56", "wages_due": "2856000.00",
           "wages_paid": "2856000.00", "arrears_year_end": "0", "construction": "no", "contact_name": "李会计",
           "contact_phone": "0799-6830001"}  # fmt: skip


def _uscc(n: int) -> str:
    from stdnum.cn import uscc

    first17 = f"91360302MA{7300000 + n:07d}"
    return first17 + uscc.calc_check_digit(first17)


def reviews_seed(*, progress: Callable[[str], object] = print) -> Campaign | None:
    region = Region.objects.filter(code="360302").first()
    users = get_user_model().objects
    clerk, inspector = users.filter(username="clerk_360302").first(), users.filter(username="inspector_360302").first()
    if region is None or clerk is None or inspector is None:
        return None
    today = timezone.localdate()
    year = today.year - 1
    existing = Campaign.objects.filter(region=region, year=year).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        for n, (name, industry, address) in enumerate(EMPLOYERS):
            Employer.objects.get_or_create(uscc=_uscc(n), defaults={
                "name": name, "name_key": name, "region": region, "industry": industry, "address": address,
            })  # fmt: skip
        campaign = campaign_create(
            region=region, year=year, name=f"安源区{year}年度用人单位工资支付情况书面审查",
            notice=(f"请辖区内劳动密集型加工制造、餐饮服务、涉及化解过剩产能和工程建设领域的用人单位，于报送截止日期前"
                    f"报送{year}年度工资支付情况（职工人数、农民工人数、应发和实发工资、年末拖欠工资、劳动合同签订情况，"
                    "工程建设领域单位另报农民工工资专用账户和实名制管理情况），并附工资发放记录。"),
            opens_on=today - timedelta(days=20), closes_on=today + timedelta(days=10), actor=clerk,
        )  # fmt: skip
        campaign_select(campaign=campaign, industries=["B", "C", "E", "H"], sizes=[], actor=clerk)
        campaign_open(campaign=campaign, actor=clerk)
        dues = list(campaign.dues.select_related("employer").order_by("employer__uscc"))
        reports = [report_submit(due=due, data=FIGURES, uploads=[], actor=None) for due in dues[:3]]
        owed = {**FIGURES, "wages_paid": "2790000.00", "arrears_year_end": "66000.00", "construction": "yes",
                "wage_account": "yes", "real_name": "no"}  # fmt: skip
        reports.append(report_submit(due=dues[5], data=owed, uploads=[], actor=clerk, paper=True))
        finding_record(report=reports[0], outcome="no_problem", problems=[], amount="0", note="",
                       reviewed_on=today, actor=inspector)  # fmt: skip
        finding_record(report=reports[3], outcome="rectify", problems=["arrears", "no_real_name"], amount="66000.00",
                       note="限期支付年末拖欠的农民工工资，建立实名制管理台账。", reviewed_on=today,
                       actor=inspector)  # fmt: skip
        campaign_remind(campaign=campaign, actor=clerk)
    progress(f"  {campaign.name}: {len(dues)} employers due, {len(reports)} reported")
    return campaign
