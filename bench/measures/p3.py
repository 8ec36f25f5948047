"""P3: inbox, queue and case list, first page and a deep page, for every kind of user; the proposed
indexes; EXPLAIN of each first page."""

from __future__ import annotations

import re
import time

from bench.common import log, sql_log, summary_ms

# Indexes this work proposes (no migration here: cases migrations belong to another engineer right
# now, and viewflow_task is viewflow's table, so they would go in a workflows RunSQL migration).
PROPOSED_INDEXES = {
    # inbox: WHERE owner_id = ? AND status = 'ASSIGNED' ORDER BY id (viewflow only indexes owner_id
    # alone: a user who owns many finished tasks made PostgreSQL walk the primary key instead)
    "bench_task_inbox": "CREATE INDEX IF NOT EXISTS bench_task_inbox ON viewflow_task (owner_id, id) "
    "WHERE status = 'ASSIGNED'",
    # queue: WHERE status = 'NEW' AND owner_permission = ? ... ORDER BY id
    "bench_task_queue": "CREATE INDEX IF NOT EXISTS bench_task_queue ON viewflow_task (owner_permission, id) "
    "WHERE status = 'NEW'",
}


def indexes(create: bool) -> dict:
    """Create (or drop) the proposed indexes on the bench database; seconds per index."""
    from django.db import connection

    out = {}
    with connection.cursor() as cur:
        for name, sql in PROPOSED_INDEXES.items():
            t = time.perf_counter()
            cur.execute(sql if create else f"DROP INDEX IF EXISTS {name}")
            out[name] = round(time.perf_counter() - t, 2)
        cur.execute("ANALYZE viewflow_task")
    return out


def _case_row(case) -> dict:
    return {
        "case_no": case.case_no,
        "region": case.region.name,
        "employer": case.employer.name,
        "status": case.status,
        "filed_at": case.filed_at,
        "amount_owed": case.amount_owed,
    }


def list_readers():
    from cases import selectors as cs
    from workflows import selectors as ws
    from workflows.api import TaskRowSerializer

    def tasks(make):
        def read(user, cursor):
            rows, nxt = ws.keyset_page(make(user), after=cursor)
            return TaskRowSerializer(rows, many=True).data, nxt

        return read

    def cases(user, cursor):
        rows, nxt = cs.keyset_page(cs.case_list_for_user(user), before=cursor)
        return [_case_row(c) for c in rows], nxt

    return {"inbox": tasks(ws.tasks_inbox), "queue": tasks(ws.tasks_queue), "cases": cases}


def p3(users: dict, runs: int, deep: int = 40) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied
    from django.db import connection

    User = get_user_model()
    out = {}
    for name, read in list_readers().items():
        for label, (user_id, _) in users.items():
            key = f"{name} / {label}"
            try:
                cursors, cursor, rows = [None], None, 0
                for _ in range(deep - 1):  # walk to the deep page once (not timed)
                    page, cursor = read(User.objects.get(pk=user_id), cursor)
                    rows += len(page)
                    if cursor is None:
                        break
                    cursors.append(cursor)
            except PermissionDenied:
                out[key] = {"skipped": "403: the user reads no such list"}
                continue
            entry = {"pages_walked": len(cursors), "rows_before_deep_page": rows}
            for which, cur in (("first", None), ("deep", cursors[-1])):
                lat, stmts, sizes = [], [], []
                for _ in range(runs):
                    with sql_log(connection) as sql:
                        t = time.perf_counter()
                        page, _ = read(User.objects.get(pk=user_id), cur)  # a request's fresh user
                        lat.append(time.perf_counter() - t)
                    stmts.append(len(sql))
                    sizes.append(len(page))
                entry[which] = {
                    **summary_ms(lat, brief=True),
                    "statements": max(stmts),
                    "rows": sizes[0],
                    "page_no": 1 if which == "first" else len(cursors),
                }
            out[key] = entry
            log(
                f"  P3 {key}: first {entry['first']['median_ms']}/{entry['first']['p95_ms']} ms "
                f"({entry['first']['statements']} stmts), page {entry['deep']['page_no']} "
                f"{entry['deep']['median_ms']}/{entry['deep']['p95_ms']} ms ({entry['deep']['statements']} stmts)"
            )
    return out


def explain(users: dict) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of each list's first-page query for each user (in the JSON): for the
    task lists the ids query (the detail query is by primary key)."""
    from django.contrib.auth import get_user_model

    from cases import selectors as cs
    from workflows import selectors as ws

    User = get_user_model()
    out = {}
    makers = {"inbox": ws.tasks_inbox, "queue": ws.tasks_queue, "cases": cs.case_list_for_user}
    for name, make in makers.items():
        for label, (user_id, _) in users.items():
            try:
                qs = make(User.objects.get(pk=user_id))
                # the page's first statement: workflows.selectors.keyset_page reads the ids first
                qs = (qs.values_list("pk", flat=True) if name != "cases" else qs)[:26]
                plan = qs.explain(analyze=True, buffers=True)
            except Exception as exc:  # noqa: BLE001 - a 403 user
                plan = f"{type(exc).__name__}"
            m = re.search(r"Execution Time: ([\d.]+) ms", plan)
            out[f"{name} / {label}"] = {"execution_ms": float(m.group(1)) if m else None, "plan": plan}
    return out


def run(ctx) -> dict:
    """As shipped and/or with the proposed indexes (--proposed-indexes): result keys "P3 <mode>",
    "P3_explain <mode>", "index_build_s" and the machine's load per mode ("busy")."""
    from bench.common import Phase, wait_quiet

    a = ctx.args
    out: dict = {"busy": {}}
    for mode in {"both": ("shipped", "indexes"), "off": ("shipped",), "on": ("indexes",)}[a.proposed_indexes]:
        out["index_build_s"] = indexes(create=mode == "indexes")
        log(f"P3: lists ({'with the proposed indexes' if mode == 'indexes' else 'as shipped'})")
        before = wait_quiet(*a.quiet, f"P3 {mode}")
        with Phase() as phase:
            out[f"P3 {mode}"] = p3(ctx.users, a.runs)
        out["busy"][f"P3 {mode}"] = {"before": before, "during": phase.busy}
        if a.explain:
            out[f"P3_explain {mode}"] = explain(ctx.users)
    return out
