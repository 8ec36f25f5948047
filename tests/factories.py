"""State factories for tests: a complaint or a case in any state, built through the project's services and
flows (never by writing rows), and the one complaint body builder (SPEC §7).

    complaint_body(**{"complainant.phone": "13907990002"})   # a path: "." or "__" between the keys
    complaint_body(complainant__id_number="", employer__uscc=DROP)   # DROP leaves a key out
    complaint(state="refused", region="360302")
    case(state="enforcing", region="360302", workers=3, amount="24000.00")

States a flow decides are reached by claiming and completing the flow's human tasks as their users would
(workflows.services.task_assign / task_complete), the way workflows/demo.py seeds the demo.
"""

from __future__ import annotations

import copy
import itertools
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from stdnum.cn import ric

from cases.models import Case, Channel, Complaint, Region, Role

DROP = object()  # an override value: leave this key out of the body
_serial = itertools.count(1)

COMPLAINT_STATES = ("received", "accepted", "refused", "transferred", "supplement_requested", "investigating", "closed")
CASE_STATES = ("filed", "investigating", "suspended", "deciding", "enforcing", "closed")


# --- numbers --------------------------------------------------------------------------------------


def person_id(n: int, *, prefix: str = "36030219900101") -> str:
    """A valid 18-digit resident ID number (the check digit through stdnum): `prefix` (14 digits: area and
    birth date) and the sequence number n (0–999)."""
    first17 = f"{prefix}{n % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")  # stdnum ignores the last character it is given


def uscc(n: int) -> str:
    """A valid unified social credit code (GB 32100 check character through stdnum)."""
    from stdnum.cn import uscc as _uscc

    first17 = f"91360302MA{n % 10**7:07d}"
    return first17 + _uscc.calc_check_digit(first17)


def mobile(n: int) -> str:
    """A valid mainland mobile number."""
    return f"139{n % 10**8:08d}"


# --- the complaint body ----------------------------------------------------------------------------


def _base_body() -> dict:
    return {
        "channel": "web",
        "complainant": {"name": "张三", "id_number": "34052419800101001X", "phone": "13807990001"},
        "employer": {
            "name": "萍乡市某新建筑工程有限公司",
            "uscc": "91512081MA62K0260E",
            "address": "萍乡市安源区某路1号",
        },
        "project": {"name": "某安置房项目", "address": "萍乡市安源区某地块"},
        "region_code": "360302",
        "workers_count": 12,
        "amount_owed": "86000.00",
        "period_start": "2026-05-01",
        "period_end": "2026-10-31",
        "description": "工程完工后拖欠工资。",
    }


def complaint_body(**overrides) -> dict:
    """The SPEC §7 complaint JSON body (valid resident ID, mobile and USCC), with overrides by path:
    `complainant__phone="…"` or `**{"complainant.phone": "…"}` sets one nested key, `employer__uscc=DROP`
    (or `region_code=DROP`) leaves a key out, and a top-level key set to a dict replaces that whole part."""
    data = _base_body()
    for path, value in overrides.items():
        keys = path.replace("__", ".").split(".")
        node = data
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        if value is DROP:
            node.pop(keys[-1], None)
        else:
            node[keys[-1]] = copy.deepcopy(value)
    return data


# --- staff ----------------------------------------------------------------------------------------


def staff(role: str, code: str = "360302"):
    """The user holding `role` at `code` (the world's `<role>_<code>`), created through staff_create if the
    world has none there."""
    from cases.services import staff_create

    username = f"{role}_{code}"
    found = get_user_model().objects.filter(username=username).first()
    return found or staff_create(username=username, region=Region.objects.get(code=code), role=role)


def inspectors(code: str = "360302") -> list:
    """Two inspectors at `code` (an investigation needs two)."""
    from cases.services import staff_create

    second = get_user_model().objects.filter(username=f"inspector2_{code}").first()
    second = second or staff_create(
        username=f"inspector2_{code}", region=Region.objects.get(code=code), role=Role.INSPECTOR
    )
    return [staff(Role.INSPECTOR, code), second]


# --- driving the flows ----------------------------------------------------------------------------


def step(subject: Complaint | Case, actor, **data) -> list:
    """Claim and complete the open human task of a complaint or case, as its user would."""
    from viewflow.workflow.models import Task

    from workflows import services

    key = "process__caseprocess__complaint" if isinstance(subject, Complaint) else "process__caseprocess__case"
    open_tasks = Task.objects.filter(flow_task_type="HUMAN", **{key: subject}).order_by("-id")
    task = open_tasks.filter(Q(status="NEW") | Q(status="ASSIGNED", owner=actor)).first()
    assert task is not None, f"no open task on {subject}"
    if task.owner_id is None:  # else routed to the actor already (workflows.routing)
        services.task_assign(task=task, actor=actor)
    return services.task_complete(task=task, actor=actor, data=data)


