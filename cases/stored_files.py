"""Files written to storage inside a transaction follow the transaction: removed when it rolls back.

A service that stores a file (an evidence upload, a document's PDF) writes it before its rows are
committed; if the transaction — or the savepoint the file was written in — then rolls back, the rows are
gone and the file would stay on disk with nothing pointing at it. `remove_on_rollback(name, storage=...)`,
called right after the write, removes the file when that happens:

- in an atomic block: the file is remembered with the block's savepoints; a rollback to one of them, or of
  the whole transaction, deletes it; the commit forgets it (`transaction.on_commit`);
- outside one (autocommit): there is nothing to roll back, the file stays.

Django has commit hooks but no rollback hooks, so the connection's `rollback` and `savepoint_rollback` are
wrapped, on that connection object only, the first time a file is registered on it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, transaction

logger = logging.getLogger(__name__)
_ATTR = "_zhiqian_files_to_remove_on_rollback"


@dataclass(eq=False)
class _Stored:
    name: str
    storage: Storage
    savepoints: set = field(default_factory=set)


def _remove(connection, rolled_back) -> None:
    pending: list[_Stored] = connection.__dict__.get(_ATTR, [])
    for stored in [s for s in pending if rolled_back(s)]:
        pending.remove(stored)
        try:
            stored.storage.delete(stored.name)
        except Exception:  # a file that cannot be removed must not hide the rollback's own error
            logger.exception("could not remove %s after a rollback", stored.name)


def _pending(connection) -> list[_Stored]:
    pending = connection.__dict__.get(_ATTR)
    if pending is None:
        pending = connection.__dict__[_ATTR] = []
        rollback, savepoint_rollback = connection.rollback, connection.savepoint_rollback

        def rollback_and_remove():
            try:
                rollback()
            finally:
                _remove(connection, lambda stored: True)

        def savepoint_rollback_and_remove(sid):
            savepoint_rollback(sid)
            _remove(connection, lambda stored: sid in stored.savepoints)

        connection.rollback = rollback_and_remove
        connection.savepoint_rollback = savepoint_rollback_and_remove
    return pending


def remove_on_rollback(name: str, *, storage: Storage | None = None, using: str = DEFAULT_DB_ALIAS) -> None:
    """Delete the stored file `name` if the current transaction (or savepoint) rolls back."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return
    stored = _Stored(name, storage or default_storage, set(connection.savepoint_ids))
    pending = _pending(connection)
    pending.append(stored)

    def forget() -> None:
        if stored in pending:
            pending.remove(stored)

    transaction.on_commit(forget, using=using)


def storage_save(name: str, content, *, storage: Storage | None = None, using: str = DEFAULT_DB_ALIAS) -> str:
    """`storage.save(name, content)`, the file removed again if the transaction rolls back; the stored name."""
    storage = storage or default_storage
    stored = storage.save(name, content)
    remove_on_rollback(stored, storage=storage, using=using)
    return stored
