"""Workflow data for the cases already in the bench database: `python -m bench.generate --tasks`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiqian_bench \\
        .venv/bin/python -m bench.generate --tasks [--open-deadlines 1000000] [--reset-tasks]

For every case (and every complaint never filed) that has no process yet, written with COPY in
one transaction, like bench.generate:

- staff (cases.services.staff_create, before the load; idempotent): per Jiangxi office one leader,
  one legal officer, clerks and inspectors in proportion to the office's open work (an inspector
  carries ~150 open cases, two per case), usernames "bench.<role><n>.<code>"; and one provincial
  inspector "bench.heavy.360000" with 7,000 per-case `assist_case` grants (the vanilla baseline's
  "user with ~7k guardian grants");
- viewflow_process + workflows_caseprocess (multi-table child): one InvestigationFlow per case
  (region = the case's office), one IntakeFlow per complaint never filed;
- viewflow_task, ~5 per case, flow_task strings as viewflow stores them
  ("workflows/flows.InvestigationFlow.investigate"), owner_permission "zhiqian.<right>" on human
  steps as workflows/nodes.HumanStep sets it: DONE history (start, assign_inspectors, investigate,
  decide, end) for closed and withdrawn cases; for an open case the history so far plus ONE open
  human task: filed → assign_inspectors NEW (leader's queue), investigating/suspended →
  investigate, deciding → decide, enforcing → serve, wait_order and verify; 85 % of open
  inspector tasks ASSIGNED to the case's first inspector, the rest NEW (the inspectors' queue).
  IntakeFlow: received → acceptance NEW (30 % ASSIGNED to a clerk), supplement requested →
  supplement NEW, refused / transferred → DONE history. viewflow_task_previous is not written
  (no list or action the benchmark measures reads it);
- cases_caseinspector: the two inspectors of every open case past filing (active);
- cases_deadline: the case's `investigation.complete` (closed cases: met / closed late; open:
  running, paused when suspended, overdue when its due time is past), `investigation.decide` for
  deciding cases, `intake.acceptance` for complaints; then "padding" running deadlines
  (start_event "bench.padding", kinds of the rule table, on random cases) until
  --open-deadlines deadlines are open: the issue's scale for the sweep (P5) is 1M open deadlines,
  about 12 x the ~86k a real 1M-case history has. Of the running ones, --due-share (1 %) are due
  within the last day and not yet swept; every other running deadline is due in the future, and
  those whose warning time has passed were warned already (warned_at set), as the minute sweep
  would have done;
- guardian per-case exceptions: `assist_case` for an inspector of a neighbouring office on 1 % of
  open cases, `supervise_case` for the city office's group (CaseGroupObjectPermission) on 2 %,
  and the heavy user's 7,000.

Refused when viewflow_task already has rows, unless --reset-tasks (TRUNCATE of the tables above).
"""

from __future__ import annotations

import bisect
import json
import math
import random
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from datetime import time as dtime

from .generate import BEIJING, UTC, BenchError, _CopyWorker

INVESTIGATION = "workflows/flows.InvestigationFlow"
INTAKE = "workflows/flows.IntakeFlow"
OPEN_CASE = ("filed", "investigating", "suspended", "deciding", "enforcing")
CASES_PER_INSPECTOR = 150
HEAVY_USER = "bench.heavy.360000"
HEAVY_GRANTS = 7000
PADDING_EVENT = "bench.padding"
PADDING_KINDS = (
    ("investigation.complete", 50),
    ("investigation.decide", 20),
    ("supervision.report", 15),
    ("listing.defence", 15),
)

