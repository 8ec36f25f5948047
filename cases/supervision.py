"""挂牌督办 (SPEC §4.3; domain-rules §2 row 60, §3 "挂牌督办 trigger", §4.5): the services of supervised handling.

A superior office (city or province) supervises a case handled by an office strictly below it:

    PROPOSED ──confirm──▶ ACTIVE ──apply close──▶ CLOSING ──approve──▶ CLOSED
       │                  │  ▲                       │
       └─decline─▶ DECLINED  │  └───────return───────┘
                          ▼  │
                        OVERDUE (still reports and applies for closure; CLOSING → CLOSED from here too)

Clocks (cases.deadlines), all on the case and held by the case's office (the office that must act):

- "supervision.complete": the notice's deadline, province_config().supervision_days (complex cases
  supervision_days_complex) calendar days from the notice; paused while a closure application is under
  review (the superior's review time is not the lower office's), resumed on return. Overdue → OVERDUE,
  the next level up is notified and the registered hooks (on_supervision_overdue: accountability) run.
- "supervision.report": every supervision_report_wd working days. The first interval runs from the notice;
  a report on time starts the next interval where the last one ended (a fixed cadence), a late one starts
  it from the report. Overdue → a reminder, and the grace clock below.
- "supervision.report_grace" (registered here): one more interval after a missed report's due time.
  Overdue (still no report) → the missed report is escalated to the supervising office.

Per-case exception: while the supervision is open, the supervising office holds "supervise_case" on the
case (read-only: case, complaints, timeline), so its clerks and inspectors see what they supervise; its
leaders and auditors see the case anyway through their subtree. It is revoked at 销号 (CLOSED): see
supervision_close().

Every service is one transaction; every state change writes one timeline event (documents and permission
exceptions write their own, through document_issue and case_exception_grant/revoke). Lock order, as in the
sweep: deadlines first, then the case, then the supervision row.

This module is the cases layer: no viewflow, no workflows, no accountability imports. Outer layers hook in
with on_supervision_overdue(fn) and by registering the deadline handlers (workflows/flows_supervision.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import scope, timeline
from .deadlines import (
    PROVINCE_CONFIG,
    RULES,
    Rule,
    deadline_close,
    deadline_pause,
    deadline_resume,
    deadline_start,
    rules_register,
)
from .documents import document_issue
from .models import (
    Case,
    Deadline,
    Document,
    ProvinceConfig,
    Region,
    Role,
    StaffRole,
    Supervision,
    SupervisionReport,
)
from .provinces import province_config
from .services import case_exception_grant, case_exception_revoke
from .values import required_text

COMPLETE = "supervision.complete"
REPORT = "supervision.report"
GRACE = "supervision.report_grace"
EXCEPTION = "supervise_case"

rules_register(
    {
        GRACE: Rule(
            gettext_lazy("督办进展报告催报期限"),
            RULES[REPORT].length,  # always started with the province's report interval
            Deadline.Unit.WORKING_DAYS,
            f"挂牌督办通知书{PROVINCE_CONFIG}",
            "supervision.report_reminded",
            0,
        )
    }
)

S = Supervision.Status
OPEN = [S.PROPOSED, S.ACTIVE, S.CLOSING, S.OVERDUE]  # the model's one-open-per-case constraint
RUNNING = [S.ACTIVE, S.CLOSING, S.OVERDUE]  # a notice was issued and the supervision is not closed
REPORTING = [S.ACTIVE, S.OVERDUE]  # the lower office reports (and may apply for closure)
OPEN_DEADLINE = [Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE]
CASE_CLOSED = [Case.Status.CLOSED, Case.Status.WITHDRAWN]

# --- the rules that propose a supervision (SPEC §4.3 step 1; *config*) ---------------------------------

WORKERS, AMOUNT, GROUP_INCIDENT, MEDIA_REPORTED = "workers", "amount", "group_incident", "media_reported"
REASON_LABELS = {
    WORKERS: gettext_lazy("涉及劳动者人数达到督办标准"),
    AMOUNT: gettext_lazy("欠薪金额达到督办标准"),
    GROUP_INCIDENT: gettext_lazy("引发群体性事件"),
    MEDIA_REPORTED: gettext_lazy("媒体报道"),
}


def _rule_q(config: ProvinceConfig) -> Q:
    return (
        Q(workers_count__gte=config.supervision_min_workers)
        | Q(amount_owed__gte=config.supervision_min_amount)
        | Q(group_incident=True)
        | Q(media_reported=True)
    )


def supervision_rules(case: Case) -> list[str]:
    """The rule reasons that hold for the case (no side effects): its province's thresholds, inclusive."""
    config = province_config(case.region)
    reasons = []
    if case.workers_count >= config.supervision_min_workers:
        reasons.append(WORKERS)
    if case.amount_owed >= config.supervision_min_amount:
        reasons.append(AMOUNT)
    if case.group_incident:
        reasons.append(GROUP_INCIDENT)
    if case.media_reported:
        reasons.append(MEDIA_REPORTED)
    return reasons


