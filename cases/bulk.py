"""Many rows in one go: PostgreSQL's COPY for the thousands of rows a sweep batch writes, bulk_create elsewhere.

bench P5 (10,000 deadlines due): the sweep's two bulk INSERTs (the timeline events, the accountability
watches) spent more time in Python than in PostgreSQL, in Django's per-value preparation and psycopg's
quoting of the UNNEST arrays. COPY streams the rows through psycopg's C writer instead. The ids are
taken from the table's sequence first, so every object gets its pk, as bulk_create gives it.
"""

from __future__ import annotations

import json
from typing import TypeVar

from django.db import connections, router
from django.db.models import JSONField, Model

M = TypeVar("M", bound=Model)

COPY_AT_LEAST = 200  # below this, bulk_create's single INSERT costs as little


def bulk_insert(model: type[M], objs: list[M]) -> list[M]:
    """INSERT `objs` (unsaved instances of `model`, pk unset) and set their pks; returns them."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql" or len(objs) < COPY_AT_LEAST:
        return model._default_manager.bulk_create(objs)  # `objects`, the only manager of the models passed
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    encoders = {f.attname: f.encoder for f in fields if isinstance(f, JSONField)}
    # encrypted personal data and blind indexes (cases.models.personal_fields): derived and encrypted here
    personal = {f.attname for f in fields if getattr(f, "personal_data", False)}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in [meta.pk.column, *(f.column for f in fields)])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for pk, obj in zip(ids, objs, strict=True):
                for field in stamped:
                    field.pre_save(obj, add=True)
                obj.pk = pk
                row = [pk]
                for field in fields:
                    value = getattr(obj, field.attname)
                    if field.attname in personal:
                        value = field.get_db_prep_save(field.pre_save(obj, add=True), connection)
                    elif field.attname in encoders and value is not None:
                        value = json.dumps(value, cls=encoders[field.attname])
                    row.append(value)
                copy.write_row(row)
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
    return objs
