"""The verifier's reading of events: light rows, streamed, grouped by subject."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from django.db import connections

_ROW_FIELDS = (
    "id", "case_id", "complaint_id", "account_id", "region_id", "seq", "at", "actor_id", "actor_name",
    "actor_role", "actor_region", "kind", "data", "prev_hash", "hash",
)  # fmt: skip


class _Row:
    """What _check_chain and compute_hash read of an event, from a values_list() tuple: the verifier
    reads millions of rows, and building a model instance for each cost more than hashing it."""

    __slots__ = _ROW_FIELDS

    def __init__(self, values: tuple) -> None:
        (self.id, self.case_id, self.complaint_id, self.account_id, self.region_id, self.seq, self.at,
         self.actor_id, self.actor_name, self.actor_role, self.actor_region, self.kind, self.data, self.prev_hash,
         self.hash) = values  # fmt: skip


def _rows(qs, *, stream: bool = False) -> Iterator[_Row]:
    rows = qs.values_list(*_ROW_FIELDS)
    if not stream:
        return map(_Row, rows)
    if connections[rows.db].vendor == "postgresql":
        return _fetch_raw(rows)
    return map(_Row, rows.iterator(chunk_size=5000))


def _fetch_raw(rows) -> Iterator[_Row]:
    """The rows of a values_list() through a server-side cursor, without Django's per-value
    converters: on PostgreSQL the only one these columns need is JSONField's (jsonb arrives as
    text; json.loads, as JSONField.from_db_value does). Half the verifier's time went there."""
    connection = connections[rows.db]
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    loads = json.loads
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            for values in chunk:
                row = _Row(values)
                if isinstance(row.data, str):
                    row.data = loads(row.data)
                yield row


def _grouped(rows: Iterable[_Row], column: str) -> Iterator[tuple[int, list[_Row]]]:
    """Rows in (subject, seq) order → (subject id, the subject's chain) per subject."""
    buffer: list[_Row] = []
    current = 0  # no subject yet: nothing is yielded before the first row sets it
    for event in rows:
        key: int = getattr(event, column)
        if key != current and buffer:
            yield current, buffer
            buffer = []
        current = key
        buffer.append(event)
    if buffer:
        yield current, buffer


def _tuples(qs) -> Iterator[tuple]:
    """The rows of a values_list() of plain columns (ints, texts), streamed: on PostgreSQL through a
    server-side cursor without the ORM's per-row machinery (the verifier reads one head per chain)."""
    connection = connections[qs.db]
    if connection.vendor != "postgresql":
        yield from qs.iterator(chunk_size=5000)
        return
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            yield from chunk