def reasons_text(reasons: list[str]) -> str:
    """The reasons as the notice states them (documents are always in Chinese)."""
    with translation.override("zh-hans"):
        return "、".join(str(REASON_LABELS[r]) for r in reasons if r in REASON_LABELS)


def supervision_candidates(*, limit: int = 100) -> list[Case]:
    """Open cases below a superior that meet their province's rules and were never supervised or proposed.

    The same test as supervision_rules(), as one query per province with its own settings (and one for
    every province left at the defaults). A proposal that was declined is not made again; a leader may
    still start a supervision by hand.
    """
    configs = list(ProvinceConfig.objects.select_related("province"))
    q = Q(pk__in=[])
    for config in configs:
        q |= Q(region__path__startswith=config.province.path) & _rule_q(config)
    default = _rule_q(ProvinceConfig())
    for config in configs:
        default &= ~Q(region__path__startswith=config.province.path)
    q |= default
    ever = Supervision.objects.filter(case_id=OuterRef("pk"))
    return list(
        Case.objects.filter(q, region__parent__isnull=False)
        .exclude(status__in=CASE_CLOSED)
        .filter(~Exists(ever))
        .select_related("region__parent")
        .order_by("id")[:limit]
    )


# --- who supervises whom -----------------------------------------------------------------------------


def _strictly_above(office: Region, region: Region) -> bool:
    return office.pk != region.pk and region.path.startswith(office.path)


def may_supervise(user) -> bool:
    """A leader of an office with offices below it (a city or a province): county leaders may not."""
    ids = scope.regions_with(user, scope.Right.SUPERVISE)
    return bool(ids) and Region.objects.filter(parent_id__in=ids).exists()


def supervising_office_for(actor, case: Case) -> Region:
    """The nearest office above the case where `actor` is a leader (404 out of scope, 403 without the right)."""
    if not scope.in_scope(actor, region=case.region, case_id=case.pk):
        raise Http404
    offices = [g for g in scope.grants(actor) if g.role == Role.LEADER and g.gives(scope.Right.SUPERVISE, case.region)]
    if not offices:
        raise PermissionDenied(_("只能督办本辖区下级机构承办的案件。"))
    return Region.objects.get(pk=max(offices, key=lambda g: len(g.path)).region_id)


def _check_supervisor(*, case: Case, supervising_region: Region, actor) -> None:
    """The supervising office is strictly above the case's office, and the actor is its leader."""
    if not scope.in_scope(actor, region=case.region, case_id=case.pk):
        raise Http404
    if not _strictly_above(supervising_region, case.region):
        raise PermissionDenied(_("督办机构须为案件承办机构的上级机构。"))
    if not (
        scope.has_role(actor, Role.LEADER, region=supervising_region)
        and scope.can(actor, scope.Right.SUPERVISE, region=case.region)
    ):
        raise PermissionDenied(_("只有督办机构的负责人可以决定挂牌督办。"))


def supervision_next_level(supervision: Supervision) -> Region:
    """Who hears of an overdue supervision: the supervising office's superior (the province: itself)."""
    office = supervision.supervising_region
    return office.parent if office.parent_id else office


