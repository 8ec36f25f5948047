"""P2@1M: claim and complete of acceptance tasks, in-process, on the 1M database."""

from __future__ import annotations

import statistics
import time

from bench.common import Counter, log, summary_ms
from bench.measures.data import decision_for, prepare_tasks


def p2_at_scale(pairs: int) -> dict:
    """Claim + complete, in-process, on the 1M database (half accept, half refuse)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from workflows import selectors, services

    tag = f"p2-{int(time.time())}"
    log(f"P2@1M: submitting {pairs} complaints ({tag})")
    clerk_id, task_ids = prepare_tasks(pairs, tag=tag, claim=False)
    User = get_user_model()
    lat = {"claim": [], "complete_accept": [], "complete_refuse": []}
    counts = {k: [] for k in lat}
    counter = Counter(connection)
    with counter.installed():
        for i, task_id in enumerate(task_ids):
            for kind in ("claim", "complete_accept" if i % 2 == 0 else "complete_refuse"):
                user = User.objects.get(pk=clerk_id)
                task = selectors.task_for_user(user, task_id)  # as the API loads it: not measured
                before = counter.n
                t = time.perf_counter()
                if kind == "claim":
                    services.task_assign(task=task, actor=user)
                else:
                    services.task_complete(task=task, actor=user, data=decision_for(i))
                lat[kind].append(time.perf_counter() - t)
                counts[kind].append(counter.n - before)
    return {
        k: {
            "latency": summary_ms(v, brief=True),
            "statements_median": statistics.median(counts[k]),
            "statements_min_max": [min(counts[k]), max(counts[k])],
        }
        for k, v in lat.items()
        if v
    }


def run(ctx) -> dict:
    return p2_at_scale(ctx.args.p2_pairs)
