"""The bench database's data and users for the measures: generated when missing, the users of every kind,
complaints submitted to act on (P2@1M, P7)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bench.common import log


def ensure_data(progress=log) -> dict:
    from django.db import connection

    from bench import generate, generate_tasks

    out = {}
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_case")
        cases = cur.fetchone()[0]
    if cases == 0:
        progress("no cases: generating 1,000,000 (bench.generate)")
        out["cases"] = generate.generate(1_000_000, progress=progress)
    with connection.cursor() as cur:
        cur.execute("SELECT EXISTS (SELECT 1 FROM viewflow_task)")
        have_tasks = cur.fetchone()[0]
    if not have_tasks:
        progress("no tasks: generating the workflow data (bench.generate --tasks)")
        out["tasks"] = generate_tasks.generate_tasks(progress=progress)
    out["shape"] = generate_tasks.describe()
    return out


def busiest_county():
    from django.db.models import Count

    from cases.models import Case, Region

    top = Case.objects.filter(region__level="county").values("region_id").annotate(n=Count("id")).order_by("-n").first()
    return Region.objects.get(pk=top["region_id"])


def bench_users() -> dict:
    """label -> (user id, description): one user of every kind, from the generated staff."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from viewflow.workflow.models import Task

    from cases.models import CaseUserObjectPermission, Region, StaffRole

    User = get_user_model()
    county = busiest_county()
    city = Region.objects.get(pk=county.parent_id)

    def one(username):
        return User.objects.get(username=username).pk

    inspectors = StaffRole.objects.filter(role="inspector", region=county, user__username__startswith="bench.")
    busiest = (
        Task.objects.filter(status="ASSIGNED", owner_id__in=inspectors.values("user_id"))
        .values("owner_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    heavy = one("bench.heavy.360000")
    grants = CaseUserObjectPermission.objects.filter(user_id=heavy).count()
    done_owned = Task.objects.filter(owner_id=busiest["owner_id"]).count()
    return {
        "county inspector": (
            busiest["owner_id"],
            f"{county.code}, busiest inspector: {busiest['n']} open assigned tasks, {done_owned} tasks owned in all",
        ),
        "county clerk": (one(f"bench.clerk1.{county.code}"), f"{county.code} (intake queue)"),
        "county leader": (one(f"bench.leader1.{county.code}"), f"{county.code} (approval queue)"),
        "city leader": (one(f"bench.leader1.{city.code}"), f"{city.code} subtree"),
        "province leader": (one("bench.leader1.360000"), "360000 subtree: all 1M cases"),
        "heavy exceptions": (heavy, f"inspector 360000 with {grants} per-case guardian grants"),
    }


# ---------------------------------------------------------------------------------------------
# Complaints to act on (P2@1M, P7)
# ---------------------------------------------------------------------------------------------


def _body(rng: random.Random, county, tag: str, i: int) -> dict:
    from bench.gen_values import GIVEN, SURNAMES
    from bench.ids import USCC_CHARS, org_code, resident_id, uscc_code

    born = date(1970, 1, 1) + timedelta(days=rng.randrange(12000))
    first17 = f"{county.code}{born:%Y%m%d}{rng.randrange(1000):03d}"
    org = "MA" + "".join(rng.choice(USCC_CHARS) for _ in range(6))
    end = date.today() - timedelta(days=rng.randrange(10, 200))
    workers = rng.choice([1, 1, 2, 3, 5, 12])
    amount = workers * rng.randrange(3000, 15000)
    return {
        "channel": "web",
        "complainant": {
            "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "id_number": resident_id(first17),
            "phone": f"139{rng.randrange(10**8):08d}",
        },
        "employer": {
            "name": f"{county.name}基准{tag}{i}号建筑劳务有限公司",
            "uscc": uscc_code(f"91{county.code}{org_code(org)}"),
            "address": f"{county.name}建设路{rng.randrange(1, 300)}号",
        },
        "project": {"name": f"{county.name}基准{tag}{i}号安置房项目", "address": f"{county.name}人民路{i}号"},
        "region_code": county.code,
        "workers_count": workers,
        "amount_owed": f"{amount}.00",
        "period_start": (end - timedelta(days=120)).isoformat(),
        "period_end": end.isoformat(),
        "description": f"{workers}名工人被拖欠工资共计{amount}元，多次讨要未果。",
    }


def prepare_tasks(n: int, *, tag: str, claim: bool) -> tuple[int, list[int]]:
    """Submit n complaints to the busiest county (cases.intake → IntakeFlow); return (clerk id,
    acceptance task ids), claimed by the clerk when `claim`."""
    from django.contrib.auth import get_user_model
    from viewflow.workflow.models import Task

    from cases import intake
    from workflows import selectors, services

    county = busiest_county()
    clerk = get_user_model().objects.get(username=f"bench.clerk1.{county.code}")
    rng = random.Random(tag)
    ids = []
    for i in range(n):
        clean = intake.complaint_validate(_body(rng, county, tag, i))
        complaint, _ = services.intake_submit(
            actor=None, clean=clean, channel="web", idempotency_key=f"bench-run:{tag}:{i}"
        )
        task_id = (
            Task.objects.filter(process__caseprocess__complaint=complaint, flow_task_type="HUMAN", status="NEW")
            .values_list("pk", flat=True)
            .get()
        )
        if claim:
            user = get_user_model().objects.get(pk=clerk.pk)
            services.task_assign(task=selectors.task_for_user(user, task_id), actor=user)
        ids.append(task_id)
    return clerk.pk, ids


def decision_for(i: int) -> dict:
    return {"decision": "accept"} if i % 2 == 0 else {"decision": "refuse", "reason": "不属于劳动保障监察管辖范围"}
