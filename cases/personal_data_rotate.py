"""Key rotation for personal data at rest (docs/personal-data.md): the service behind the management
command rotate_personal_data_key.

- Data key: every encrypted value not under the current (first) key of ZHIQIAN_DATA_KEYS is decrypted
  with its own key and encrypted again under the current one; a plain-text value left by an old
  writer is encrypted. Afterwards the old key can leave ZHIQIAN_DATA_KEYS.
- Index key (reindex=True): every blind index, and the complaints' duplicate-check key, recomputed
  with the current ZHIQIAN_INDEX_KEY.

Batches of `batch_size` rows by primary key, each in its own short transaction; an UPDATE applies only
if the stored value is still the one read (a concurrent edit wins, it is already under the new keys).
Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Field, Model

from .models.personal_fields import BlindIndexField, EncryptedCharField
from .personal_data import current_kid, decrypt, encrypt, is_encrypted, stored_kid

F = TypeVar("F", bound=Field)


@dataclass
class RotationResult:
    rows: int = 0  # rows read
    reencrypted: int = 0  # values now under the current key (were under another one)
    was_plain: int = 0  # plain-text values encrypted
    reindexed: int = 0  # blind indexes / complaint keys that changed
    by_column: dict[str, int] = field(default_factory=dict)  # column -> values changed


def _fields(kind: type[F]) -> Iterator[tuple[type[Model], F]]:
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, kind):
                yield model, f


def _batches(model, columns: list[str], batch_size: int) -> Iterator[list[tuple]]:
    q = connection.ops.quote_name
    table, pk = q(model._meta.db_table), q(model._meta.pk.column)
    last = None
    params: list[Any]
    while True:
        where, params = (f"WHERE {pk} > %s ", [last]) if last is not None else ("", [])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {', '.join(q(c) for c in columns)} FROM {table} {where}ORDER BY {pk} LIMIT %s",
                [*params, batch_size],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _update(model, column: str, changes: list[tuple], *, guard: str | None = None) -> None:
    """changes: (new value, pk, old value of `guard` column) — applied only where guard is unchanged."""
    q = connection.ops.quote_name
    sql = (
        f"UPDATE {q(model._meta.db_table)} SET {q(column)} = %s WHERE {q(model._meta.pk.column)} = %s "
        f"AND {q(guard or column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, changes)


def _reencrypt(model, f: EncryptedCharField, kid: str, result: RotationResult, *, batch_size, dry_run, progress):
    name = f"{model._meta.db_table}.{f.column}"
    changed = 0
    for rows in _batches(model, [f.column], batch_size):
        changes = []
        for pk, stored in rows:
            if not stored or stored_kid(stored) == kid:
                continue
            if is_encrypted(stored):
                result.reencrypted += 1
                plain = decrypt(stored, purpose=f.purpose)  # PersonalDataError: an unknown key, stop here
            else:
                result.was_plain += 1
                plain = stored
            changes.append((encrypt(plain, purpose=f.purpose), pk, stored))
        result.rows += len(rows)
        changed += len(changes)
        if changes and not dry_run:
            with transaction.atomic():
                _update(model, f.column, changes)
        progress(f"{name}: up to id {rows[-1][0]}, {changed} value(s) {'to change' if dry_run else 'changed'}")
    result.by_column[name] = changed
    if changed == 0:
        progress(f"{name}: nothing to change")


def _reindex(model, f: BlindIndexField, result: RotationResult, *, batch_size, dry_run, progress):
    source = model._meta.get_field(f.source)
    name = f"{model._meta.db_table}.{f.column}"
    changed = 0
    for rows in _batches(model, [source.column, f.column], batch_size):
        changes = []
        for pk, stored, index in rows:
            plain = decrypt(stored, purpose=source.purpose) if is_encrypted(stored) else (stored or "")
            if (new := f.compute(plain)) != index:
                changes.append((new, pk, stored))
        result.rows += len(rows)
        changed += len(changes)
        if changes and not dry_run:
            with transaction.atomic():
                _update(model, f.column, changes, guard=source.column)
        progress(f"{name}: up to id {rows[-1][0]}, {changed} index(es) {'to change' if dry_run else 'changed'}")
    result.reindexed += changed
    result.by_column[name] = changed


def _complainant_keys(result: RotationResult, *, batch_size, dry_run, progress) -> None:
    """Complaint.complainant_key = the complainant party's ID number index, else its phone index."""
    from .models import Complaint, Party

    changed = 0
    for rows in _batches(Complaint, ["complainant_key", "complainant_id"], batch_size):
        parties = dict(
            (pk, id_index or phone_index)
            for pk, id_index, phone_index in Party.objects.filter(pk__in={r[2] for r in rows}).values_list(
                "pk", "id_number_index", "phone_index"
            )
        )
        changes = [(parties.get(p, ""), pk, key) for pk, key, p in rows if parties.get(p, "") != key]
        result.rows += len(rows)
        changed += len(changes)
        if changes and not dry_run:
            with transaction.atomic():
                _update(Complaint, "complainant_key", changes)
        progress(f"cases_complaint.complainant_key: up to id {rows[-1][0]}, {changed} key(s) changed")
    result.reindexed += changed
    result.by_column["cases_complaint.complainant_key"] = changed


def personal_data_key_rotate(
    *, reindex: bool = False, batch_size: int = 1000, dry_run: bool = False, progress: Callable[[str], None] = print
) -> RotationResult:
    """Re-encrypt every encrypted column under the current data key; with `reindex`, recompute every
    blind index (after ZHIQIAN_INDEX_KEY changed). Returns what changed (or would, with dry_run)."""
    if batch_size < 1:
        raise ValueError("batch_size: at least 1")
    kid, result = current_kid(), RotationResult()
    for model, f in _fields(EncryptedCharField):
        _reencrypt(model, f, kid, result, batch_size=batch_size, dry_run=dry_run, progress=progress)
    if reindex:
        for model, index in _fields(BlindIndexField):
            _reindex(model, index, result, batch_size=batch_size, dry_run=dry_run, progress=progress)
        # after the parties' indexes (a dry run compares with the stored ones)
        _complainant_keys(result, batch_size=batch_size, dry_run=dry_run, progress=progress)
    return result
