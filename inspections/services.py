"""The services of 双随机一公开: the pools, a plan and its reproducible draw (and its re-run, 复核), recusal
with a logged redraw, the inspections (checklist, findings, outcome: no problem, a rectification order and its
verification, or a proactive case through the filing flow's proposal), the plan's completion and the
publication of its results within the province's working days (domain-rules row 61: 20).

Keyword-only, `actor` explicit, one transaction each, one event per state change on the timeline of the
plan's region (the event names the plan)."""

from __future__ import annotations

import math
import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import timeline
from cases.actors import Actor
from cases.industries import Industry
from cases.models import FilingProposal, Region
from cases.provinces import province_config
from cases.tx import one_transaction
from cases.workdays import add_working_days

from . import clocks, draw
from .models import Conflict, Inspection, Inspector, Plan, Redraw, Target
from .pools import drawable_inspectors
from .pools import inspector_enrol as inspector_enrol  # re-exported: the pools' services
from .pools import recusal_record as recusal_record
from .pools import target_enrol as target_enrol
from .rectification import inspection_rectification_verify as inspection_rectification_verify

CHECKLIST = {
    "wage_records": gettext_lazy("工资支付记录"),
    "contracts": gettext_lazy("劳动合同"),
    "real_name": gettext_lazy("实名制管理"),
    "wage_account": gettext_lazy("工资专用账户"),
    "deposit": gettext_lazy("工资保证金"),
    "notice_board": gettext_lazy("维权信息告示牌"),
}
CHECK_VALUES = ("ok", "problem", "na")


def _fail(field: str, message: str):
    raise ValidationError({field: [message]})


def _event(plan: Plan, kind: str, *, actor: Actor, data: dict | None = None) -> None:
    timeline.record(plan.region, kind, actor=actor, data={"plan": plan.pk, **(data or {})})


# --- the plan and its draw -------------------------------------------------------------------------------


@one_transaction
def plan_create(*, region: Region, name: str, period_start: date, period_end: date, actor: Actor,
                share_percent: int | None = None, count: int | None = None,
                industries: list[str] | None = None) -> Plan:  # fmt: skip
    name = (name or "").strip() or _fail("name", _("请填写计划名称。"))
    if not period_start or not period_end or period_end < period_start:
        _fail("period_end", _("检查期间的结束日期不得早于开始日期。"))
    if (share_percent is None) == (count is None):
        _fail("count", _("请填写抽取比例或抽取户数（二者选一）。"))
    if share_percent is not None and not 1 <= share_percent <= 100:
        _fail("share_percent", _("抽取比例须在 1 至 100 之间。"))
    if count is not None and count < 1:
        _fail("count", _("抽取户数须为正整数。"))
    industries = sorted(set(industries or []))
    if any(i not in Industry.values for i in industries):
        _fail("industries", _("行业门类须为国民经济行业分类的门类之一。"))
    plan = Plan.objects.create(
        region=region, name=name, period_start=period_start, period_end=period_end,
        share_percent=share_percent, count=count, industries=industries, created_by=actor,
    )  # fmt: skip
    _event(plan, "draw.planned", actor=actor, data={
        "name": name, "period": [period_start.isoformat(), period_end.isoformat()],
        "share_percent": share_percent, "count": count, "industries": industries,
    })  # fmt: skip
    return plan


def pool_snapshot(plan: Plan) -> dict:
    """The pools as the draw sees them now: ids only (targets filtered by the plan), recusal pairs, k."""
    targets = Target.objects.filter(region=plan.region, active=True)
    if plan.industries:
        targets = targets.filter(industry__in=plan.industries)
    target_ids = sorted(targets.values_list("pk", flat=True))
    inspector_ids = sorted(drawable_inspectors(plan.region).values_list("pk", flat=True))
    recusals = sorted(
        [i, t] for i, t in Conflict.objects.filter(target_id__in=target_ids, inspector_id__in=inspector_ids)
        .values_list("inspector_id", "target_id")
    )  # fmt: skip
    k = plan.count if plan.count is not None else math.ceil(len(target_ids) * (plan.share_percent or 0) / 100)
    return {"targets": target_ids, "inspectors": inspector_ids, "recusals": recusals, "k": min(k, len(target_ids))}


