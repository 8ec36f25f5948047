"""P4: the timeline verifier over the first 1,000,000 events; the case and timeline pages of a long case."""

from __future__ import annotations

import os
import time

from bench.common import log, sql_log, summary_ms


def _first_case_events(limit: int) -> tuple[int, int]:
    """(lo, hi): the case ids whose chains hold the first `limit` case events (in (case_id, seq) order);
    all of them when the database has fewer (a small smoke-test database)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT min(case_id) FROM cases_timelineevent WHERE case_id IS NOT NULL")
        lo = cur.fetchone()[0]
        cur.execute(
            "SELECT case_id FROM cases_timelineevent WHERE case_id IS NOT NULL ORDER BY case_id, seq OFFSET %s LIMIT 1",
            [limit - 1],
        )
        row = cur.fetchone()
        if row is None:
            cur.execute("SELECT max(case_id) FROM cases_timelineevent")
            row = cur.fetchone()
        return lo, row[0]


def p4_verify(limit: int = 1_000_000, jobs: int = 1) -> dict:
    """What `verify_timeline --jobs N` runs (cases.timeline.verify_slices over jobs × 4 subject-id
    slices, forked processes when jobs > 1), over the case chains that hold the first `limit` events."""
    from cases import timeline

    lo, hi = _first_case_events(limit)
    parts = max(1, jobs * 4)
    width = -(-(hi + 1 - lo) // parts)
    slices = [("case", start, min(start + width, hi + 1)) for start in range(lo, hi + 1, width)]
    t = time.perf_counter()
    result = timeline.verify_slices(slices, jobs=jobs)
    seconds = time.perf_counter() - t
    return {
        "jobs": jobs,
        "events": result.events,
        "chains": result.chains,
        "seconds": round(seconds, 2),
        "ok": result.ok,
        "first_broken": str(result.first_broken) if result.first_broken else None,
        "events_per_s": round(result.events / seconds),
    }


def long_case(n: int = 500):
    """A case with at least n timeline events (appended with record_many once, if none has)."""
    from django.db import connection, transaction
    from django.db.models import Count

    from cases import timeline
    from cases.models import Case, TimelineEvent

    row = (
        TimelineEvent.objects.filter(case__isnull=False, case_id__gte=999_000)
        .values("case_id")
        .annotate(n=Count("id"))
        .filter(n__gte=n)
        .order_by("case_id")
        .first()
    )
    if row is None:
        with connection.cursor() as cur:
            cur.execute("SELECT id FROM cases_case WHERE status = 'investigating' ORDER BY id DESC LIMIT 1")
            case = Case.objects.get(pk=cur.fetchone()[0])
        have = TimelineEvent.objects.filter(case=case).count()
        log(f"P4: appending {n - have} events to case {case.case_no} (record_many)")
        kinds = ("evidence.added", "record.added", "task.claimed", "deadline.warned", "payment.recorded")
        with transaction.atomic():
            timeline.record_many(
                [
                    timeline.Entry(case, kinds[i % len(kinds)], role="", data={"i": i, "note": "基准事件" * 4})
                    for i in range(n - have)
                ]
            )
        return case
    return Case.objects.get(pk=row["case_id"])


def p4_pages(runs: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from cases.models import TimelineEvent

    case = long_case()
    leader = get_user_model().objects.get(username=f"bench.leader1.{case.region.code}")
    client = Client()
    client.force_login(leader)
    out = {"case_no": case.case_no, "events": TimelineEvent.objects.filter(case=case).count()}
    pages = (
        ("case page", f"/cases/{case.case_no}/", None),
        ("case page, proposed deadlines_for", f"/cases/{case.case_no}/", proposed_deadlines_for),
        ("timeline page", f"/cases/{case.case_no}/timeline/", None),
    )
    from cases import deadlines

    for name, url, patch in pages:
        original = deadlines.deadlines_for
        if patch is not None:
            deadlines.deadlines_for = patch
        try:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            lat, stmts = [], []
            for _ in range(runs):
                with sql_log(connection) as sql:
                    t = time.perf_counter()
                    response = client.get(url)
                    lat.append(time.perf_counter() - t)
                stmts.append(len(sql))
        finally:
            deadlines.deadlines_for = original
        out[name] = {**summary_ms(lat, brief=True), "statements": max(stmts), "bytes": len(response.content)}
        log(f"  P4 {name}: {out[name]}")
    return out


def proposed_deadlines_for(*, case=None, complaint=None):
    """cases.deadlines.deadlines_for with the query shape of timeline.for_case (a proposal, measured
    here only: that module is not this work's): the complaints' ids as a literal list instead of
    `complaint__case=case` inside the OR, which made PostgreSQL scan all 2.9M deadlines."""
    from django.db.models import Q

    from cases.models import Complaint, Deadline

    if case is not None:
        ids = list(Complaint.objects.filter(case=case).values_list("pk", flat=True))
        qs = Deadline.objects.filter(Q(case=case) | Q(complaint_id__in=ids))
    elif complaint is not None:
        qs = Deadline.objects.filter(complaint=complaint)
    else:
        raise ValueError("deadlines_for() needs a case or a complaint")
    return qs.select_related("region").order_by("due_at", "id")


def run(ctx) -> dict:
    verify = []
    for jobs in (1, os.cpu_count() or 2):
        verify.append(p4_verify(jobs=jobs))
        log(f"  P4 verify --jobs {jobs}: {verify[-1]}")
    return {"verify": verify, "pages": p4_pages(ctx.args.runs)}