TASK_TABLES = {
    "viewflow_process": ("id", "flow_class", "status", "created", "finished", "data"),
    "workflows_caseprocess": ("process_ptr_id", "decision", "case_id", "complaint_id", "region_id"),
    "viewflow_task": (
        "id",
        "flow_task",
        "flow_task_type",
        "status",
        "created",
        "started",
        "finished",
        "token",
        "owner_permission",
        "owner_id",
        "process_id",
        "assigned",
        "data",
        "scheduled",
        # what workflows.nodes.HumanStep stores on a human task: its office and its case
        "owner_permission_content_type_id",
        "owner_permission_obj_pk",
        "artifact_content_type_id",
        "artifact_object_id",
    ),
    "cases_caseinspector": (
        "id",
        "assigned_at",
        "conflict_declared",
        "active",
        "assigned_by_id",
        "case_id",
        "inspector_id",
    ),
    "cases_deadline": (
        "id",
        "kind",
        "title",
        "legal_basis",
        "start_event",
        "start_at",
        "length",
        "unit",
        "extended_by",
        "due_at",
        "warn_at",
        "state",
        "paused_at",
        "warned_at",
        "overdue_at",
        "closed_at",
        "task_id",
        "case_id",
        "complaint_id",
        "region_id",
    ),
    "cases_caseuserobjectpermission": ("id", "content_object_id", "permission_id", "user_id"),
    "cases_casegroupobjectpermission": ("id", "content_object_id", "group_id", "permission_id"),
}
# Tables whose id is assigned here (workflows_caseprocess shares viewflow_process's).
ID_TABLES = tuple(t for t in TASK_TABLES if t != "workflows_caseprocess")


def _end_of_local_day(d: date) -> datetime:
    return datetime.combine(d, dtime(23, 59, 59), tzinfo=BEIJING).astimezone(UTC)


def _start_of_local_day(d: date) -> datetime:
    return datetime.combine(d, dtime(0, 0), tzinfo=BEIJING).astimezone(UTC)


class _Staff:
    """Bench staff per office (created with staff_create; idempotent)."""

    def __init__(self, progress):
        from cases.models import Region, StaffRole
        from cases.services import staff_create

        self.progress = progress
        self.regions = {r.pk: r for r in Region.objects.filter(code__startswith="36")}
        self.staff_create = staff_create
        self.StaffRole = StaffRole

    def ensure(self, open_by_region: Counter, received_by_region: Counter) -> dict:
        t0 = time.monotonic()
        have = defaultdict(list)
        for username, role, region_id, user_id in self.StaffRole.objects.filter(
            user__username__startswith="bench.", region_id__in=list(self.regions)
        ).values_list("user__username", "role", "region_id", "user_id"):
            have[(role, region_id)].append((username, user_id))
        created = 0
        out = {"leader": {}, "legal": {}, "clerk": {}, "inspector": {}}
        for region_id, region in self.regions.items():
            open_cases = open_by_region.get(region_id, 0)
            want = {
                "leader": 1,
                "legal": 1,
                "clerk": max(2, math.ceil((open_cases / 10 + received_by_region.get(region_id, 0)) / 100)),
                "inspector": max(4, math.ceil(2 * open_cases / CASES_PER_INSPECTOR)),
            }
            for role, n in want.items():
                users = sorted(have.get((role, region_id), []))
                names = {u for u, _ in users}
                for k in range(1, n + 1):
                    username = f"bench.{role}{k}.{region.code}"
                    if username not in names:
                        user = self.staff_create(
                            username=username, region=region, role=role, full_name=f"{region.name}{role}{k}"
                        )
                        users.append((username, user.pk))
                        created += 1
                out[role][region_id] = [pk for _, pk in sorted(users)][: max(n, 1)]
        from cases.models import Region

        province = Region.objects.get(code="360000")
        heavy = self.StaffRole.objects.filter(user__username=HEAVY_USER).values_list("user_id", flat=True).first()
        if heavy is None:
            heavy = self.staff_create(
                username=HEAVY_USER, region=province, role="inspector", full_name="省级协查监察员"
            ).pk
            created += 1
        out["heavy"] = heavy
        self.progress(
            f"staff: {created} accounts created ({time.monotonic() - t0:.1f} s); "
            f"{sum(len(v) for v in out['inspector'].values())} inspectors, "
            f"{sum(len(v) for v in out['clerk'].values())} clerks"
        )
        return out


