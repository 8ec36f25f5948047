"""The demo's winter campaign (冬季专项行动) in Pingxiang: launched by the city's leader forty days ago and running
to the Spring Festival, with checks and hazards in each state in two counties — open, open past its deadline,
resolved on time, resolved late, turned into a case (its filing awaiting the leader) — so that the weekly figures,
their records and the report have something to show. Idempotent (the campaign's title marks it); fast."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum.cn import uscc

from cases.models import Employer, Region, Role
from cases.numbering import employer_name_key
from projects.models import Project

from . import hooks
from .models import Campaign
from .services import (
    campaign_create,
    check_record,
    hazard_case_propose,
    hazard_record,
    hazard_resolve,
    proposal_for,
)

TITLE = "萍乡市2026年根治欠薪冬季攻坚行动（演示）"
CITY = "360300"


def _user(role: str, code: str):
    return get_user_model().objects.filter(username=f"{role}_{code}").first()


def _uscc(code: str, n: int) -> str:
    first17 = f"91{code}MA{3500000 + n:07d}"
    return first17 + uscc.calc_check_digit(first17)


def _employer(name: str, n: int, code: str) -> Employer:
    employer, _created = Employer.objects.get_or_create(
        name_key=employer_name_key(name),
        defaults={"name": name, "uscc": _uscc(code, n), "region": Region.objects.get(code=code), "industry": "E"},
    )
    return employer


def campaigns_seed(*, progress: Callable = print) -> Campaign | None:
    if Campaign.objects.filter(title=TITLE).exists():
        return None
    leader = _user(Role.LEADER, CITY)
    if leader is None:
        return None
    today = timezone.localdate()
    start = today - timedelta(days=40)
    campaign = campaign_create(
        region=Region.objects.get(code=CITY), title=TITLE, period_start=start, period_end=today + timedelta(days=70),
        target_kinds=["construction", "government", "employers"], industries=["E"], report_weekday=4, actor=leader,
    )  # fmt: skip
    a, b = Region.objects.get(code="360302"), Region.objects.get(code="360313")
    inspector_a, inspector_b = _user(Role.INSPECTOR, "360302"), _user(Role.INSPECTOR, "360313")
    employers = [
        _employer("萍乡市安源区恒达建筑劳务有限公司", 1, "360302"),
        _employer("萍乡市安源区鑫盛装饰工程有限公司", 2, "360302"),
        _employer("萍乡市湘东区顺发建筑工程有限公司", 3, "360313"),
        _employer("萍乡市湘东区宏远劳务有限公司", 4, "360313"),
    ]
    projects = list(Project.objects.filter(region=a).order_by("pk")[:2])
    # open, within its deadline
    hazard_record(campaign=campaign, region=a, kind="wages_owed", found_on=today - timedelta(days=3), workers=12,
                  amount="86000.00", employer=employers[0], actor=inspector_a,
                  description="春节前两个月工资未结清，班组长反映。")  # fmt: skip
    # open and past its deadline
    hazard_record(campaign=campaign, region=b, kind="no_account", found_on=start + timedelta(days=2),
                  employer=employers[2], actor=inspector_b, description="未按规定开设农民工工资专用账户。")  # fmt: skip
    # resolved on time, and late
    on_time = hazard_record(campaign=campaign, region=a, kind="wages_owed", found_on=start + timedelta(days=5),
                            workers=8, amount="42000.00", employer=employers[1], actor=inspector_a)  # fmt: skip
    hazard_resolve(hazard=on_time, resolved_on=on_time.found_on + timedelta(days=6), amount_paid="42000.00",
                   evidence_note="已通过银行代发，工资发放回单及工人签字确认表附后。", actor=inspector_a)  # fmt: skip
    late = hazard_record(campaign=campaign, region=b, kind="labour_cost", found_on=start + timedelta(days=1),
                         workers=0, amount="150000.00", employer=employers[3], actor=inspector_b)  # fmt: skip
    hazard_resolve(hazard=late, resolved_on=today - timedelta(days=2), evidence_note="建设单位已补拨人工费用。",
                   actor=inspector_b)  # fmt: skip
    # the projects checked; one with a hazard turned into a case (the filing waits for the county's leader)
    for project in projects:
        check_record(campaign=campaign, region=a, checked_on=start + timedelta(days=10), project=project,
                     actor=inspector_a, note="实名制、专户、维权告示牌齐全。")  # fmt: skip
    if projects and hooks.case_proposer is not None and inspector_a is not None:
        hazard = hazard_record(campaign=campaign, region=a, kind="wages_owed", found_on=today - timedelta(days=12),
                               workers=20, amount="260000.00", project=projects[-1], actor=inspector_a,
                               description="劳务分包单位拖欠三个月工资，总包未代发。")  # fmt: skip
        if projects[-1].units.filter(role="general").exists():
            filing = hooks.case_proposer(region=a, proposal=proposal_for(hazard, "经现场核实属实。"), actor=inspector_a)
            hazard_case_propose(hazard=hazard, filing=filing, actor=inspector_a)
    check_record(campaign=campaign, region=b, checked_on=today - timedelta(days=8), employer=employers[2],
                 actor=inspector_b, note="复查：仍未开设专户。")  # fmt: skip
    progress(f"  special campaign: {TITLE}, {campaign.hazards.count()} hazards")
    return campaign