# --- clocks ------------------------------------------------------------------------------------------


def _clock(supervision: Supervision, kind: str) -> Deadline | None:
    return (
        Deadline.objects.filter(case_id=supervision.case_id, kind=kind, state__in=OPEN_DEADLINE).order_by("-id").first()
    )


def supervision_complete_deadline(supervision: Supervision) -> Deadline | None:
    """The notice's deadline: started with the supervision (same start time), open or not."""
    if supervision.started_at is None:
        return None
    return (
        Deadline.objects.filter(case_id=supervision.case_id, kind=COMPLETE, start_at=supervision.started_at)
        .order_by("-id")
        .first()
    )


def supervision_report_opens(supervision: Supervision) -> datetime:
    """When the next report may be made: the start of the open report interval (the flow's Timer)."""
    deadline = _clock(supervision, REPORT)
    return deadline.start_at if deadline is not None else timezone.now()


def _report_clock_start(supervision: Supervision, start_at: datetime) -> Deadline:
    return deadline_start(
        kind=REPORT,
        region=supervision.case.region,
        start_at=start_at,
        case=supervision.case,
        length=supervision.report_interval_wd,
    )


def _close_report_clocks(supervision: Supervision, at: datetime) -> list[Deadline]:
    """A report (or a closure application) arrived: the report clock, then its grace clock, close.

    The grace clock is looked up after the report clock is locked: a sweep that made the report overdue
    meanwhile has committed the grace clock it started.
    """
    closed = []
    for kind in (REPORT, GRACE):
        deadline = _clock(supervision, kind)
        if deadline is not None:
            closed.append(deadline_close(deadline=deadline, at=at))
    return closed


def _expect(supervision: Supervision, statuses: list[str], field: str) -> None:
    if supervision.status not in statuses:
        raise ValidationError(
            {field: _("督办当前状态为“%(s)s”，不能办理此操作。") % {"s": supervision.get_status_display()}}
        )


def _lock(supervision: Supervision, statuses: list[str] | None = None, field: str = "status") -> None:
    """Lock the case, then the supervision row, and reload it; check its status.

    Called after the deadlines a service touches: the sweep's order is deadlines, subjects (the case),
    then its handlers (this row)."""
    Case.objects.select_for_update().filter(pk=supervision.case_id).values_list("pk").get()
    supervision.refresh_from_db(from_queryset=Supervision.objects.select_for_update())
    if statuses is not None:
        _expect(supervision, statuses, field)


# --- proposal, start, confirmation -------------------------------------------------------------------


def _lock_case_for_new(case: Case) -> None:
    """Serialise starts on one case, then refuse a second open supervision (the constraint backs this up)."""
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").get()
    case.refresh_from_db(fields=["status"])
    if case.status in CASE_CLOSED:
        raise ValidationError({"case_no": _("案件已办结，不能挂牌督办。")})
    if Supervision.objects.filter(case=case, status__in=OPEN).exists():
        raise ValidationError({"case_no": _("该案件已在督办中（或已建议督办）。")})


@transaction.atomic
def supervision_propose(
    *, case: Case, supervising_region: Region, reasons: list[str], now: datetime | None = None
) -> Supervision:
    """A PROPOSED supervision for the superior's leader to confirm (or decline)."""
    if not _strictly_above(supervising_region, case.region):
        raise ValidationError({"supervising_region": _("督办机构须为案件承办机构的上级机构。")})
    if not reasons:
        raise ValidationError({"reasons": _("没有符合督办条件的情形。")})
    _lock_case_for_new(case)
    supervision = Supervision.objects.create(
        case=case, supervising_region=supervising_region, status=S.PROPOSED, rule_reasons=list(reasons)
    )
    timeline.record(
        case,
        "supervision.proposed",
        data={"supervision": supervision.pk, "supervising_region": supervising_region.code, "reasons": reasons},
        at=now,
    )
    return supervision


