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

import json
import math
import time
from collections import Counter, defaultdict

from bench.gen_copy import _CopyWorker
from bench.gen_values import BenchError
from bench.task_flows import _TaskGenerator
from bench.task_rows import CASES_PER_INSPECTOR, HEAVY_USER, ID_TABLES, OPEN_CASE, TASK_TABLES


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

    from bench.gen_copy import _check_foreign_keys, ensure_ready
    from cases.models import Case, Region

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
