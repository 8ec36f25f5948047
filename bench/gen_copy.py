"""bench.generate's database side: readiness, the COPY plan, reset, bulk foreign-key checks, the COPY thread."""

from __future__ import annotations

import operator
import queue
import threading

from bench.gen_values import BenchError

# COPY column lists, per table, in load order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "cases_party": ("id", "name", "id_number", "phone", "created_at", "id_number_index", "phone_index"),
    "cases_employer": (
        "id",
        "name",
        "name_key",
        "uscc",
        "uscc_override_reason",
        "address",
        "legal_representative",
        "created_at",
        "region_id",
    ),
    "cases_project": ("id", "name", "address", "general_contractor", "government_invested", "created_at", "region_id"),
    "cases_case": (
        "id",
        "case_no",
        "origin",
        "status",
        "filed_at",
        "closed_at",
        "workers_count",
        "amount_owed",
        "amount_paid",
        "group_incident",
        "media_reported",
        "leader_instructed",
        "government_invested",
        "employer_id",
        "project_id",
        "region_id",
        "decision",
        "order_due",
        "penalty_amount",
        "compensation_rate",
        "unpaid_after_order",
        "closure_code",
        "satisfaction",
    ),
    "cases_complaint": (
        "id",
        "receipt_no",
        "channel",
        "workers_count",
        "amount_owed",
        "period_start",
        "period_end",
        "description",
        "status",
        "received_at",
        "case_id",
        "employer_id",
        "complainant_id",
        "project_id",
        "region_id",
        "complainant_key",
        "route_basis",
        "possible_duplicate_of_id",
        "stale",
        "decision_reason",
        "decided_at",
        "entered_by_id",
        "idempotency_key",
        "request_hash",
    ),
    "cases_caseparty": ("id", "kind", "case_id", "complaint_id", "party_id"),
    "cases_timelineevent": (
        "id",
        "seq",
        "at",
        "actor_name",
        "actor_role",
        "actor_region",
        "kind",
        "data",
        "prev_hash",
        "hash",
        "actor_id",
        "case_id",
        "complaint_id",
    ),
}
TABLES = tuple(COLUMNS)
SEQUENCE_TABLE = "cases_officesequence"


# --- database --------------------------------------------------------------------------


def ensure_ready(progress=print) -> None:
    """PostgreSQL, migrated, Jiangxi's regions loaded (migrate / load_regions when not)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if connection.vendor != "postgresql":
        raise BenchError(
            f"bench.generate needs PostgreSQL (COPY); the configured database is {connection.vendor}. "
            "Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiqian_bench (createdb it first)."
        )
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        progress("database not fully migrated: running migrate")
        call_command("migrate", interactive=False, verbosity=1)
    from cases.models import Region

    if not Region.objects.filter(code__startswith="36", level="county").exists():
        progress("no Jiangxi regions: running load_regions --province 360000")
        call_command("load_regions", province="360000")


def _copy_plan(cursor, progress) -> dict[str, tuple[tuple[str, ...], object]]:
    """table -> (columns to COPY, row projection or None): columns this module knows but the
    database lacks (a migration not applied, or since removed) are left out, with a note."""
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ANY(%s)",
        [list(TABLES)],
    )
    present = set(cursor.fetchall())
    plan = {}
    for table, columns in COLUMNS.items():
        keep = [i for i, c in enumerate(columns) if (table, c) in present]
        if len(keep) == len(columns):
            plan[table] = (columns, None)
        else:
            progress(
                f"note: {table} has no column {', '.join(c for c in columns if (table, c) not in present)}; left out"
            )
            plan[table] = (tuple(columns[i] for i in keep), operator.itemgetter(*keep))
    return plan


def _check_columns(cursor) -> None:
    """Fail clearly if the schema gained a NOT NULL column without a default that COPY would miss."""
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ANY(%s) AND is_nullable = 'NO' "
        "AND column_default IS NULL AND is_identity = 'NO'",
        [list(TABLES)],
    )
    missing = sorted(f"{t}.{c}" for t, c in cursor.fetchall() if c not in COLUMNS[t])
    if missing:
        raise BenchError(f"the schema has required columns bench/generate.py does not fill: {', '.join(missing)}")


def _reset(cursor, progress) -> None:
    cursor.execute(
        "SELECT DISTINCT c.conrelid::regclass::text FROM pg_constraint c "
        "WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY(%s) AND NOT c.conrelid::regclass::text = ANY(%s)",
        [list(TABLES), list(TABLES)],
    )
    also = sorted(r[0] for r in cursor.fetchall())
    if also:
        progress(f"--reset: TRUNCATE ... CASCADE also empties {', '.join(also)}")
    # the timeline's anchors go with the events; migration 0013 refuses TRUNCATE unless a superuser says so
    anchors = ("cases_timelinehead", "cases_timelinecheckpointentry", "cases_timelinecheckpoint")
    tables = ", ".join(TABLES + (SEQUENCE_TABLE,) + anchors)
    cursor.execute("SET LOCAL zhiqian.timeline_truncate = 'allow'")
    cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    cursor.execute("SET LOCAL zhiqian.timeline_truncate = ''")


def _check_foreign_keys(cursor, bases: dict[str, int], *, tables=TABLES, key: dict | None = None) -> list[str]:
    """Orphans among the new rows (id >= base; `key` names another id column per table), for every
    single-column FK of the loaded tables."""
    key = key or {}
    cursor.execute(
        "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, fa.attname "
        "FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1] "
        "WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.conrelid::regclass::text = ANY(%s)",
        [list(tables)],
    )
    problems = []
    for table, column, ref_table, ref_column in cursor.fetchall():
        cursor.execute(
            f'SELECT count(*) FROM {table} t WHERE t."{key.get(table, "id")}" >= %s AND t."{column}" IS NOT NULL '
            f"AND NOT EXISTS "
            f'(SELECT 1 FROM {ref_table} r WHERE r."{ref_column}" = t."{column}")',
            [bases[table]],
        )
        orphans = cursor.fetchone()[0]
        if orphans:
            problems.append(f"{table}.{column}: {orphans} rows point to no {ref_table}")
    return problems


def _copy(pg_cursor, table: str, rows: list[tuple], plan) -> None:
    if not rows:
        return
    columns, project = plan[table]
    with pg_cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        write = copy.write_row
        if project is None:
            for row in rows:
                write(row)
        else:
            for row in rows:
                write(project(row))


class _CopyWorker(threading.Thread):
    """COPYs one chunk while the main thread generates the next: PostgreSQL (inserting rows,
    maintaining indexes) and Python (building rows, hashing) then run on both cores."""

    def __init__(self, pg_connection, plan):
        super().__init__(name="bench-copy", daemon=True)
        self.pg_connection = pg_connection
        self.plan = plan
        self.jobs: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None

    def run(self) -> None:
        cursor = self.pg_connection.cursor()
        while (job := self.jobs.get()) is not None:
            if self.error is None:
                try:
                    for table, rows in job.items():
                        _copy(cursor, table, rows, self.plan)
                except BaseException as exc:  # re-raised in the main thread
                    self.error = exc

    def put(self, job: dict) -> None:
        if self.error is not None:
            raise self.error
        self.jobs.put(job)

    def finish(self) -> None:
        self.jobs.put(None)
        self.join()
        if self.error is not None:
            raise self.error
