"""What the streamed imports (.stream: payment lines, .roster_stream: rosters) share: the staging sink, the
loop over the lines, the fast commit.

- `StageSink`: staged lines into a temporary table — COPY on PostgreSQL, batched INSERTs elsewhere (SQLite).
- `check_lines(rows, check, report, sink)`: every CSV row through `check(number, row, report)` (which reports
  the row's problems and returns the staged tuple, or None), in file order.

Splitting the checks over two worker processes was tried (forked workers returning COPY text): on this
two-core machine, shared, it gained nothing once the per-line checks were cheap (~20 µs a line), since
sending the rows to the workers costs about as much as checking them. The lines are checked here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection

BATCH = 5000  # rows per INSERT batch (SQLite)

Check = Callable[[int, list[str], Any], "tuple | None"]


class StageSink:
    """Lines into a staging table: COPY on PostgreSQL, batched INSERTs elsewhere (SQLite)."""

    def __init__(self, cursor, table: str, width: int) -> None:
        self.cursor, self.table, self.width = cursor, table, width
        self.rows: list[tuple] = []
        self.copy = None
        if connection.vendor == "postgresql":
            self.copy_cm = cursor.cursor.copy(f"COPY {table} FROM STDIN")
            self.copy = self.copy_cm.__enter__()

    def add(self, row: tuple) -> None:
        if self.copy is not None:
            self.copy.write_row(row)
            return
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self._insert()

    def _insert(self) -> None:
        marks = ", ".join(["%s"] * self.width)
        self.cursor.executemany(f"INSERT INTO {self.table} VALUES ({marks})", self.rows)
        self.rows = []

    def flush(self) -> None:
        if self.copy is not None:
            self.copy_cm.__exit__(None, None, None)
            self.copy = None
        elif self.rows:
            self._insert()


WORK_MEM = "256MB"  # per sort or hash of the import's joins over the staged lines (a million: ~100-200 MB)


def fast_commit(cursor) -> None:
    """PostgreSQL, for this transaction only (SET LOCAL):

    - its COMMIT does not wait for its WAL to reach the disk (synchronous_commit). A crash in the following
      fraction of a second may lose the import, never half of it (the database stays consistent); importing
      the file again puts it back (the imports are idempotent);
    - the joins and groupings over the staged lines run in memory (work_mem, 4 MB by default): with a
      million lines each hash join otherwise spills to temporary files in many batches."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(f"SET LOCAL work_mem TO '{WORK_MEM}'")


def check_lines(rows: Iterable[list[str]], check: Check, report, sink: StageSink) -> None:
    """Every non-blank row (the header is row 1) through `check`, in file order; counts report.lines."""
    for number, row in enumerate(rows, 2):
        if any(row):
            report.lines += 1
            staged = check(number, row, report)
            if staged is not None:
                sink.add(staged)
