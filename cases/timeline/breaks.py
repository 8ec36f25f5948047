"""A break found in a timeline chain, its heads or a checkpoint: where, what, and which kind (docs/timeline.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Break:
    subject: str
    seq: int
    event_id: int | None
    reason: str
    kind: str = "content"

    def __str__(self) -> str:
        if not self.seq:
            return f"{self.subject}: {self.reason}"
        where = f" (id {self.event_id})" if self.event_id is not None else ""
        return f"{self.subject} event #{self.seq}{where}: {self.reason}"
