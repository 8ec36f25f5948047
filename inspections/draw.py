"""The draw itself, a pure function of its recorded inputs, so that anyone can re-run it (复核).

Method `python-random-v1`: `random.Random(seed)` (Python's Mersenne Twister seeded with the seed's string);
the target pool's ids sorted ascending, `sample(ids, k)`, the chosen ids sorted ascending; then for each chosen
target in that order, its eligible inspectors (the inspector pool's ids sorted ascending, minus those with a
recusal for that target) and `sample(eligible, 2)`. The snapshot (both pools' ids, the recusal pairs, k) is
hashed (SHA-256 of its canonical JSON) and recorded with the seed."""

from __future__ import annotations

import hashlib
import json
import random

METHOD = "python-random-v1"
PER_TARGET = 2


class NotEnoughInspectors(ValueError):
    pass


def snapshot_hash(snapshot: dict) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def run(*, seed: str, snapshot: dict) -> list[tuple[int, list[int]]]:
    """(target id, [inspector id, inspector id]) for each drawn target, in ascending target id."""
    rng = random.Random(seed)
    targets = sorted(snapshot["targets"])
    inspectors = sorted(snapshot["inspectors"])
    recused = {(i, t) for i, t in snapshot.get("recusals", [])}
    chosen = sorted(rng.sample(targets, min(snapshot["k"], len(targets))))
    result = []
    for target in chosen:
        eligible = [i for i in inspectors if (i, target) not in recused]
        if len(eligible) < PER_TARGET:
            raise NotEnoughInspectors(target)
        result.append((target, sorted(rng.sample(eligible, PER_TARGET))))
    return result


def replacement(*, seed: str, eligible: list[int]) -> int:
    """A redraw's one inspector: `random.Random(seed).choice` over the eligible ids sorted ascending."""
    if not eligible:
        raise NotEnoughInspectors(seed)
    return random.Random(seed).choice(sorted(eligible))
