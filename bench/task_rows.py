"""bench.generate --tasks: the workflow tables it writes and the rows of processes, tasks and deadlines
(the base of generate_tasks._TaskGenerator)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as dtime

from bench.gen_values import BEIJING, UTC

INVESTIGATION = "workflows/investigation.flow.InvestigationFlow"  # viewflow's stored reference (workflows.0004)
INTAKE = "workflows/intake.flow.IntakeFlow"
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


class _TaskRows:
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