def supervision_propose_if_due(case: Case, *, now: datetime | None = None) -> Supervision | None:
    """Propose to the superior of the case's office when a rule holds and the case was never proposed."""
    reasons = supervision_rules(case)
    superior = case.region.parent
    if not reasons or superior is None or case.status in CASE_CLOSED or case.supervisions.exists():
        return None
    return supervision_propose(case=case, supervising_region=superior, reasons=reasons, now=now)


def _activate(supervision: Supervision, *, actor, complex: bool, requirements: str, proposed: bool) -> Supervision:
    """Issue the notice: days and interval from the province's settings, the clocks, the exception."""
    case, office = supervision.case, supervision.supervising_region
    config = province_config(case.region)
    now = timezone.now()
    days = config.supervision_days_complex if complex else config.supervision_days
    interval = config.supervision_report_wd
    supervision.started_at = now  # the clocks start here too: supervision_complete_deadline() matches on it
    complete = deadline_start(kind=COMPLETE, region=case.region, start_at=now, case=case, length=days)
    supervision.report_interval_wd = interval
    report = _report_clock_start(supervision, now)
    reasons = supervision.rule_reasons or supervision_rules(case)
    notice = document_issue(
        case=case,
        kind=Document.Kind.SUPERVISION_NOTICE,
        actor=actor,
        role=Role.LEADER,
        office=office,
        at=now,
        data={
            "due_date": complete.due_at,
            "report_interval": interval,
            "reason": reasons_text(reasons),
            "requirements": requirements,
        },
    )
    supervision.status = S.ACTIVE
    supervision.complex = complex
    supervision.days = days
    supervision.notice = notice
    supervision.requirements = requirements
    supervision.started_by = actor
    supervision.rule_reasons = reasons
    supervision.save()
    case_exception_grant(case=case, codename=EXCEPTION, actor=actor, role=Role.LEADER, region=office)
    timeline.record(
        case,
        "supervision.started",
        actor=actor,
        role=Role.LEADER,
        data={
            "supervision": supervision.pk,
            "supervising_region": office.code,
            "proposed": proposed,
            "complex": complex,
            "days": days,
            "due_at": complete.due_at,
            "report_interval_wd": interval,
            "first_report_due": report.due_at,
            "notice": notice.number,
            "requirements": requirements,
            "reasons": reasons,
        },
        at=now,
    )
    return supervision


@transaction.atomic
def supervision_start(
    *, case: Case, supervising_region: Region, actor, complex: bool, requirements: str
) -> Supervision:
    """A city or province leader puts a case of an office below under supervision: the numbered notice
    (issued by the supervising office), the completion and report clocks, the supervising office's access."""
    _check_supervisor(case=case, supervising_region=supervising_region, actor=actor)
    requirements = required_text(requirements, field="requirements")
    _lock_case_for_new(case)
    supervision = Supervision.objects.create(case=case, supervising_region=supervising_region, status=S.PROPOSED)
    return _activate(supervision, actor=actor, complex=complex, requirements=requirements, proposed=False)


@transaction.atomic
def supervision_confirm(*, supervision: Supervision, actor, complex: bool, requirements: str) -> Supervision:
    """The superior's leader confirms a proposal: the same notice, clocks and access as a start by hand."""
    _check_supervisor(case=supervision.case, supervising_region=supervision.supervising_region, actor=actor)
    requirements = required_text(requirements, field="requirements")
    _lock(supervision, [S.PROPOSED], field="approved")
    if supervision.case.status in CASE_CLOSED:
        raise ValidationError({"approved": _("案件已办结，不能挂牌督办。")})
    return _activate(supervision, actor=actor, complex=complex, requirements=requirements, proposed=True)


@transaction.atomic
def supervision_decline(*, supervision: Supervision, actor, opinion: str) -> Supervision:
    """The superior's leader declines a proposal (it is not proposed again; a start by hand remains possible)."""
    _check_supervisor(case=supervision.case, supervising_region=supervision.supervising_region, actor=actor)
    opinion = required_text(opinion, field="opinion")
    _lock(supervision, [S.PROPOSED], field="approved")
    supervision.status = S.DECLINED
    supervision.closed_at = timezone.now()
    supervision.save(update_fields=["status", "closed_at"])
    timeline.record(
        supervision.case,
        "supervision.declined",
        actor=actor,
        role=Role.LEADER,
        data={"supervision": supervision.pk, "opinion": opinion},
    )
    return supervision


