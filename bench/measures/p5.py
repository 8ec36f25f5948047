"""P5: the deadline sweep as of the moment when 1 % of the open deadlines are due."""

from __future__ import annotations

import os
import time

from bench.common import Counter, log


def sweep_moment() -> tuple:
    """The moment at which 1 % of the open deadlines are due (running and due_at <= it)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_deadline WHERE state IN ('running', 'paused', 'overdue')")
        open_ = cur.fetchone()[0]
        n_due = max(1, round(open_ / 100))
        cur.execute(
            "SELECT due_at FROM cases_deadline WHERE state = 'running' ORDER BY due_at OFFSET %s LIMIT 1", [n_due - 1]
        )
        return cur.fetchone()[0], open_, n_due


SWEEP_TABLES = (
    "cases_timelineevent",
    "cases_timelinehead",
    "cases_deadline",
    "viewflow_task",
    "viewflow_process",
    "cases_notification",
)
# the chains' heads (cases.timeline.anchor) back at their last remaining event, for the subjects given
HEADS_BACK = """
UPDATE cases_timelinehead h SET count = e.seq, last_hash = e.hash
FROM (
    SELECT DISTINCT ON (case_id, complaint_id)
           CASE WHEN case_id IS NOT NULL THEN 'case' ELSE 'complaint' END AS kind,
           COALESCE(case_id, complaint_id) AS sid, seq, hash
    FROM cases_timelineevent
    WHERE case_id = ANY(%s) OR complaint_id = ANY(%s)
    ORDER BY case_id, complaint_id, seq DESC
) e
WHERE h.subject_kind = e.kind AND h.subject_id = e.sid AND h.count <> e.seq
"""


def _sweep_marks() -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        marks = {}
        for table in SWEEP_TABLES:
            cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            marks[table] = cur.fetchone()[0]
    return marks


def _sweep_undo(marks: dict, now) -> dict:
    """Put the bench database back as it was before a committed sweep as of `now` (bench only): the rows
    it added, the deadlines it marked, the chains' heads it moved. The timeline's triggers are disabled for
    that (superuser)."""
    from django.db import connection, transaction

    undone = {}
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute(
            "SELECT array_agg(DISTINCT case_id), array_agg(DISTINCT complaint_id) FROM cases_timelineevent "
            "WHERE id > %s",
            [marks["cases_timelineevent"]],
        )
        cases, complaints = ([i for i in ids or [] if i is not None] for ids in cur.fetchone())
        cur.execute("ALTER TABLE cases_timelineevent DISABLE TRIGGER cases_timelineevent_append_only")
        cur.execute("DELETE FROM cases_timelineevent WHERE id > %s", [marks["cases_timelineevent"]])
        undone["events"] = cur.rowcount
        cur.execute("ALTER TABLE cases_timelineevent ENABLE TRIGGER cases_timelineevent_append_only")
        # the heads only move forward (a trigger): put them back with it disabled, as the events above
        cur.execute("ALTER TABLE cases_timelinehead DISABLE TRIGGER cases_timelinehead_guard")
        cur.execute("DELETE FROM cases_timelinehead WHERE id > %s", [marks["cases_timelinehead"]])
        cur.execute(HEADS_BACK, [cases, complaints])
        undone["heads"] = cur.rowcount
        cur.execute("ALTER TABLE cases_timelinehead ENABLE TRIGGER cases_timelinehead_guard")
        cur.execute("DELETE FROM cases_notification WHERE id > %s", [marks["cases_notification"]])
        cur.execute("DELETE FROM cases_deadline WHERE id > %s", [marks["cases_deadline"]])
        undone["deadlines_started"] = cur.rowcount
        cur.execute(
            "DELETE FROM viewflow_task_previous WHERE from_task_id > %s OR to_task_id > %s",
            [marks["viewflow_task"]] * 2,
        )
        cur.execute("DELETE FROM viewflow_task WHERE id > %s", [marks["viewflow_task"]])
        cur.execute("DELETE FROM workflows_caseprocess WHERE process_ptr_id > %s", [marks["viewflow_process"]])
        cur.execute("DELETE FROM viewflow_process WHERE id > %s", [marks["viewflow_process"]])
        undone["flows_started"] = cur.rowcount
        cur.execute("UPDATE cases_deadline SET state = 'running', overdue_at = NULL WHERE overdue_at = %s", [now])
        undone["overdue"] = cur.rowcount
        cur.execute("UPDATE cases_deadline SET warned_at = NULL WHERE warned_at = %s", [now])
        undone["warned"] = cur.rowcount
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) cases_deadline")
        cur.execute("VACUUM (ANALYZE) cases_timelineevent")
    return undone


def p5(legacy: bool) -> dict:
    """The sweep as it runs: committed (a COMMIT per batch, deferred FK checks included), once in one
    process and once as `sweep_deadlines --jobs N`, over the same 1 % of the open deadlines (what the
    first did is undone before the second: _sweep_undo). Then, rolled back, the same sweep without
    handlers and with the old per-event timeline writes, to show where the time goes."""
    from django.db import connection, transaction

    from cases import deadlines, timeline

    out = {
        "handlers": {
            kind: [f"{fn.__module__}.{fn.__qualname__}" for fn in fns]
            for kind, fns in deadlines._overdue_handlers.items()
            if fns
        },
        "batch_handlers": {
            kind: [f"{fn.__module__}.{fn.__qualname__}" for fn in fns]
            for kind, fns in deadlines._overdue_batch_handlers.items()
            if fns
        },
    }
    for jobs in (1, os.cpu_count() or 2):
        now, open_, n_due = sweep_moment()
        marks = _sweep_marks()
        counter = Counter(connection)
        with counter.installed():
            t = time.perf_counter()
            result = deadlines.deadlines_sweep(now=now, jobs=jobs)
            seconds = time.perf_counter() - t
        name = f"committed, --jobs {jobs}"
        out[name] = {
            "seconds": round(seconds, 3),
            "open_deadlines": open_,
            "due": n_due,
            "now": now.isoformat(),
            "overdue": result.overdue,
            "warned": result.warned,
            "statements": counter.n if jobs == 1 else None,  # the children's are not counted
            "undone": _sweep_undo(marks, now),
        }
        log(f"  P5 {name}: {out[name]}")

    def per_event(entries):  # the sweep before record_many: timeline.record() per event
        return [
            timeline.record(
                e.subject, e.kind, actor=e.actor, role=e.role, region_code=e.region_code, data=e.data, at=e.at
            )
            for e in entries
        ]

    # (name, record_many replacement, handlers on, batch size), each rolled back
    variants = [("rolled back, no handlers", None, False, deadlines.BATCH_SIZE)]
    if legacy:
        variants.append(("rolled back, record per event (before), no handlers", per_event, False, deadlines.BATCH_SIZE))
    now, open_, n_due = sweep_moment()
    for name, replacement, handlers, batch_size in variants:
        original = timeline.record_many
        registries = (deadlines._overdue_handlers, deadlines._warning_handlers, deadlines._overdue_batch_handlers)
        saved = [{k: list(v) for k, v in registry.items()} for registry in registries]
        if replacement is not None:
            timeline.record_many = replacement
        if not handlers:
            for registry in registries:
                registry.clear()
        counter = Counter(connection)
        try:
            with transaction.atomic(), counter.installed():
                t = time.perf_counter()
                result = deadlines.deadlines_sweep(now=now, batch_size=batch_size)
                with connection.cursor() as cur:
                    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the FK checks a COMMIT would run
                seconds = time.perf_counter() - t
                transaction.set_rollback(True)  # leave the bench database as it was
        finally:
            timeline.record_many = original
            for registry, content in zip(registries, saved, strict=True):
                registry.update(content)
        out[name] = {
            "seconds": round(seconds, 3),
            "open_deadlines": open_,
            "due": n_due,
            "overdue": result.overdue,
            "warned": result.warned,
            "statements": counter.n,
        }
        log(f"  P5 {name}: {out[name]}")
    return out


def run(ctx) -> dict:
    return p5(ctx.args.legacy_sweep)
