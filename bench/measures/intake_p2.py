"""bench.intake's P2: claim and complete of the acceptance tasks P1 left, in this process, as the API does."""

from __future__ import annotations

import contextlib
import random
import statistics
import time

from bench.common import (
    TxCounter,
    breakdown,
    busy_pct,
    capture,
    fresh_user,
    log,
    statements_of,
    summary_ms,
    system_cpu,
    wait_quiet,
)


def p2_candidates(run_tags, clerks: dict[int, int], count: int, exclude: set[int]) -> list[tuple[int, int]]:
    """(task id, clerk id): NEW acceptance tasks of ungrouped P1 complaints."""
    from django.db.models import Q
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from workflows.flows import IntakeFlow

    keys = Q()
    for tag in run_tags:
        keys |= Q(process__caseprocess__complaint__idempotency_key__startswith=f"bench:{tag}:")
    rows = (
        Task.objects.filter(
            keys,
            flow_task=IntakeFlow.acceptance,
            status=STATUS.NEW,
            process__caseprocess__complaint__case__isnull=True,
            process__caseprocess__region_id__in=list(clerks),
        )
        .exclude(pk__in=exclude)
        .order_by("id")
        .values_list("pk", "process__caseprocess__region_id")[: count * 3]
    )
    rows = list(rows)
    random.Random(7).shuffle(rows)
    return [(task_id, clerks[region_id]) for task_id, region_id in rows[:count]]


def p2_run(candidates, *, list_actions: int, label: str, quiet: tuple[float, float] = (15, 0)) -> dict:
    from django.db import connection

    from workflows import selectors, services

    busy_before = wait_quiet(*quiet, what=f"P2 {label}")
    sys0 = system_cpu()
    counter = TxCounter(connection)
    kinds = {"claim": [], "complete_accept": [], "complete_refuse": []}
    counts = {k: [] for k in kinds}
    listed: dict[str, list] = {k: [] for k in kinds}
    next_steps = {}
    t_loop = time.perf_counter()
    last = t_loop
    with counter.installed():
        for i, (task_id, clerk_id) in enumerate(candidates):
            decision = "accept" if i % 2 == 0 else "refuse"
            data = (
                {"decision": "accept"}
                if decision == "accept"
                else {"decision": "refuse", "reason": "不属于劳动保障监察管辖范围"}
            )
            for kind in ("claim", f"complete_{decision}"):
                user = fresh_user(clerk_id)  # a request's user: no cached grants
                task = selectors.task_for_user(user, task_id)  # as the API loads it (not measured)
                listing = len(listed[kind]) < list_actions
                before = counter.snapshot()
                cm = capture() if listing else contextlib.nullcontext()
                lm = counter.listing() if listing else contextlib.nullcontext()
                with cm as cq, lm as log_:
                    t = time.perf_counter()
                    if kind == "claim":
                        services.task_assign(task=task, actor=user)
                    else:
                        nxt = services.task_complete(task=task, actor=user, data=data)
                    dt = time.perf_counter() - t
                after = counter.snapshot()
                kinds[kind].append(dt)
                counts[kind].append(breakdown(before, after))
                if kind != "claim":
                    next_steps[kind] = [str(t.flow_task.name) for t in nxt]
                if listing:
                    captured = statements_of(cq, log_)
                    assert len(captured) == counts[kind][-1]["total"], (len(captured), counts[kind][-1])
                    listed[kind].append(captured)
            if time.perf_counter() - last >= 3:
                last = time.perf_counter()
                log(f"  P2 {label}: {i + 1}/{len(candidates)} pairs")
    sys1 = system_cpu()
    res = {
        "label": label,
        "pairs": len(candidates),
        "machine_busy_before_pct": busy_before,
        "machine_cpu_busy_pct": busy_pct(sys0, sys1),
        "actions": {},
    }
    for kind, lat in kinds.items():
        if not lat:
            continue
        res["actions"][kind] = {
            "latency": summary_ms(lat),
            "statements": {
                k: statistics.median(c[k] for c in counts[kind])
                for k in ("total", "other", "savepoint", "begin_commit")
            },
            "statements_total_min_max": [min(c["total"] for c in counts[kind]), max(c["total"] for c in counts[kind])],
            "next_steps": next_steps.get(kind),
            "listing": listed[kind][0] if listed[kind] else [],
            "listing_counts": [len(x) for x in listed[kind]],
        }
        a = res["actions"][kind]
        log(
            f"  P2 {label} {kind}: statements {a['statements']}, "
            f"median {a['latency']['median_ms']} ms, p95 {a['latency']['p95_ms']} ms"
        )
    return res
