"""The number a timeline shows beside each event (issue 14: "sequence numbers appear to restart").

Every subject has its own hash chain, numbered from 1 (TimelineEvent.seq): a case's page shows the events
of its complaints before filing (the complaint's chain, 1…n) and then the case's own (1…m), so a column of
`seq` restarts at 1 where the case was filed. The pages therefore number the events in the case-wide order
(for_case: by time, then id) — a filtered list keeps each event's place in the whole timeline — and leave
`seq` to the chain, where it belongs (the auditors' PDF names the chain beside it).
"""

from __future__ import annotations

from collections.abc import Iterable

from .verify import for_case


def case_order(case) -> dict[int, int]:
    """Each event id of the case's timeline (its complaints' events included) → its place, from 1. One query."""
    return {pk: n for n, pk in enumerate(for_case(case).values_list("pk", flat=True), start=1)}


def events_numbered(events: Iterable, case) -> list:
    """The events as a list, each with .number: its place in the case's whole timeline."""
    events = list(events)
    order = case_order(case)
    for e in events:
        e.number = order.get(e.pk)
    return events