def _own_body(region: str, overrides: dict) -> dict:
    """A body of its own employer (no USCC) and project, so intake never groups it onto an earlier case."""
    n = next(_serial)
    base = {
        "region_code": region,
        "employer": {"name": f"工厂测试单位{n}", "address": "萍乡市安源区某路1号"},
        "project": {"name": f"工厂测试项目{n}", "address": "萍乡市安源区某地块"},
    }
    return complaint_body(**{**base, **overrides})


def complaint(state: str = "received", region: str = "360302", *, target: str = "360313", **body_overrides):
    """A complaint submitted through the intake service and flow, then decided to `state`
    (one of COMPLAINT_STATES). `target`: where a transferred complaint goes. Body overrides as complaint_body's."""
    from cases import intake
    from workflows import services

    if state not in COMPLAINT_STATES:
        raise ValueError(f"complaint state {state!r}: one of {COMPLAINT_STATES}")
    clean = intake.complaint_validate(_own_body(region, body_overrides), staff=True)
    found, created = services.intake_submit(actor=None, clean=clean, channel=clean.channel)
    assert created
    clerk = staff(Role.CLERK, found.region.code)
    if state == "refused":
        step(found, clerk, decision="refuse", reason="系劳动争议，已告知申请劳动仲裁")
    elif state == "transferred":
        step(found, clerk, decision="transfer", reason="用工地不在本辖区", target_region_code=target)
    elif state == "supplement_requested":
        step(found, clerk, decision="supplement", reason="请补充劳动关系证明材料")
    elif state in ("accepted", "investigating", "closed"):
        step(found, clerk, decision="accept")
        found.refresh_from_db()
        if state != "accepted":
            _drive(found.case, "investigating" if state == "investigating" else "closed")
    found.refresh_from_db()
    assert found.status == state, (found.status, state)
    return found


def case(
    state: str = "filed",
    region: str = "360302",
    *,
    workers: int = 5,
    amount: str = "50000.00",
    employer: str | None = None,
    flow: bool = True,
    filed_at: datetime | None = None,
    **body_overrides,
) -> Case:
    """A case of one complaint of `workers` workers owed `amount`, driven to `state` (one of CASE_STATES).

    With flow=True (the default) the complaint goes through intake and its acceptance flow, and the case
    through its investigation flow. flow=False files a case of one complaint_received through case_file
    alone, at `filed_at` (now by default), with no flow and no tasks: the world's cases ("filed" only)."""
    if state not in CASE_STATES:
        raise ValueError(f"case state {state!r}: one of {CASE_STATES}")
    if not flow:
        if state != "filed":
            raise ValueError("without a flow a case can only be filed")
        return _case_filed_direct(region, filed_at=filed_at, employer=employer, workers=workers, amount=amount)
    if filed_at is not None:
        raise ValueError("a case through the flows is filed now")
    overrides = {"workers_count": workers, "amount_owed": str(amount), **body_overrides}
    if employer is not None:
        overrides["employer__name"] = employer
    accepted = complaint("accepted", region, **overrides)
    return _drive(accepted.case, state)


def complaint_received(
    region: str = "360302",
    *,
    received_at: datetime | None = None,
    employer: str | None = None,
    workers: int = 5,
    amount: str = "50000.00",
) -> Complaint:
    """A complaint recorded through complaint_receive alone (no acceptance clock, no flow), at `received_at`
    (now by default). Each has its own project, so intake never groups it onto an earlier open case; the
    employer has no USCC, so each name is its own employer."""
    from cases.services import complaint_receive

    where = Region.objects.get(code=region)
    return complaint_receive(
        actor=None,
        channel=Channel.WEB,
        complainant={"name": f"投诉人{region}", "id_number": "34052419800101001X", "phone": "13807990001"},
        employer={"name": employer or f"{where.name}某建筑有限公司"},
        project={"name": f"{where.name}某项目{next(_serial)}"},
        region=where,
        workers_count=workers,
        amount_owed=Decimal(amount),
        period_start=date(2026, 5, 1),
        period_end=date(2026, 10, 31),
        description="拖欠工资",
        received_at=received_at,
    )


def _case_filed_direct(code: str, *, filed_at: datetime | None, **received) -> Case:
    from cases.services import case_file

    first = complaint_received(code, received_at=filed_at, **received)
    return case_file(actor=None, role="", region=first.region, complaints=[first], filed_at=filed_at)