# --- the lower office: acknowledge, report, apply for closure -------------------------------------------


@transaction.atomic
def supervision_acknowledge(*, supervision: Supervision, actor, note: str = "") -> Supervision:
    """The case office's leader signs for the notice (签收)."""
    _lock(supervision, REPORTING, field="note")
    if supervision.acknowledged_at is not None:
        raise ValidationError({"note": _("督办通知已签收。")})
    supervision.acknowledged_at = timezone.now()
    supervision.save(update_fields=["acknowledged_at"])
    timeline.record(
        supervision.case,
        "supervision.acknowledged",
        actor=actor,
        role=Role.LEADER,
        data={"supervision": supervision.pk, "note": (note or "").strip()},
    )
    return supervision


@transaction.atomic
def supervision_report(*, supervision: Supervision, actor, progress: str) -> SupervisionReport:
    """A progress report: late if after the interval's due time; the next interval starts where this one
    ended (on time) or now (late)."""
    progress = required_text(progress, field="progress")
    _expect(supervision, REPORTING, "progress")
    now = timezone.now()
    current = _clock(supervision, REPORT)
    late = current is not None and (current.state == Deadline.State.OVERDUE or now > current.due_at)
    due = current.due_at if current is not None else None
    _close_report_clocks(supervision, now)
    _lock(supervision, REPORTING, field="progress")
    following = _report_clock_start(supervision, now if late or due is None else due)
    report = SupervisionReport.objects.create(
        supervision=supervision,
        seq=supervision.reports.count() + 1,
        progress=progress,
        submitted_by=actor,
        submitted_at=now,
        late=late,
    )
    timeline.record(
        supervision.case,
        "supervision.reported",
        actor=actor,
        role=Role.LEADER,
        data={
            "supervision": supervision.pk,
            "seq": report.seq,
            "late": late,
            "due_at": due,
            "next_due": following.due_at,
            "progress": progress,
        },
        at=now,
    )
    return report


@transaction.atomic
def supervision_apply_close(*, supervision: Supervision, actor, result: str) -> Supervision:
    """销号申请 with the results: it stands for the interval's report; the completion clock pauses while the
    supervising office reviews it."""
    result = required_text(result, field="result")
    _expect(supervision, REPORTING, "result")
    now = timezone.now()
    _close_report_clocks(supervision, now)
    complete = _clock(supervision, COMPLETE)
    if complete is not None and complete.state != Deadline.State.PAUSED:
        deadline_pause(deadline=complete, reason=_("已申请销号，督办机构审核中"), actor=actor, at=now)
    _lock(supervision, REPORTING, field="result")
    supervision.status = S.CLOSING
    supervision.result = result
    supervision.save(update_fields=["status", "result"])
    timeline.record(
        supervision.case,
        "supervision.close_applied",
        actor=actor,
        role=Role.LEADER,
        data={"supervision": supervision.pk, "result": result},
        at=now,
    )
    return supervision


# --- the supervising office: 销号 or return -------------------------------------------------------------


