"""bench.intake's P1: complaints submitted from forked client processes (complaint_validate + intake_submit),
wall time, latency, statements and CPU per submission."""

from __future__ import annotations

import multiprocessing
import os
import time

from bench.common import TxCounter, breakdown, busy_pct, log, proc_cpu, summary_ms, system_cpu, wait_quiet
from bench.intake_world import World


def _client(idx, bodies, progress, barrier, results):
    from django.db import connection

    from cases.intake import complaint_validate
    from workflows.services import intake_submit

    connection.ensure_connection()  # this process's own connection (the parent closed its own)
    with connection.cursor() as cursor:  # not counted: before the clock
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    counter = TxCounter(connection)
    lat, errors, created = [], [], 0
    barrier.wait()
    cpu0, pg0 = proc_cpu(os.getpid()), proc_cpu(backend)
    t_start = time.perf_counter()
    with counter.installed():
        for i, (key, body) in enumerate(bodies):
            t = time.perf_counter()
            try:
                clean = complaint_validate(body)
                _, was_created = intake_submit(actor=None, clean=clean, channel="web", idempotency_key=key)
                created += was_created
            except Exception as exc:  # noqa: BLE001 - counted and reported
                errors.append(f"{type(exc).__name__}: {exc}"[:300])
            lat.append(time.perf_counter() - t)
            if i % 5 == 4:
                with progress.get_lock():
                    progress.value += 5
    t_end = time.perf_counter()
    cpu1, pg1 = proc_cpu(os.getpid()), proc_cpu(backend)
    with progress.get_lock():
        progress.value += len(bodies) % 5
    results.put(
        {
            "idx": idx,
            "t_start": t_start,
            "t_end": t_end,
            "lat": lat,
            "errors": errors,
            "created": created,
            "counts": breakdown((0, 0, 0, 0, 0), counter.snapshot()),
            "rollbacks": counter.rollbacks,
            "client_cpu_s": cpu1 - cpu0,
            "backend_cpu_s": pg1 - pg0,
        }
    )
    connection.close()


def p1_run(world: World, clients: int, label: str, quiet: tuple[float, float] = (15, 0)) -> dict:
    from django.db import connections

    busy_before = wait_quiet(*quiet, what=f"P1 {label}")
    bodies = world.bodies
    total = len(bodies)
    connections.close_all()  # each child opens its own connection
    ctx = multiprocessing.get_context("fork")
    progress = ctx.Value("i", 0)
    barrier = ctx.Barrier(clients + 1)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_client, args=(i, bodies[i::clients], progress, barrier, results), daemon=True)
        for i in range(clients)
    ]
    for p in procs:
        p.start()
    barrier.wait()
    t0 = time.perf_counter()
    sys0 = system_cpu()
    last = 0.0
    while progress.value < total and any(p.is_alive() for p in procs):
        time.sleep(0.25)
        if time.perf_counter() - last >= 3:
            last = time.perf_counter()
            done = progress.value
            log(f"  P1 {label}: {done}/{total}  ({done / (last - t0):.0f}/s)")
    out = [results.get(timeout=1800) for _ in procs]
    sys1 = system_cpu()
    for p in procs:
        p.join()
    wall = max(r["t_end"] for r in out) - min(r["t_start"] for r in out)
    lat = [x for r in out for x in r["lat"]]
    n = len(lat)
    errors = [e for r in out for e in r["errors"]]
    res = {
        "label": label,
        "clients": clients,
        "complaints": total,
        "wall_s": round(wall, 3),
        "per_s": round(total / wall, 1),
        "created": sum(r["created"] for r in out),
        "errors": len(errors),
        "first_errors": errors[:5],
        "latency": summary_ms(lat),
        "statements_per_submission": {
            k: round(sum(r["counts"][k] for r in out) / n, 2) for k in ("total", "other", "savepoint", "begin_commit")
        },
        "rollbacks": sum(r["rollbacks"] for r in out),
        "cpu_ms_per_submission": {
            "client_python": round(1000 * sum(r["client_cpu_s"] for r in out) / n, 2),
            "postgres_backend": round(1000 * sum(r["backend_cpu_s"] for r in out) / n, 2),
        },
        "machine_cpu_busy_pct": busy_pct(sys0, sys1),
        "machine_busy_before_pct": busy_before,
        "others_cpu_pct_during": round(
            100 * (sys1[0] - sys0[0]) / max(1, sys1[1] - sys0[1])
            - 100 * sum(r["client_cpu_s"] + r["backend_cpu_s"] for r in out) / (wall * (os.cpu_count() or 1)),
            1,
        ),
        "loadavg_after": os.getloadavg(),
        "per_client_per_s": [round(len(r["lat"]) / (r["t_end"] - r["t_start"]), 1) for r in out],
    }
    res["outcomes"] = outcomes(world.run_tag)
    log(
        f"  P1 {label}: {res['per_s']}/s, wall {res['wall_s']}s, median {res['latency']['median_ms']} ms, "
        f"p95 {res['latency']['p95_ms']} ms, {res['statements_per_submission']} statements/submission, "
        f"{res['errors']} errors; CPU ms/submission {res['cpu_ms_per_submission']}, machine busy "
        f"{res['machine_cpu_busy_pct']}%"
    )
    return res


def outcomes(run_tag: str) -> dict:
    from django.db.models import Count, Q

    from cases.models import Complaint

    qs = Complaint.objects.filter(idempotency_key__startswith=f"bench:{run_tag}:").exclude(
        idempotency_key__contains=":seed:"
    )
    agg = qs.aggregate(
        n=Count("id"),
        grouped=Count("id", filter=Q(case__isnull=False)),
        duplicate=Count("id", filter=Q(possible_duplicate_of__isnull=False)),
        stale=Count("id", filter=Q(stale=True)),
        regions=Count("region", distinct=True),
        employers=Count("employer", distinct=True),
        complainants=Count("complainant", distinct=True),
    )
    agg["route_basis"] = dict(qs.values_list("route_basis").annotate(c=Count("id")).order_by("-c"))
    return agg