def _drive(filed: Case, state: str) -> Case:
    """From a filed case with its investigation flow at assign_inspectors, to `state`."""
    code = filed.region.code
    if state != "filed":
        step(filed, staff(Role.LEADER, code), inspectors=[u.pk for u in inspectors(code)], conflict_declared="on")
        filed.refresh_from_db()
    inspector = staff(Role.INSPECTOR, code)
    if state == "suspended":
        from cases.investigation import case_suspend

        case_suspend(case=filed, actor=inspector, reason="用人单位负责人下落不明")
    if state in ("deciding", "enforcing", "closed"):
        step(filed, inspector, violation="on", findings="查实拖欠工资。")
    entries = ledger(filed) if state == "closed" else []
    if state in ("enforcing", "closed"):
        due = timezone.localdate() + timedelta(days=10)
        step(filed, inspector, decision="order_to_pay", facts="拖欠农民工工资事实清楚。", order_due=due.isoformat())
        step(filed, inspector, method="direct", served_at=timezone.now().isoformat(), recipient="法定代表人王某")
    if state == "closed":
        from cases.ledger import payment_record
        from workflows.sweep import timers_fire

        for entry in entries:
            payment_record(entry=entry, amount=entry.amount_owed, paid_on=timezone.localdate(), actor=inspector)
        from tests.clock import days_later

        timers_fire(now=timezone.make_aware(datetime.combine(due + timedelta(days=1), time.min)))
        with days_later(11):  # verification only after the order's deadline (cases.enforcement)
            step(filed, inspector, note="经核查已全部支付。")
            step(filed, staff(Role.LEADER, code), closure_code="paid_in_full", satisfaction="satisfied", note="")
    filed.refresh_from_db()
    assert filed.status == state, (filed.status, state)
    return filed


def ledger(on: Case, *, workers: int | None = None, amount=None) -> list:
    """The case's ledger through ledger_entry_add: one entry per worker, the amount shared (the case's own
    workers and amount by default)."""
    from cases.ledger import ledger_entry_add

    workers = workers or on.workers_count
    total = Decimal(str(amount if amount is not None else on.amount_owed))
    each = (total / workers).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    inspector = staff(Role.INSPECTOR, on.region.code)
    entries = []
    for i in range(workers):
        n = on.pk * 10 + i
        entries.append(
            ledger_entry_add(
                case=on,
                worker={"name": f"工人{on.pk}-{i + 1}", "id_number": person_id(n), "phone": mobile(n)},
                period_start=date(2026, 5, 1),
                period_end=date(2026, 10, 31),
                amount_owed=each if i < workers - 1 else total - each * (workers - 1),
                actor=inspector,
            )
        )
    return entries


def penalty_ready(on: Case, amount="20000.00", *, basis: str = "lsir_30") -> None:
    """A proposed penalty through the procedure, ready for the leader's decision: the 行政处罚告知书 issued and
    served now, the party's written waiver, the inspectors' review (cases.penalty)."""
    from cases import investigation, penalty

    inspector = staff(Role.INSPECTOR, on.region.code)
    investigation.case_pre_decision(
        case=on, actor=inspector, proposed_penalty=Decimal(str(amount)), facts="拒不履行处理决定。", basis=basis
    )
    penalty.penalty_notice_serve(
        case=on, actor=inspector, method="direct", served_at=timezone.now(), recipient="法定代表人王某"
    )
    penalty.penalty_rights_waive(case=on, actor=inspector, waived_on=timezone.localdate(), note="当事人书面放弃。")
    penalty.penalty_review(case=on, actor=inspector, outcome="not_adopted", reasons="当事人放弃陈述申辩。")


def order_served_and_due(on: Case, *, unpaid: bool = True, **fields) -> Case:
    """`on` as the unpaid hand-off leaves it: a handling decision (责令限期支付工资) issued and served ten days
    ago whose deadline was yesterday, `unpaid_after_order` set (and any other field given), read afresh."""
    from cases.documents import document_issue, document_serve
    from cases.models import Document

    yesterday = timezone.localdate() - timedelta(days=1)
    Case.objects.filter(pk=on.pk).update(unpaid_after_order=unpaid, order_due=yesterday, **fields)
    on.refresh_from_db()
    inspector = staff(Role.INSPECTOR, on.region.code)
    issued = timezone.now() - timedelta(days=10)
    order = document_issue(case=on, kind=Document.Kind.HANDLING_DECISION, actor=inspector, role="inspector",
                           data={"due_date": yesterday}, at=issued)  # fmt: skip
    document_serve(document=order, method="direct", served_at=issued + timedelta(hours=1), recipient="法定代表人王某",
                   actor=inspector, role="inspector")  # fmt: skip
    on.refresh_from_db()
    return on
