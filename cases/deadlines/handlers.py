"""What happens when a deadline is warned or becomes overdue: handlers registered by outer layers (e.g.
workflows), called by the sweep inside the transaction of the deadline's transition."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from ..models import Deadline
from .rules import RULES

Handler = Callable[[Deadline, datetime], None]
BatchHandler = Callable[[list[Deadline], datetime], None]
ANY_KIND = "*"
_warning_handlers: dict[str, list[Handler]] = defaultdict(list)
_overdue_handlers: dict[str, list[Handler]] = defaultdict(list)
_overdue_batch_handlers: dict[str, list[BatchHandler]] = defaultdict(list)


def _register(registry: dict[str, list], kind: str, fn: Callable) -> Callable:
    if kind != ANY_KIND and kind not in RULES:
        raise ValueError(f"unknown deadline kind {kind!r}")
    if fn not in registry[kind]:
        registry[kind].append(fn)
    return fn


def on_warning(kind: str, fn: Handler) -> Handler:
    """Call fn(deadline, now) when a deadline of `kind` ("*": any) is warned, in the same transaction."""
    return _register(_warning_handlers, kind, fn)


def on_overdue(kind: str, fn: Handler) -> Handler:
    """Call fn(deadline, now) when a deadline of `kind` ("*": any) becomes overdue, in the same transaction."""
    return _register(_overdue_handlers, kind, fn)


def on_overdue_many(kind: str, fn: BatchHandler) -> BatchHandler:
    """Call fn(deadlines, now) once per sweep batch with the batch's deadlines of `kind` ("*": all of them,
    in subject order) that became overdue, in the batch's transaction. For a handler that runs on many
    deadlines (e.g. every case deadline): it can read and write with set-based queries. Should the
    batch fail, it is redone a deadline at a time, so fn is then called with one deadline."""
    return _register(_overdue_batch_handlers, kind, fn)