@transaction.atomic
def supervision_close(*, supervision: Supervision, actor, approved: bool, opinion: str) -> Supervision:
    """The supervising leader approves the closure (CLOSED) or returns it (back to reporting).

    Approved: the completion clock closes (judged at the application: MET if it came in time), and the
    supervising office's "supervise_case" exception is revoked. Why revoke rather than keep it read-only:
    the exception is already read-only, and it exists for the supervision (SPEC §2: "the supervising office
    of a supervised case"; exceptions are few). What the superior needs afterwards — accountability, audit,
    assessment — is done by its leaders and auditors, who see the case through their own subtree scope; the
    supervision's record (notice, reports, closure) stays on the case's timeline. Clerks and inspectors of
    the superior lose a case that is no longer theirs to follow (least privilege over personal data).

    Returned: the clock resumes with the time that was left (still overdue if it was), and a new report
    interval starts now.
    """
    opinion = required_text(opinion, field="opinion")
    _expect(supervision, [S.CLOSING], "approved")
    now = timezone.now()
    complete = _clock(supervision, COMPLETE)
    if approved:
        if complete is not None:
            deadline_close(deadline=complete, at=now)
        _close_report_clocks(supervision, now)
    elif complete is not None:
        deadline_resume(deadline=complete, actor=actor, at=now)
    _lock(supervision, [S.CLOSING], field="approved")
    case = supervision.case
    if approved:
        supervision.status = S.CLOSED
        supervision.closed_at = now
        supervision.save(update_fields=["status", "closed_at"])
        timeline.record(
            case,
            "supervision.closed",
            actor=actor,
            role=Role.LEADER,
            data={
                "supervision": supervision.pk,
                "opinion": opinion,
                "result": supervision.result,
                "deadline_state": complete.state if complete is not None else None,
            },
            at=now,
        )
        case_exception_revoke(
            case=case, codename=EXCEPTION, actor=actor, role=Role.LEADER, region=supervision.supervising_region
        )
        return supervision
    overdue = complete is not None and complete.overdue_at is not None
    supervision.status = S.OVERDUE if overdue else S.ACTIVE
    supervision.save(update_fields=["status"])
    following = _report_clock_start(supervision, now)
    timeline.record(
        case,
        "supervision.close_returned",
        actor=actor,
        role=Role.LEADER,
        data={
            "supervision": supervision.pk,
            "opinion": opinion,
            "due_at": complete.due_at if complete is not None else None,
            "next_report_due": following.due_at,
        },
        at=now,
    )
    return supervision


# --- the sweep: missed reports, overdue supervision -----------------------------------------------------


def supervision_for_deadline(deadline: Deadline) -> Supervision | None:
    """The running supervision a supervision clock belongs to (one at most per case)."""
    return supervisions_for_deadlines([deadline]).get(deadline.case_id)


def supervisions_for_deadlines(deadlines: list[Deadline]) -> dict[int, Supervision]:
    """The running supervision of each deadline's case, by case id: one query for a sweep batch."""
    case_ids = {d.case_id for d in deadlines if d.case_id is not None}
    running: dict[int, Supervision] = {}
    if case_ids:
        qs = Supervision.objects.select_related("case__region", "supervising_region__parent")
        for supervision in qs.filter(case_id__in=case_ids, status__in=RUNNING).order_by("pk"):
            running.setdefault(supervision.case_id, supervision)
    return running


def each_supervised(handler: Callable[..., object], deadlines: list[Deadline], now: datetime) -> None:
    """Run handler(deadline, now, supervision=…) for the deadlines of a sweep batch whose case has a
    running supervision, found in one query (most supervision clocks of a batch have one; none may)."""
    running = supervisions_for_deadlines(deadlines)
    for deadline in deadlines:
        supervision = running.get(deadline.case_id)
        if supervision is not None:
            handler(deadline, now, supervision=supervision)


def _office_leaders(region: Region) -> list[str]:
    return sorted(StaffRole.objects.filter(region=region, role=Role.LEADER).values_list("user__username", flat=True))


@transaction.atomic
def supervision_remind(*, supervision: Supervision, now: datetime) -> Deadline | None:
    """A report is overdue: remind the case office (timeline; its leader gets a task from the flow layer)
    and give it one more interval (the grace clock) before the supervising office hears of it."""
    _lock(supervision)
    if supervision.status not in REPORTING:
        return None
    missed = (
        Deadline.objects.filter(case_id=supervision.case_id, kind=REPORT, state=Deadline.State.OVERDUE)
        .order_by("-id")
        .first()
    )
    if missed is None or _clock(supervision, GRACE) is not None:
        return None
    case = supervision.case
    grace = deadline_start(
        kind=GRACE, region=case.region, start_at=missed.due_at, case=case, length=supervision.report_interval_wd
    )
    timeline.record(
        case,
        "supervision.report_reminded",
        data={
            "supervision": supervision.pk,
            "report_due": missed.due_at,
            "grace_due": grace.due_at,
            "office": case.region.code,
            "leaders": _office_leaders(case.region),
        },
        at=now,
    )
    return grace


