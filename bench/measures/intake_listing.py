"""bench.intake's statement listing of one submission of each kind, the CPU breakdown and the cProfile."""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import time

from bench.common import TxCounter, breakdown, capture, statements_of
from bench.intake_world import World


def submission_listing(world: World) -> dict:
    """One submission of each kind under CaptureQueriesContext (noop SMS; console adds nothing in SQL)."""
    from django.db import connection

    from cases import intake
    from workflows import services

    counter = TxCounter(connection)
    cold = [s for s in world.cold if s.people]
    site_known = cold[0]
    samples = {
        "new employer, new project, new person": (world._site(), world.person()),
        "known employer + project, new person": (site_known, world.person()),
        "duplicate (same person, same employer)": (site_known, site_known.people[0]),
        "grouped onto an open case": (world.hot[0], world.person()),
    }
    out = {}
    for k, (label, (site, person)) in enumerate(samples.items()):
        body = world.body_for(site, person)
        with counter.installed(), capture() as cq, counter.listing() as log_:
            before = counter.snapshot()
            clean = intake.complaint_validate(body)
            complaint, _ = services.intake_submit(
                actor=None, clean=clean, channel="web", idempotency_key=f"bench:{world.run_tag}:list:{k}"
            )
            after = counter.snapshot()
        complaint.refresh_from_db()
        counts = breakdown(before, after)
        assert counts["total"] == len(cq.captured_queries), (counts, len(cq.captured_queries))
        out[label] = {
            "statements": counts,
            "grouped": complaint.case_id is not None,
            "duplicate": complaint.possible_duplicate_of_id is not None,
            "route_basis": complaint.route_basis,
            "listing": statements_of(cq, log_),
        }
    return out


def cpu_breakdown(world: World) -> dict:
    """Python CPU (time.process_time: waits for PostgreSQL excluded) per submission, by component.

    The components are wrapped in place for this pass only (cheap: two clock reads per call); each is
    inclusive of what it calls; "rest" = the submission's CPU minus the components (the idempotency
    look-up, duplicate and open-case look-ups, the complaint INSERT, savepoints, fingerprint...).
    """
    import cases.intake as intake_pkg
    from cases import acceptance, timeline
    from cases import tasks as case_tasks
    from workflows import services
    from workflows.flows import IntakeFlow

    submit_mod = sys.modules.get("cases.intake.submit", intake_pkg)  # cases/intake.py or cases/intake/submit.py
    totals: dict[str, float] = {}
    patched: list[tuple[object, str, object]] = []
    depth = [0]
    top_level = [0.0]  # CPU inside wrapped components that are not nested in another one

    def wrap(owner, name, label):
        original = getattr(owner, name, None)
        if original is None:
            return

        def timed(*args, **kwargs):
            depth[0] += 1
            t = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                dt = time.process_time() - t
                depth[0] -= 1
                totals[label] = totals.get(label, 0.0) + dt
                if depth[0] == 0:
                    top_level[0] += dt

        patched.append((owner, name, original))
        setattr(owner, name, timed)

    wrap(submit_mod, "complaint_route", "complaint_route (region index)")
    wrap(submit_mod, "office_number_next", "office_number_next (receipt no.)")
    for name in ("_employer_get_or_create", "employer_get_or_create"):
        wrap(submit_mod, name, "employer find/create")
    wrap(submit_mod, "_party_get_or_create", "party find/create")
    for name in ("_project_get_or_create", "project_get_or_create"):
        wrap(submit_mod, name, "project find/create")
    wrap(submit_mod, "_case_link", "grouping onto the open case (_case_link)")
    wrap(submit_mod, "complainant_notify", "complainant_notify (outbox INSERT)")
    wrap(timeline, "record", "timeline.record")
    wrap(acceptance, "acceptance_start", "acceptance_start (deadline)")
    wrap(IntakeFlow.start, "run", "IntakeFlow.start.run (viewflow)")
    wrap(case_tasks.notification_send, "delay", "eager SMS task after commit (Celery apply)")
    validate, submit = [], []
    try:
        for key, body in world.bodies:
            t = time.process_time()
            clean = intake_pkg.complaint_validate(body)
            t1 = time.process_time()
            services.intake_submit(actor=None, clean=clean, channel="web", idempotency_key=key)
            t2 = time.process_time()
            validate.append(t1 - t)
            submit.append(t2 - t1)
    finally:
        for owner, name, original in reversed(patched):
            setattr(owner, name, original)
    n = len(submit)
    out = {"n": n, "complaint_validate": round(1000 * sum(validate) / n, 3)}
    out["intake_submit"] = round(1000 * sum(submit) / n, 3)
    components = {k: round(1000 * v / n, 3) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])}
    out["components_ms"] = components
    out["rest_ms"] = round(1000 * (sum(submit) - top_level[0]) / n, 3)
    out["note"] = "inclusive; timeline.record also runs inside _case_link for grouped complaints"
    return out


def profile_submissions(world: World, n: int) -> str:
    from cases import intake
    from workflows import services

    prof = cProfile.Profile()
    bodies = world.bodies[:n]
    prof.enable()
    for key, body in bodies:
        clean = intake.complaint_validate(body)
        services.intake_submit(actor=None, clean=clean, channel="web", idempotency_key=key)
    prof.disable()
    s = io.StringIO()
    pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(45)
    s.write("\n--- by own time ---\n")
    pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(30)
    return s.getvalue()