class _TaskGenerator:
    def __init__(
        self,
        *,
        seed: int,
        now: datetime,
        staff: dict,
        rules: dict,
        perms: dict,
        groups: dict,
        bases: dict,
        due_share: float,
        regions: dict,
        content_types: tuple[int, int],
    ):
        from cases.workdays import Calendar

        self.calendar = Calendar()  # the project's working days (holidays, make-up days, overrides)
        self.rng = random.Random(seed)
        self.ct_region, self.ct_case = content_types  # django_content_type ids of cases.Region, cases.Case
        self.placed: dict[int, tuple[int, int | None]] = {}  # process id -> (region id, case id)
        self.now = now
        self.staff = staff
        self.rules = rules  # kind -> (title, legal_basis, start_event, length, unit, warn_before)
        self.perms = perms  # codename -> permission id
        self.groups = groups  # region id -> office group id
        self.next_id = dict(bases)
        self.due_share = due_share
        self.regions = regions
        self.rows: dict[str, list[tuple]] = {t: [] for t in TASK_TABLES}
        self.counts = Counter()
        self.open_deadlines = 0
        self.open_case_ids: list[int] = []
        self.case_regions: dict[int, int] = {}

    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def take_rows(self):
        rows, self.rows = self.rows, {t: [] for t in TASK_TABLES}
        for t, r in rows.items():
            self.counts[t] += len(r)
        return rows

    # --- pieces ----------------------------------------------------------------------------

    def _process(
        self,
        flow: str,
        status: str,
        created,
        finished,
        *,
        case_id=None,
        complaint_id=None,
        region_id: int,
        decision: str = "",
    ) -> int:
        pk = self._id("viewflow_process")
        self.rows["viewflow_process"].append((pk, flow, status, created, finished, "{}"))
        self.rows["workflows_caseprocess"].append((pk, decision, case_id, complaint_id, region_id))
        self.placed[pk] = (region_id, case_id)
        return pk

    def _task(
        self,
        process_id: int,
        flow: str,
        node: str,
        kind: str,
        status: str,
        created,
        *,
        finished=None,
        perm=None,
        owner=None,
        assigned=None,
        scheduled=None,
    ) -> int:
        pk = self._id("viewflow_task")
        started = assigned if kind == "HUMAN" else (created if status == "DONE" and kind != "SWITCH" else None)
        placed = (None, None, None, None)
        if kind == "HUMAN":
            region_id, case_id = self.placed[process_id]
            placed = (self.ct_region, str(region_id), self.ct_case if case_id else None, case_id)
        self.rows["viewflow_task"].append(
            (
                pk,
                f"{flow}.{node}",
                kind,
                status,
                created,
                started,
                finished,
                "start",
                perm,
                owner,
                process_id,
                assigned,
                "{}",
                scheduled,
                *placed,
            )
        )
        return pk

    def _human_done(self, process_id, flow, node, perm, owner, created, finished):
        assigned = created + (finished - created) * 0.1
        return self._task(
            process_id,
            flow,
            node,
            "HUMAN",
            "DONE",
            created,
            finished=finished,
            perm=perm,
            owner=owner,
            assigned=assigned,
        )

    def _human_open(self, process_id, flow, node, perm, owner, created, *, assigned_share: float):
        if owner is not None and self.rng.random() < assigned_share:
            at = min(created + timedelta(hours=self.rng.uniform(0.5, 48)), self.now - timedelta(minutes=5))
            return self._task(process_id, flow, node, "HUMAN", "ASSIGNED", created, perm=perm, owner=owner, assigned=at)
        return self._task(process_id, flow, node, "HUMAN", "NEW", created, perm=perm)

    def _deadline(
        self,
        kind,
        *,
        start_at,
        state,
        case_id=None,
        complaint_id=None,
        region_id,
        task_id=None,
        closed_at=None,
        padding=False,
        due_at=None,
    ):
        title, basis, start_event, length, unit, warn_before = self.rules[kind]
        if due_at is None:
            local = start_at.astimezone(BEIJING).date()
            if unit == "working_days":
                due_at = _end_of_local_day(self.calendar.add_working_days(local, length))
            elif unit == "days":
                due_at = _end_of_local_day(local + timedelta(days=length))
            else:
                due_at = start_at + timedelta(hours=length)
        warn_at = None
        if warn_before:
            if unit == "working_days":
                # 00:00 of the working day warn_before-1 working days before the due day (cases.deadlines.times)
                local_due = due_at.astimezone(BEIJING).date()
                warn_at = _start_of_local_day(self.calendar.add_working_days(local_due, -(warn_before - 1)))
            elif unit == "days":
                warn_at = due_at - timedelta(days=warn_before)
            else:
                warn_at = due_at - timedelta(hours=warn_before)
        paused_at = warned_at = overdue_at = None
        now = self.now
        if state == "running":
            if self.rng.random() < self.due_share:  # due within the last day, not swept yet
                due_at = now - timedelta(seconds=self.rng.uniform(60, 86400))
                warn_at = due_at - timedelta(days=2)
            elif due_at <= now:  # past due long ago: the sweep made it overdue then
                state, overdue_at = "overdue", due_at + timedelta(seconds=30)
            if warn_at is not None and warn_at <= now - timedelta(minutes=2):
                warned_at = warn_at + timedelta(seconds=30)
        elif state == "paused":
            paused_at = min(start_at + timedelta(days=self.rng.uniform(3, 30)), now - timedelta(hours=1))
        elif state in ("met", "closed_late", "cancelled"):
            closed_at = closed_at or min(due_at, now)
            if state == "closed_late" and closed_at <= due_at:
                closed_at = min(due_at + timedelta(days=self.rng.uniform(1, 20)), now)
            if state == "met" and closed_at > due_at:
                state = "closed_late"
        if state in ("running", "paused", "overdue"):
            self.open_deadlines += 1
        if padding:
            start_event = PADDING_EVENT
        pk = self._id("cases_deadline")
        self.rows["cases_deadline"].append(
            (
                pk,
                kind,
                title,
                basis,
                start_event,
                start_at,
                length,
                unit,
                0,
                due_at,
                warn_at,
                state,
                paused_at,
                warned_at,
                overdue_at,
                closed_at,
                task_id,
                case_id,
                complaint_id,
                region_id,
            )
        )
        return pk

    # --- one case ---------------------------------------------------------------------------

    def case(self, case_id, status, region_id, filed_at, closed_at):
        rng, now, F = self.rng, self.now, INVESTIGATION
        self.case_regions[case_id] = region_id
        leader = self.staff["leader"][region_id][0]
        inspectors = self.staff["inspector"][region_id]
        pair = rng.sample(inspectors, 2) if len(inspectors) >= 2 else inspectors * 2
        end = closed_at or now
        span = max((end - filed_at).total_seconds(), 3600.0)

        def at(share: float) -> datetime:
            return filed_at + timedelta(seconds=span * share)

        done = status in ("closed", "withdrawn")
        pid = self._process(
            F,
            "DONE" if done else "NEW",
            filed_at,
            closed_at if done else None,
            case_id=case_id,
            region_id=region_id,
            decision="",
        )
        self._task(pid, F, "start", "START", "DONE", filed_at, finished=filed_at)
        t_assign = at(0.05)
        if status == "filed":
            task = self._human_open(
                pid, F, "assign_inspectors", "zhiqian.approve", leader, filed_at, assigned_share=0.3
            )
            self._deadline(
                "investigation.complete",
                start_at=filed_at,
                state="running",
                case_id=case_id,
                region_id=region_id,
                task_id=task,
            )
            self.open_case_ids.append(case_id)
            return
        self._human_done(pid, F, "assign_inspectors", "zhiqian.approve", leader, filed_at, t_assign)
        if not done:
            self.open_case_ids.append(case_id)
            for inspector in pair:
                self.rows["cases_caseinspector"].append(
                    (self._id("cases_caseinspector"), t_assign, True, True, leader, case_id, inspector)
                )
        inv = "zhiqian.investigate"
        if status in ("investigating", "suspended"):
            task = self._human_open(
                pid, F, "investigate", inv, pair[0], t_assign, assigned_share=1.0 if status == "suspended" else 0.85
            )
            self._deadline(
                "investigation.complete",
                start_at=filed_at,
                state="paused" if status == "suspended" else "running",
                case_id=case_id,
                region_id=region_id,
                task_id=task,
            )
            return
        t_inv = at(0.5)
        self._human_done(pid, F, "investigate", inv, pair[0], t_assign, t_inv)
        late = rng.random() < 0.08
        self._deadline(
            "investigation.complete",
            start_at=filed_at,
            state="closed_late" if late else "met",
            case_id=case_id,
            region_id=region_id,
            closed_at=t_inv,
        )
        if status == "deciding":
            task = self._human_open(pid, F, "decide", inv, pair[0], t_inv, assigned_share=0.85)
            self._deadline(
                "investigation.decide",
                start_at=t_inv,
                state="running",
                case_id=case_id,
                region_id=region_id,
                task_id=task,
            )
            return
        t_dec = at(0.7)
        self._human_done(pid, F, "decide", inv, pair[0], t_inv, t_dec)
        self._deadline(
            "investigation.decide", start_at=t_inv, state="met", case_id=case_id, region_id=region_id, closed_at=t_dec
        )
        if status == "enforcing":
            self._task(pid, F, "route_decision", "SWITCH", "DONE", t_dec, finished=t_dec)
            t_served = at(0.8)
            self._human_done(pid, F, "serve", inv, pair[1], t_dec, t_served)
            self._task(pid, F, "wait_order", "TIMER", "DONE", t_served, finished=at(0.9), scheduled=at(0.9))
            self._human_open(pid, F, "verify", inv, pair[1], at(0.9), assigned_share=0.85)
            return
        self._task(pid, F, "withdrawn" if status == "withdrawn" else "closed", "END", "DONE", end, finished=end)

    def complaint(self, complaint_id, status, region_id, received_at, decided_at):
        rng, now, F = self.rng, self.now, INTAKE
        clerks = self.staff["clerk"][region_id]
        clerk = rng.choice(clerks)
        open_ = status in ("received", "supplement_requested")
        pid = self._process(
            F,
            "NEW" if open_ else "DONE",
            received_at,
            None if open_ else decided_at,
            complaint_id=complaint_id,
            region_id=region_id,
            decision={"refused": "refuse", "transferred": "transfer"}.get(status, ""),
        )
        self._task(pid, F, "start", "START", "DONE", received_at, finished=received_at)
        perm = "zhiqian.intake"
        if status == "received":
            task = self._human_open(pid, F, "acceptance", perm, clerk, received_at, assigned_share=0.3)
            self._deadline(
                "intake.acceptance",
                start_at=received_at,
                state="running",
                complaint_id=complaint_id,
                region_id=region_id,
                task_id=task,
            )
            return
        decided = decided_at or min(received_at + timedelta(days=2), now - timedelta(hours=1))
        self._human_done(pid, F, "acceptance", perm, clerk, received_at, decided)
        self._task(pid, F, "route", "SWITCH", "DONE", decided, finished=decided)
        if status == "supplement_requested":
            task = self._human_open(pid, F, "supplement", perm, clerk, decided, assigned_share=0.0)
            self._deadline(
                "intake.acceptance",
                start_at=received_at,
                state="paused",
                complaint_id=complaint_id,
                region_id=region_id,
                task_id=task,
            )
            return
        self._task(pid, F, "refused", "END", "DONE", decided, finished=decided)
        self._deadline(
            "intake.acceptance",
            start_at=received_at,
            state="met" if status == "refused" else "cancelled",
            complaint_id=complaint_id,
            region_id=region_id,
            closed_at=decided,
        )

    # --- exceptions and padding ---------------------------------------------------------------

    def exceptions(self, neighbours: dict[int, list[int]]):
        rng = self.rng
        assist, supervise = self.perms["assist_case"], self.perms["supervise_case"]
        seen = set()
        for case_id in self.open_case_ids:
            region_id = self.case_regions[case_id]
            u = rng.random()
            if u < 0.01:
                other = rng.choice(neighbours.get(region_id) or [region_id])
                inspector = rng.choice(self.staff["inspector"][other])
                if (inspector, case_id) not in seen:
                    seen.add((inspector, case_id))
                    self.rows["cases_caseuserobjectpermission"].append(
                        (self._id("cases_caseuserobjectpermission"), case_id, assist, inspector)
                    )
            elif u < 0.03:
                region = self.regions[region_id]
                city = region.parent_id if region.level == "county" else None
                if city in self.groups:
                    self.rows["cases_casegroupobjectpermission"].append(
                        (self._id("cases_casegroupobjectpermission"), case_id, self.groups[city], supervise)
                    )

    def heavy(self, all_case_ids: list[int]):
        for case_id in sorted(self.rng.sample(all_case_ids, min(HEAVY_GRANTS, len(all_case_ids)))):
            self.rows["cases_caseuserobjectpermission"].append(
                (self._id("cases_caseuserobjectpermission"), case_id, self.perms["assist_case"], self.staff["heavy"])
            )

    def padding(self, count: int, all_case_ids: list[int], chunk: int, put):
        rng, now = self.rng, self.now
        kinds = [k for k, _ in PADDING_KINDS]
        cum, acc = [], 0
        for _, w in PADDING_KINDS:
            acc += w
            cum.append(acc)
        for i in range(count):
            case_id = rng.choice(all_case_ids)
            kind = kinds[bisect.bisect(cum, rng.random() * acc)]
            start_at = now - timedelta(days=rng.uniform(0, 20))
            due_at = now + timedelta(seconds=rng.uniform(3600, 90 * 86400))
            self._deadline(
                kind,
                start_at=start_at,
                state="running",
                case_id=case_id,
                region_id=self.case_regions[case_id],
                padding=True,
                due_at=due_at,
            )
            if (i + 1) % chunk == 0:
                put(self.take_rows())