@transaction.atomic
def supervision_escalate_missed_report(*, supervision: Supervision, now: datetime) -> bool:
    """Still no report one interval after the reminder: escalated to the supervising office."""
    _lock(supervision)
    if supervision.status not in REPORTING:
        return False
    grace = (
        Deadline.objects.filter(case_id=supervision.case_id, kind=GRACE, state=Deadline.State.OVERDUE)
        .order_by("-id")
        .first()
    )
    office = supervision.supervising_region
    timeline.record(
        supervision.case,
        "supervision.report_escalated",
        data={
            "supervision": supervision.pk,
            "grace_due": grace.due_at if grace is not None else None,
            "office": office.code,
            "leaders": _office_leaders(office),
        },
        at=now,
    )
    return True


SupervisionHook = Callable[[Supervision, datetime], None]
OVERDUE_HOOKS: list[SupervisionHook] = []


def supervisions_overdue(deadlines: list[Deadline], now: datetime) -> None:
    """on_overdue_many("supervision.complete"): supervision_overdue() for each of a sweep batch."""
    each_supervised(supervision_overdue, deadlines, now)


def on_supervision_overdue(fn: SupervisionHook) -> SupervisionHook:
    """Call fn(supervision, now) when a supervision runs out, in the sweep's transaction (after its status
    and timeline event). The accountability app registers its proposal (SPEC §4.5b) here; the flow layer
    its task for the next level's leader. A failing hook rolls the transition back for the next sweep."""
    if fn not in OVERDUE_HOOKS:
        OVERDUE_HOOKS.append(fn)
    return fn


def supervision_overdue(
    deadline: Deadline, now: datetime, *, supervision: Supervision | None = None
) -> Supervision | None:
    """Deadline handler for "supervision.complete": OVERDUE, the next level up notified, the hooks run."""
    supervision = supervision or supervision_for_deadline(deadline)
    if supervision is None or supervision.started_at != deadline.start_at:
        return None
    with transaction.atomic():
        _lock(supervision)
        if supervision.status not in REPORTING:
            return None
        supervision.status = S.OVERDUE
        supervision.save(update_fields=["status"])
        notified = supervision_next_level(supervision)
        timeline.record(
            supervision.case,
            "supervision.overdue",
            data={
                "supervision": supervision.pk,
                "due_at": deadline.due_at,
                "days": supervision.days,
                "supervising_region": supervision.supervising_region.code,
                "notified": notified.code,
                "leaders": _office_leaders(notified),
            },
            at=now,
        )
        for hook in list(OVERDUE_HOOKS):
            hook(supervision, now)
    return supervision


@transaction.atomic
def supervision_alert_handled(*, supervision: Supervision, actor, kind: str, note: str) -> None:
    """A leader deals with a reminder, an escalated missed report or an overdue supervision (督办意见)."""
    note = required_text(note, field="note")
    timeline.record(
        supervision.case,
        "supervision.alert_handled",
        actor=actor,
        role=Role.LEADER,
        data={"supervision": supervision.pk, "alert": kind, "note": note},
    )


# --- selectors -----------------------------------------------------------------------------------------


def supervisions_for(case: Case) -> list[Supervision]:
    """The case's supervisions, newest first, each with `.complete_deadline`, `.report_deadline` (the open
    report interval, if any) and its reports — for the case page (templates/cases/_supervision.html)."""
    rows = list(
        case.supervisions.select_related("supervising_region", "notice")
        .prefetch_related("reports__submitted_by")
        .order_by("-id")
    )
    for supervision in rows:
        supervision.complete_deadline = supervision_complete_deadline(supervision)
        supervision.report_deadline = _clock(supervision, REPORT) if supervision.status in RUNNING else None
    return rows