@one_transaction
def plan_draw(*, plan: Plan, actor: Actor, seed: str | None = None) -> Plan:
    """Draw the targets and two inspectors for each: the seed, method, pool snapshot and its hash recorded."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.PLANNED:
        _fail("status", _("该计划已抽取，不能重复抽取。"))
    snapshot = pool_snapshot(plan)
    if snapshot["k"] < 1:
        _fail("count", _("检查对象库中没有符合条件的对象。"))
    seed = seed or secrets.token_hex(16)
    try:
        result = draw.run(seed=seed, snapshot=snapshot)
    except draw.NotEnoughInspectors:
        _fail("inspectors", _("持有执法证且无需回避的检查人员不足两名。"))
    plan.seed, plan.method, plan.snapshot = seed, draw.METHOD, snapshot
    plan.snapshot_hash, plan.drawn_at, plan.status = draw.snapshot_hash(snapshot), timezone.now(), Plan.Status.DRAWN
    plan.save(update_fields=["seed", "method", "snapshot", "snapshot_hash", "drawn_at", "status"])
    for target_id, pair in result:
        inspection = Inspection.objects.create(plan=plan, target_id=target_id, drawn_inspectors=pair)
        inspection.inspectors.set(pair)
    _event(plan, "draw.drawn", actor=actor, data={
        "seed": seed, "method": draw.METHOD, "snapshot_hash": plan.snapshot_hash,
        "targets_in_pool": len(snapshot["targets"]), "inspectors_in_pool": len(snapshot["inspectors"]),
        "k": snapshot["k"], "result": [[t, p] for t, p in result],
    })  # fmt: skip
    return plan


def draw_recompute(plan: Plan) -> bool:
    """复核: the recorded snapshot hashes to the recorded hash, and the draw re-run from the recorded seed gives
    the recorded targets and inspectors."""
    if not plan.seed or draw.snapshot_hash(plan.snapshot) != plan.snapshot_hash:
        return False
    recorded = sorted((i.target_id, sorted(i.drawn_inspectors)) for i in plan.inspections.all())
    return draw.run(seed=plan.seed, snapshot=plan.snapshot) == recorded


@one_transaction
def plan_draw_verify(*, plan: Plan, actor: Actor) -> bool:
    """The 复核 button: recompute and compare; the answer recorded on the timeline."""
    ok = draw_recompute(plan)
    _event(plan, "draw.verified", actor=actor, data={"ok": ok, "seed": plan.seed, "snapshot_hash": plan.snapshot_hash})
    return ok


@one_transaction
def inspection_recuse(*, inspection: Inspection, inspector: Inspector, reason: str, actor: Actor) -> Redraw:
    """An inspector drawn for a target must recuse: the recusal recorded, a replacement drawn from the pool
    (certified, not recused, not already on it) with a recorded seed; the redraw logged."""
    inspection = Inspection.objects.select_for_update().select_related("plan").get(pk=inspection.pk)
    current = set(inspection.inspectors.values_list("pk", flat=True))
    if inspector.pk not in current:
        _fail("inspector", _("该检查人员不在本次检查中。"))
    if inspection.outcome:
        _fail("inspector", _("检查已完成，不能再更换检查人员。"))
    reason = (reason or "").strip() or _fail("reason", _("请填写回避理由。"))
    Conflict.objects.get_or_create(inspector=inspector, target=inspection.target, defaults={"reason": reason})
    recused = set(Conflict.objects.filter(target=inspection.target).values_list("inspector_id", flat=True))
    eligible = [
        pk for pk in drawable_inspectors(inspection.plan.region).values_list("pk", flat=True)
        if pk not in current and pk not in recused
    ]  # fmt: skip
    seed = f"{inspection.plan.seed}:redraw:{inspection.pk}:{inspection.redraws.count() + 1}"
    try:
        added = draw.replacement(seed=seed, eligible=eligible)
    except draw.NotEnoughInspectors:
        _fail("inspector", _("没有可替换的检查人员。"))
    inspection.inspectors.remove(inspector)
    inspection.inspectors.add(added)
    redraw = Redraw.objects.create(inspection=inspection, removed=inspector, added_id=added, seed=seed,
                                   reason=reason, actor=actor)  # fmt: skip
    _event(inspection.plan, "draw.redrawn", actor=actor, data={
        "inspection": inspection.pk, "target": inspection.target_id, "removed": inspector.pk, "added": added,
        "seed": seed, "eligible": sorted(eligible), "reason": reason,
    })  # fmt: skip
    return redraw


# --- the inspections -------------------------------------------------------------------------------------


def checklist_validate(checklist: dict) -> dict:
    unknown = set(checklist) - set(CHECKLIST)
    if unknown:
        _fail("checklist", _("检查事项不在清单中。"))
    missing = [k for k in CHECKLIST if checklist.get(k) not in CHECK_VALUES]
    if missing:
        items = "、".join(str(CHECKLIST[k]) for k in missing)
        _fail("checklist", _("请逐项填写检查事项：%(items)s。") % {"items": items})
    return {k: checklist[k] for k in CHECKLIST}


def _open(inspection: Inspection) -> Inspection:
    inspection = Inspection.objects.select_for_update().select_related("plan", "plan__region").get(pk=inspection.pk)
    if inspection.plan.status != Plan.Status.DRAWN:
        _fail("outcome", _("该计划不在检查阶段。"))
    if inspection.outcome:
        _fail("outcome", _("该检查已登记结果。"))
    return inspection


@one_transaction
def inspection_record(*, inspection: Inspection, checklist: dict, findings: str, outcome: str,
                      inspected_on: date, actor: Actor, rectify_wd: int | None = None) -> Inspection:  # fmt: skip
    """The inspectors' record: no problem, or a rectification order due in the order's working days — the
    province's default (`inspection_rectify_wd`) or `rectify_wd` within the bounds — on an engine clock."""
    inspection = _open(inspection)
    checklist = checklist_validate(checklist)
    findings = (findings or "").strip()
    if outcome not in (Inspection.Outcome.NO_PROBLEM, Inspection.Outcome.RECTIFY):
        _fail("outcome", _("请选择检查结果。"))
    problems = [k for k, v in checklist.items() if v == "problem"]
    if outcome == Inspection.Outcome.RECTIFY and not (problems and findings):
        _fail("findings", _("责令整改须填写检查发现的问题。"))
    if outcome == Inspection.Outcome.NO_PROBLEM and problems:
        _fail("outcome", _("检查事项存在问题，不能登记为未发现问题。"))
    if not inspected_on or inspected_on > timezone.localdate():
        _fail("inspected_on", _("检查日期不得晚于今天。"))
    if rectify_wd is not None and not clocks.RECTIFY_WD_MIN <= rectify_wd <= clocks.RECTIFY_WD_MAX:
        _fail("rectify_wd", _("整改期限须在 %(low)s 至 %(high)s 个工作日之间。")
              % {"low": clocks.RECTIFY_WD_MIN, "high": clocks.RECTIFY_WD_MAX})  # fmt: skip
    inspection.checklist, inspection.findings, inspection.outcome = checklist, findings, outcome
    inspection.inspected_on = inspected_on
    kind = "inspection.recorded"
    if outcome == Inspection.Outcome.RECTIFY:
        days = rectify_wd or province_config(inspection.plan.region).inspection_rectify_wd
        inspection.rectify_wd, inspection.rectify_due = days, add_working_days(inspected_on, days)
        kind = "inspection.rectification_ordered"
    inspection.save(update_fields=["checklist", "findings", "outcome", "inspected_on", "rectify_due", "rectify_wd"])
    if outcome == Inspection.Outcome.RECTIFY:
        clocks.rectify_start(inspection, days=inspection.rectify_wd or 0)
    _event(inspection.plan, kind, actor=actor, data={
        "inspection": inspection.pk, "target": inspection.target_id, "name": inspection.target.name,
        "outcome": outcome, "problems": problems,
        **({"rectify_due": inspection.rectify_due.isoformat(), "rectify_wd": inspection.rectify_wd}
           if inspection.rectify_due else {}),
    })  # fmt: skip
    return inspection