def _rules() -> dict:
    from django.conf import settings
    from django.utils import translation

    from cases.deadlines import RULES

    with translation.override(settings.LANGUAGE_CODE):
        return {
            k: (str(r.title), r.legal_basis, r.start_event, r.length, r.unit, r.warn_before) for k, r in RULES.items()
        }


def generate_tasks(
    *,
    seed: int = 1,
    progress=print,
    reset: bool = False,
    open_deadlines: int = 1_000_000,
    due_share: float = 0.01,
    chunk: int = 20_000,
) -> dict:
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone as dj_timezone

    from cases.models import Case, Region

    from .generate import _check_foreign_keys, ensure_ready

    ensure_ready(progress)
    started = time.monotonic()
    now = dj_timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM viewflow_task)")
        if cursor.fetchone()[0]:
            if not reset:
                raise BenchError("viewflow_task already has rows: the workflow data is loaded (--reset-tasks to redo)")
        cursor.execute("SELECT count(*) FROM cases_case")
        if not cursor.fetchone()[0]:
            raise BenchError("no cases: run bench.generate --cases N first")
    if reset:
        with transaction.atomic(), connection.cursor() as cursor:
            progress("--reset-tasks: TRUNCATE the workflow tables")
            cursor.execute(
                "TRUNCATE viewflow_task_previous, workflows_caseprocess, viewflow_task, viewflow_process, "
                "cases_caseinspector, cases_deadlinepause, cases_deadlineextension, cases_deadline, "
                "cases_caseuserobjectpermission, cases_casegroupobjectpermission CASCADE"
            )

    progress("reading cases and complaints ...")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, status, region_id, filed_at, closed_at FROM cases_case ORDER BY id")
        cases = cursor.fetchall()
        cursor.execute(
            "SELECT id, status, region_id, received_at, decided_at FROM cases_complaint "
            "WHERE case_id IS NULL ORDER BY id"
        )
        complaints = cursor.fetchall()
    open_by_region = Counter(r[2] for r in cases if r[1] in OPEN_CASE)
    received_by_region = Counter(r[2] for r in complaints if r[1] == "received")
    staff = _Staff(progress).ensure(open_by_region, received_by_region)
    regions = {r.pk: r for r in Region.objects.filter(code__startswith="36")}
    groups = {}
    for region in regions.values():
        if region.level == "city":
            groups[region.pk] = Group.objects.get_or_create(name=f"office:{region.code}")[0].pk
    neighbours = defaultdict(list)  # county -> the other counties of its city
    for r in regions.values():
        if r.level == "county":
            neighbours[r.parent_id].append(r.pk)
    neighbours = {
        r.pk: [x for x in neighbours[r.parent_id] if x != r.pk] for r in regions.values() if r.level == "county"
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.codename, p.id FROM auth_permission p JOIN django_content_type c ON c.id = p.content_type_id "
            "WHERE c.app_label = 'cases' AND c.model = 'case'"
        )
        perms = dict(cursor.fetchall())

    totals = {}
    with transaction.atomic():
        with connection.cursor() as cursor:
            pg = cursor.cursor
            plan = {}
            for table, columns in TASK_TABLES.items():
                plan[table] = (columns, None)
            cursor.execute(f"LOCK TABLE {', '.join(TASK_TABLES)} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute("SELECT current_setting('is_superuser')")
            superuser = cursor.fetchone()[0] == "on"
            if superuser:
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL synchronous_commit = off")
            bases = {}
            for table in ID_TABLES:
                key = "id"
                cursor.execute(f"SELECT COALESCE(max({key}), 0) + 1 FROM {table}")
                bases[table] = cursor.fetchone()[0]
            bases["workflows_caseprocess"] = bases["viewflow_process"]
            gen = _TaskGenerator(
                seed=seed,
                now=now,
                staff=staff,
                rules=_rules(),
                perms=perms,
                groups=groups,
                bases=bases,
                due_share=due_share,
                regions=regions,
                content_types=(
                    ContentType.objects.get_for_model(Region).pk,
                    ContentType.objects.get_for_model(Case).pk,
                ),
            )
            worker = _CopyWorker(pg.connection, plan)
            worker.start()
            last = 0.0
            try:
                for i, row in enumerate(cases, 1):
                    gen.case(*row)
                    if i % chunk == 0:
                        worker.put(gen.take_rows())
                        elapsed = time.monotonic() - started
                        if elapsed - last >= 5:
                            last = elapsed
                            progress(
                                f"  cases {i:>9,}/{len(cases):,}  tasks {gen.counts['viewflow_task']:>10,}  "
                                f"{elapsed:6.1f} s"
                            )
                for row in complaints:
                    gen.complaint(*row)
                gen.exceptions(neighbours)
                gen.heavy([r[0] for r in cases])
                worker.put(gen.take_rows())
                padding = max(0, open_deadlines - gen.open_deadlines)
                progress(f"  {gen.open_deadlines:,} open deadlines from the cases' history; {padding:,} padding")
                gen.padding(padding, [r[0] for r in cases], chunk * 5, worker.put)
                worker.put(gen.take_rows())
            finally:
                worker.finish()
            totals = dict(gen.counts)
            progress("identity sequences, foreign-key check ...")
            for table in ID_TABLES:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST((SELECT max(id) FROM {table}), 1))",
                    [table],
                )
            if superuser:
                problems = _check_foreign_keys(
                    cursor, bases, tables=list(TASK_TABLES), key={"workflows_caseprocess": "process_ptr_id"}
                )
                if problems:
                    raise BenchError("foreign keys broken, nothing committed: " + "; ".join(problems))
    load_seconds = time.monotonic() - started
    progress(f"committed in {load_seconds:.1f} s; VACUUM (ANALYZE) ...")
    with connection.cursor() as cursor:
        for table in TASK_TABLES:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    total_seconds = time.monotonic() - started
    progress(f"done in {total_seconds:.1f} s (load {load_seconds:.1f} s)")
    for table, n in totals.items():
        progress(f"  {table:<32} {n:>11,}")
    return {
        "rows": totals,
        "load_seconds": round(load_seconds, 1),
        "total_seconds": round(total_seconds, 1),
        "now": now.isoformat(),
        "open_deadlines_history": gen.open_deadlines - padding,
        "padding": padding,
    }


def describe() -> dict:
    """What the workflow data looks like now (for the run's report)."""
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for table in (
            "viewflow_process",
            "viewflow_task",
            "cases_deadline",
            "cases_caseinspector",
            "cases_caseuserobjectpermission",
            "cases_casegroupobjectpermission",
            "cases_timelineevent",
            "cases_case",
        ):
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
            row = cursor.fetchone()
            out[table] = row[0] if row else None
        cursor.execute(
            "SELECT state, count(*) FROM cases_deadline WHERE state IN ('running','paused','overdue') GROUP BY state"
        )
        out["open_deadlines"] = dict(cursor.fetchall())
        cursor.execute("SELECT status, count(*) FROM viewflow_task WHERE status IN ('NEW','ASSIGNED') GROUP BY status")
        out["open_tasks"] = dict(cursor.fetchall())
    return json.loads(json.dumps(out))
