"""Signals become work: the triage walked to each outcome, the proactive case with its ledger pre-filled from
the shortfall and the signal on the case's timeline, and the escalation of an overdue red signal."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from viewflow.workflow.models import Task

from cases.models import Case, Role, TimelineEvent
from earlywarning.checks.run import project_month_check
from earlywarning.models import Signal
from projects.models import PaymentLine
from tests.ewkit import MAY, at, project_with_month
from tests.factories import staff
from workflows import services
from workflows.earlywarning.starts import signals_escalate_check, signals_flows_open
from workflows.models import CaseProcess

pytestmark = pytest.mark.django_db


def _task(signal, node=None):
    ct = ContentType.objects.get_for_model(Signal)
    qs = Task.objects.filter(
        flow_task_type="HUMAN", process__artifact_content_type=ct, process__artifact_object_id=signal.pk
    ).filter(Q(status="NEW") | Q(status="ASSIGNED"))
    if node:
        qs = qs.filter(flow_task__endswith=node)
    return qs.order_by("-id").first()


def _step(signal, actor, node=None, **data):
    task = _task(signal, node)
    assert task is not None, "no open task"
    if task.owner_id is None:
        services.task_assign(task=task, actor=actor)
    return services.task_complete(task=task, actor=actor, data=data)


def _red_unpaid(n=1):
    project, unit, made = project_with_month(n, workers=3, due="3000.00")
    PaymentLine.objects.filter(worker__in=made[:2]).delete()
    PaymentLine.objects.filter(worker=made[2]).update(amount=Decimal("2000.00"))
    project_month_check(project=project, month=MAY, now=at(date(2026, 6, 25)))
    signals_flows_open(now=at(date(2026, 6, 25)))
    return project, unit, made


def test_red_signal_to_a_proactive_case_with_the_ledger_prefilled():
    project, unit, _made = _red_unpaid()
    signal = Signal.objects.get(project=project, rule="unpaid_workers")
    assert signal.level == "red" and signal.workers == 2
    inspector, leader = staff(Role.INSPECTOR), staff(Role.LEADER)
    _step(signal, inspector, decision="case", facts="现场核实属实")
    signal.refresh_from_db()
    assert signal.status == "case" and signal.filing is not None
    filing_task = Task.objects.get(
        process__caseprocess__region=project.region,
        flow_task__endswith="filing_approval",
        status__in=["NEW", "ASSIGNED"],
    )
    if filing_task.owner_id is None:
        services.task_assign(task=filing_task, actor=leader)
    services.task_complete(task=filing_task, actor=leader, data={"approved": "yes", "opinion": "同意立案"})
    signal.refresh_from_db()
    case = signal.case
    assert case is not None and case.origin == Case.Origin.EARLY_WARNING and case.employer_id == unit.employer_id
    # the ledger pre-filled from the shortfall: two unpaid (3,000 each) and one paid 2,000 of 3,000
    owed = sorted(e.amount_owed for e in case.ledger.all())
    assert owed == [Decimal("1000.00"), Decimal("3000.00"), Decimal("3000.00")]
    linked = TimelineEvent.objects.get(case=case, kind="signal.case_linked")
    assert linked.data["signal"] == signal.pk and linked.data["ledger_entries"] == 3
    filed = TimelineEvent.objects.get(case=case, kind="case.filed")
    assert "有考勤的实名制人员当月无工资发放记录" in filed.data["facts"]


def test_dismiss_explain_and_interview():
    project, _unit, _made = _red_unpaid(2)
    inspector = staff(Role.INSPECTOR)
    unpaid = Signal.objects.get(project=project, rule="unpaid_workers")
    _step(unpaid, inspector, decision="explain", note="请于5个工作日内说明")
    unpaid.refresh_from_db()
    assert unpaid.status == "explaining" and unpaid.explain_due_on is not None
    _step(unpaid, inspector, node="explanation", explanation="银行系统故障，已于次日补发")
    unpaid.refresh_from_db()
    assert unpaid.status == "open"
    _step(unpaid, inspector, node="triage", decision="interview", held_on=date(2026, 6, 26).isoformat(),
          record="约谈劳务公司负责人，承诺三日内补发")  # fmt: skip
    unpaid.refresh_from_db()
    assert unpaid.status == "interviewed" and "承诺" in unpaid.outcome
    below = (
        Signal.objects.get(project=project, rule="below_minimum_wage")
        if Signal.objects.filter(project=project, rule="below_minimum_wage").exists()
        else Signal.objects.get(project=project, rule="paid_below_sheet")
    )
    _step(below, inspector, decision="dismiss", reason="系工资发放口径差异，已核实无欠薪")
    below.refresh_from_db()
    assert below.status == "dismissed"
    kinds = set(
        TimelineEvent.objects.filter(region=project.region, data__project=project.pk).values_list("kind", flat=True)
    )
    assert {"signal.raised", "signal.explanation_requested", "signal.explained", "signal.interviewed",
            "signal.dismissed"} <= kinds  # fmt: skip


def test_wrong_office_cannot_triage():
    project, _unit, _made = _red_unpaid(3)
    signal = Signal.objects.get(project=project, rule="unpaid_workers")
    task = _task(signal)
    outsider = staff(Role.INSPECTOR, "360313")
    from django.core.exceptions import PermissionDenied

    with pytest.raises((PermissionDenied, Exception)):
        services.task_assign(task=task, actor=outsider)


def test_overdue_red_signal_escalates_to_the_leader_once():
    project, _unit, _made = _red_unpaid(4)
    signal = Signal.objects.get(project=project, rule="unpaid_workers")
    assert signal.due_on is not None
    assert signals_escalate_check(now=at(signal.due_on)) == 0
    later = at(signal.due_on + timedelta(days=1))
    assert signals_escalate_check(now=later) == 1
    assert signals_escalate_check(now=later) == 0
    signal.refresh_from_db()
    assert signal.escalated_at is not None
    task = _task(signal, "urge")
    assert task is not None
    leader = staff(Role.LEADER)
    _step(signal, leader, node="urge", note="请于三日内处置完毕")
    assert TimelineEvent.objects.filter(region=project.region, kind="signal.escalation_handled").count() == 1
    assert CaseProcess.objects.filter(artifact_object_id=signal.pk).count() == 2


def test_task_pages_of_a_signal(client):
    project, _unit, _made = _red_unpaid(5)
    signal = Signal.objects.get(project=project, rule="unpaid_workers")
    task = _task(signal)
    inspector = staff(Role.INSPECTOR)
    client.force_login(inspector)
    for url in ["/tasks/inbox/", "/tasks/queue/", f"/tasks/{task.pk}/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    outsider = staff(Role.INSPECTOR, "360313")
    client.force_login(outsider)
    assert client.get(f"/tasks/{task.pk}/").status_code == 404
    clerk = staff(Role.CLERK)
    client.force_login(clerk)
    assert client.post(f"/tasks/{task.pk}/assign/").status_code == 403  # reads the region, may not triage


def test_a_signal_resolved_and_raised_again_gets_a_new_flow():
    from earlywarning.services import signal_resolve

    project, _unit, made = _red_unpaid(6)
    signal = Signal.objects.get(project=project, rule="unpaid_workers")
    signal_resolve(signal=signal, actor=None)
    _step(signal, staff(Role.INSPECTOR), decision="dismiss", reason="已消除")  # the task closes: nothing to decide
    signal.refresh_from_db()
    assert signal.status == "resolved"
    project_month_check(project=project, month=MAY, now=at(date(2026, 6, 26)))
    signal.refresh_from_db()
    assert signal.status == "open"
    assert signals_flows_open(now=at(date(2026, 6, 26))) == 1
    assert signals_flows_open(now=at(date(2026, 6, 26))) == 0


def test_a_case_opened_from_a_red_signal_left_past_its_day_is_proposed_for_supervision():
    from cases.supervision.rules import supervision_candidates, supervision_rules
    from tests import world

    project, _unit, _made = _red_unpaid(6)
    signal = Signal.objects.get(project=project, rule="unpaid_workers")
    case = world.make_case(project.region.code)
    Signal.objects.filter(pk=signal.pk).update(case=case)
    assert "red_signal_overdue" not in supervision_rules(case)  # red, but not yet past its day
    assert case not in supervision_candidates()
    assert signals_escalate_check(now=at(signal.due_on + timedelta(days=1))) == 1
    assert supervision_rules(case) == ["red_signal_overdue"]
    assert case in supervision_candidates()