@one_transaction
def inspection_case_propose(*, inspection: Inspection, checklist: dict, findings: str, inspected_on: date,
                            filing: FilingProposal, actor: Actor) -> Inspection:  # fmt: skip
    """A finding that needs a case: the filing flow's proactive proposal (origin 双随机抽查) is linked; the
    leader's filing approval makes the case (cases.proactive)."""
    inspection = _open(inspection)
    checklist = checklist_validate(checklist)
    findings = (findings or "").strip() or _fail("findings", _("请填写检查发现的问题。"))
    inspection.checklist, inspection.findings, inspection.inspected_on = checklist, findings, inspected_on
    inspection.outcome, inspection.filing = Inspection.Outcome.CASE, filing
    inspection.save(update_fields=["checklist", "findings", "inspected_on", "outcome", "filing"])
    _event(inspection.plan, "inspection.case_proposed", actor=actor,
           data={"inspection": inspection.pk, "target": inspection.target_id, "filing": filing.pk})  # fmt: skip
    return inspection


# --- completion and publication --------------------------------------------------------------------------


@one_transaction
def plan_complete(*, plan: Plan, actor: Actor, on: date | None = None) -> Plan:
    """Every inspection done: the plan is complete and its results are due on the public pages within the
    province's working days (default 20)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.DRAWN:
        _fail("status", _("该计划不在检查阶段。"))
    if not all(i.done for i in plan.inspections.all()):
        _fail("status", _("尚有检查未完成（含整改未核查）。"))
    on = on or timezone.localdate()
    plan.completed_on, plan.status = on, Plan.Status.COMPLETED
    days = province_config(plan.region).inspection_publish_wd
    plan.publish_due = add_working_days(on, days)
    plan.save(update_fields=["completed_on", "status", "publish_due"])
    clocks.publish_start(plan, days=days)
    _event(plan, "inspection.plan_completed", actor=actor,
           data={"completed_on": on.isoformat(), "publish_due": plan.publish_due.isoformat()})  # fmt: skip
    return plan


@one_transaction
def plan_publish(*, plan: Plan, actor: Actor) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.COMPLETED:
        _fail("status", _("计划检查完毕后才能公示结果。"))
    plan.published_at, plan.status = timezone.now(), Plan.Status.PUBLISHED
    plan.save(update_fields=["published_at", "status"])
    clocks.close(plan, clocks.PUBLISH, at=plan.published_at)
    late = timezone.localdate() > plan.publish_due if plan.publish_due else False
    _event(plan, "inspection.published", actor=actor, data={"late": late})
    return plan


def plans_publication_overdue(today: date):
    """Completed plans not published by their due day."""
    return Plan.objects.filter(status=Plan.Status.COMPLETED, publish_due__lt=today).order_by("publish_due", "pk")
