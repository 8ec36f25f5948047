"""Permission-matrix entries: special campaigns and hazard sweeps (issue 18 item 6). The bureau's readers read
the campaigns covering their office (and, leaders and auditors, those below) and the hazards of the offices
their role covers (404 outside); a leader over the campaign closes it; inspectors of an office in the campaign
enter checks, hazards and imports, resolve a hazard of their office and turn it into a case; leaders and
auditors read the weekly figures and the records behind them (other readers 403); the administrator 403.

The scope rules do not depend on the campaign's level, so the matrix puts its campaign at the target region
itself (a county too); that only a province or a city launches one is tested in tests/test_campaigns.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from cases.models import Employer, Role
from tests import world
from tests.factories import uscc
from tests.matrix import READERS, Entry, Target

START = date(2026, 11, 1)


@dataclass
class CampaignTarget(Target):
    campaign_id: int = 0
    hazard_id: int = 0


def _campaign(code: str):
    from campaigns.models import Campaign

    return Campaign.objects.create(region=world.region(code), title="权限矩阵冬季专项行动", period_start=START,
                                   period_end=date(2027, 2, 28), target_kinds=["construction", "employers"],
                                   industries=["E"], report_weekday=4)  # fmt: skip


def campaign_target(code: str) -> CampaignTarget:
    return CampaignTarget(campaign_id=_campaign(code).pk)


def hazard_target(code: str) -> CampaignTarget:
    from campaigns.services import hazard_record

    campaign = _campaign(code)
    n = Employer.objects.count()
    employer = Employer.objects.create(name=f"矩阵建筑公司{n}", name_key=f"矩阵建筑公司{n}", uscc=uscc(5000 + n),
                                       region=world.region(code), industry="E")  # fmt: skip
    hazard = hazard_record(campaign=campaign, region=world.region(code), kind="wages_owed", found_on=START,
                           workers=3, amount="9000", employer=employer, actor=None)  # fmt: skip
    return CampaignTarget(campaign_id=campaign.pk, hazard_id=hazard.pk)


def reader_list(role: str, _in_scope: bool) -> int:
    return 200 if role in READERS else 403


def reader_page(role: str, in_scope: bool) -> int:
    if role not in READERS:
        return 403
    return 200 if in_scope else 404


def only(roles: set[str], ok: int = 200):
    """In scope: `ok` for these roles, 403 for the other readers; out of scope 404; the administrator 403."""

    def expect(role: str, in_scope: bool) -> int:
        if role not in READERS:
            return 403
        if not in_scope:
            return 404
        return ok if role in roles else 403

    return expect


INSPECTOR = {Role.INSPECTOR}
REPORTERS = {Role.LEADER, Role.AUDITOR}


def _c(name: str, suffix: str = ""):
    return lambda t: reverse(f"campaigns:{name}", args=[t.campaign_id]) + suffix


def _h(name: str):
    return lambda t: reverse(f"campaigns:{name}", args=[t.hazard_id])


ENTRIES = {
    "campaigns:index": Entry(lambda t: reverse("campaigns:index"), reader_list, scoped=False),
    # any leader opens the form; only a province's or a city's may launch (a county leader is told so)
    "campaigns:new": Entry(
        lambda t: reverse("campaigns:new"), lambda r, s: 200 if r == Role.LEADER else 403, scoped=False
    ),
    "campaigns:detail": Entry(_c("detail"), reader_page, prepare=campaign_target),
    "campaigns:close": Entry(
        _c("close"), only({Role.LEADER}, 302), method="post", data={"note": "已完成"}, prepare=campaign_target
    ),  # fmt: skip
    "campaigns:check_new": Entry(_c("check_new"), only(INSPECTOR), prepare=campaign_target),
    "campaigns:hazard_new": Entry(_c("hazard_new"), only(INSPECTOR), prepare=campaign_target),
    "campaigns:import": Entry(_c("import"), only(INSPECTOR), prepare=campaign_target),
    "campaigns:figures": Entry(_c("figures"), only(REPORTERS), prepare=campaign_target),
    "campaigns:records": Entry(_c("records", "?figure=found"), only(REPORTERS), prepare=campaign_target),
    "campaigns:hazard": Entry(_h("hazard"), reader_page, prepare=hazard_target),
    "campaigns:hazard_resolve": Entry(_h("hazard_resolve"), only(INSPECTOR), prepare=hazard_target),
    "campaigns:hazard_case": Entry(
        _h("hazard_case"), only(INSPECTOR, 302), method="post", data={"facts": "属实"}, prepare=hazard_target
    ),  # fmt: skip
}
