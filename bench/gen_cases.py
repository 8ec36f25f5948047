"""bench.generate's case generator: the rows of one case (complaints, parties, events) at a time."""

from __future__ import annotations

import bisect
import random
from datetime import datetime, timedelta

from bench.gen_copy import TABLES
from bench.gen_draws import _Draws
from bench.gen_values import (
    BEIJING,
    CHANNEL_WEIGHTS,
    CITY_SHARE,
    COUNTY_SHARE,
    PROACTIVE_ORIGINS,
    PROVINCE_SHARE,
    SUSPEND_REASONS,
    UTC,
    WITHDRAW_REASONS,
    WORKDAY_SECONDS,
    ZIPF_EXPONENT,
    _cumulative,
    _evidence,
    _weighted,
    money,
    working_days,
)


class _Generator(_Draws):
    def __init__(self, *, cases: int, seed: int, now: datetime, regions, bases: dict[str, int], sequences: dict):
        from cases.services import case_number_format, employer_name_key
        from cases.timeline import GENESIS, compute_hash

        self.total = cases
        self.rng = random.Random(seed)
        self.now = now
        self.case_number_format = case_number_format
        self.employer_name_key = employer_name_key
        self.compute_hash = compute_hash
        self.genesis = GENESIS
        self.next_id = dict(bases)  # table -> next id
        self.sequences = sequences  # (region_id, year, kind) -> last number issued
        self.days = working_days((now.astimezone(BEIJING) - timedelta(days=1)).date())
        self.day_starts = [datetime(d.year, d.month, d.day, 8, 30, tzinfo=BEIJING).astimezone(UTC) for d in self.days]
        self.span = len(self.days) * WORKDAY_SECONDS

        rng = self.rng
        self.by_id = {r.pk: r for r in regions}
        counties = [r for r in regions if r.level == "county"]
        cities = [r for r in regions if r.level == "city"]
        province = [r for r in regions if r.level == "province"]
        rng.shuffle(counties)
        county_w = {r.pk: 1.0 / (rank + 1) ** ZIPF_EXPONENT for rank, r in enumerate(counties)}
        county_total = sum(county_w.values())
        city_w = {c.pk: sum(w for pk, w in county_w.items() if self.by_id[pk].path.startswith(c.path)) for c in cities}
        city_total = sum(city_w.values()) or 1.0
        weights = [(pk, COUNTY_SHARE * w / county_total) for pk, w in county_w.items()]
        weights += [(pk, CITY_SHARE * w / city_total) for pk, w in city_w.items()]
        weights += [(r.pk, PROVINCE_SHARE) for r in province]
        self.region_ids, cum, acc = [], [], 0.0
        for pk, w in weights:
            acc += w
            self.region_ids.append(pk)
            cum.append(acc)
        self.region_cum = [c / acc for c in cum]
        self.expected_share = {pk: w / acc for pk, w in weights}
        # Where each region's employers and projects are: (id, name, uscc, government_invested) pools.
        self.employers: dict[int, list[tuple[int, str]]] = {pk: [] for pk in self.by_id}
        self.projects: dict[int, list[tuple[int, str, bool]]] = {pk: [] for pk in self.by_id}
        self.native_counties = [r.code for r in counties]
        self.channels = [c for c, _ in CHANNEL_WEIGHTS]
        self.channel_cum = _cumulative(w for _, w in CHANNEL_WEIGHTS)
        self.rows: dict[str, list[tuple]] = {t: [] for t in TABLES}
        self.done = 0

    # ids and numbers

    def _complaint(
        self,
        *,
        region,
        at: datetime,
        employer: tuple[int, str],
        project,
        case_id,
        status: str,
        workers: int,
        cents: int,
        case_no: str = "",
        filed_at: datetime | None = None,
    ) -> tuple[int, str, int]:
        """One complaint and its own chain: received, then accepted (-> case_no) or another decision."""
        rng = self.rng
        year = at.astimezone(BEIJING).year
        receipt_no = f"T{region.code}{year % 100:02d}{self._number(region.pk, year, 'receipt'):06d}"
        channel = self.channels[bisect.bisect(self.channel_cum, rng.random())]
        party, complainant_key = self._party(at)
        local_day = at.astimezone(BEIJING).date()
        stale = rng.random() < 0.01  # wages owed for more than two years: flagged
        period_end = local_day - timedelta(days=rng.randrange(740, 1100) if stale else rng.randrange(0, 120))
        period_start = period_end - timedelta(days=rng.randrange(30, 400))
        where = project[1] if project else region.name
        description = (
            f"{workers}名工人在{where}务工，{employer[1]}拖欠{period_start:%Y年%m月}至{period_end:%Y年%m月}"
            f"工资共计{money(cents)}元，多次讨要未果。"
        )
        u = rng.random()
        route_basis = "project_address" if project and u < 0.5 else "employer_address" if u > 0.9 else "region_code"
        by_staff = channel in ("hotline_12333", "walk_in", "letter", "transfer_12345")
        actor = self._staff("clerk", region) if by_staff else "system"
        events = [
            (
                at,
                actor,
                "",
                "",
                "complaint.received",
                {"receipt_no": receipt_no, "channel": channel, "region": region.code},
            )
        ]
        clerk = self._staff("clerk", region)
        handling, reason, decided_at = region, "", None
        if case_id is not None:
            decided_at = filed_at
            events.append((filed_at, clerk, "clerk", region.code, "complaint.accepted", {"case_no": case_no}))
        elif status != "received":
            decided_at = at + timedelta(days=rng.uniform(0.5, 5))
            if status == "refused":
                reason = "不属于劳动保障监察管辖范围" if rng.random() < 0.5 else "已由人民法院受理"
                kind, data = "complaint.refused", {"reason": reason}
            elif status == "supplement_requested":
                reason = "请补充欠薪期间和用工项目名称"
                kind, data = "complaint.supplement_requested", {"reason": reason}
            else:  # transferred to the competent county: it now holds the complaint
                handling, reason = self._county(), "用工所在地不在本辖区"
                kind, data = "complaint.transferred", {"from": region.code, "to": handling.code, "reason": reason}
            decided_at = min(decided_at, self.now - timedelta(minutes=5))
            events.append((decided_at, clerk, "clerk", region.code, kind, data))
        pk = self._id("cases_complaint")
        self.rows["cases_complaint"].append(
            (
                pk,
                receipt_no,
                channel,
                workers,
                money(cents),
                period_start,
                period_end,
                description,
                status,
                at,
                case_id,
                employer[0],
                party,
                project[0] if project else None,
                handling.pk,
                complainant_key,
                route_basis,
                None,
                stale,
                reason,
                decided_at,
                None,
                None,
                "",
            )
        )
        self._chain(case_id=None, complaint_id=pk, events=events)
        return pk, receipt_no, party

    def case(self, i: int) -> None:
        rng = self.rng
        region = self._region()
        filed_at = self._filed_at(i)
        year = filed_at.astimezone(BEIJING).year
        age = (self.now - filed_at).total_seconds() / 86400
        status = self._status(age)
        case_id = self._id("cases_case")
        case_no = self.case_number_format(region, year, self._number(region.pk, year, "case"))
        employer = self._employer(region, filed_at)
        project = self._project(region, filed_at)
        complaint_status = {"filed": "accepted", "closed": "closed", "withdrawn": "closed"}.get(status, "investigating")

        if rng.random() < 0.88:
            origin = "complaint"
            u = rng.random()
            n = 1 if u < 0.82 else 2 if u < 0.94 else rng.randint(3, 5) if u < 0.98 else rng.randint(6, 15)
        else:
            origin = _weighted(rng, PROACTIVE_ORIGINS)
            n = 0
        workers = cents = 0
        receipts, complaints = [], []
        for _ in range(n):
            w = self._workers()
            c = self._amount_cents(w)
            received = filed_at - timedelta(seconds=rng.uniform(1800, 6 * 86400))
            complaints.append(
                self._complaint(
                    region=region,
                    at=received,
                    employer=employer,
                    project=project,
                    case_id=case_id,
                    status=complaint_status,
                    workers=w,
                    cents=c,
                    case_no=case_no,
                    filed_at=filed_at,
                )
            )
            receipts.append(complaints[-1][1])
            workers, cents = workers + w, cents + c
        if origin != "complaint":
            workers = self._workers()
            cents = self._amount_cents(workers)

        caseparty = self.rows["cases_caseparty"]
        for complaint_id, _, party in complaints:
            caseparty.append((self._id("cases_caseparty"), "complainant", case_id, complaint_id, party))
        if rng.random() < 0.25 or origin != "complaint":
            caseparty.append((self._id("cases_caseparty"), "responsible", case_id, None, self._party(filed_at)[0]))

        # The case's chain: filed, then what its status implies, inside [filed_at, now).
        leader, code = self._staff("leader", region), region.code
        inspectors = [f"inspector{k}@{code}" for k in sorted(rng.sample(range(1, 7), 2))]
        filer = (self._staff("clerk", region), "clerk") if origin == "complaint" else (leader, "leader")
        steps: list[tuple[str, str, str, dict]] = [
            ("investigation.assigned", leader, "leader", {"inspectors": inspectors})
        ]
        first, second = inspectors
        served = ("document.served", second, "inspector", {"document": "order_to_pay", "method": "direct"})
        paid = 0
        if status == "investigating" and rng.random() < 0.5:
            steps.append(("evidence.added", inspectors[0], "inspector", _evidence(rng)))
        elif status == "suspended":
            steps.append(("investigation.suspended", first, "inspector", {"reason": rng.choice(SUSPEND_REASONS)}))
        elif status == "deciding":
            steps.append(("evidence.added", inspectors[0], "inspector", _evidence(rng)))
            steps.append(("investigation.ended", inspectors[0], "inspector", {"finding": "violation"}))
        elif status == "enforcing":
            steps.append(served)
            if rng.random() < 0.4:
                paid = int(cents * rng.uniform(0.3, 0.9))
                steps.append(("payment.recorded", inspectors[1], "inspector", {"amount": money(paid)}))
        elif status == "closed":
            paid = cents if rng.random() < 0.92 else int(cents * rng.uniform(0.5, 0.99))
            if paid < cents or rng.random() < 0.4:  # not paid in full without an order: never
                steps.append(served)
            closing = {"closure": "paid" if paid == cents else "partly_paid", "amount_paid": money(paid)}
            steps.append(("case.closed", leader, "leader", closing))
        elif status == "withdrawn":
            steps.append(("case.withdrawn", leader, "leader", {"reason": rng.choice(WITHDRAW_REASONS)}))
        if status == "filed":
            steps = []
        if status in ("closed", "withdrawn"):
            duration = min(age * 0.95, max(2.0, rng.lognormvariate(3.8, 0.6)))  # median ~45 days
        else:
            duration = age * rng.uniform(0.2, 0.95)
        offsets = sorted(rng.random() for _ in steps)
        events = [
            (
                filed_at,
                filer[0],
                filer[1],
                code,
                "case.filed",
                {"case_no": case_no, "complaints": receipts, "origin": origin},
            )
        ]
        for (kind, actor, role, data), f in zip(steps, offsets):
            events.append((filed_at + timedelta(days=duration * (0.05 + 0.95 * f)), actor, role, code, kind, data))
        closed_at = events[-1][0] if status in ("closed", "withdrawn") else None
        self._chain(case_id=case_id, complaint_id=None, events=events)

        # The decision and the closure (SPEC §4.2 steps 4-5).
        served_at = next((e[0] for e in events if e[4] == "document.served"), None)
        decision = "withdraw" if status == "withdrawn" else ""
        order_due = penalty = rate = None
        unpaid_after_order = False
        if served_at is not None:
            decision = "order_to_pay" if rng.random() < 0.9 else "order_to_correct"
            order_due = (served_at + timedelta(days=15)).astimezone(BEIJING).date()
            unpaid_after_order = status == "enforcing" and order_due < self.now.date() and paid < cents
            if unpaid_after_order and rng.random() < 0.5:
                rate = rng.choice((50, 60, 80, 100))
        closure = satisfaction = ""
        if status == "closed":
            closure = "paid_in_full" if paid == cents else rng.choice(("court_enforcement", "penalty_executed"))
            if closure == "penalty_executed":
                decision, penalty = "penalty", money(rng.choice((2000, 5000, 10000, 20000, 50000)) * 100)
            if origin == "complaint":
                u = rng.random()
                satisfaction = (
                    "satisfied"
                    if u < 0.7
                    else "basically"
                    if u < 0.9
                    else "dissatisfied"
                    if u < 0.95
                    else "unreachable"
                )
        elif status == "withdrawn":
            closure = "withdrawn"

        gov = bool(project and project[2])
        self.rows["cases_case"].append(
            (
                case_id,
                case_no,
                origin,
                status,
                filed_at,
                closed_at,
                workers,
                money(cents),
                money(paid),
                workers >= 30 and rng.random() < 0.5,
                rng.random() < 0.01,
                rng.random() < 0.02,
                gov,
                employer[0],
                project[0] if project else None,
                region.pk,
                decision,
                order_due,
                penalty,
                rate,
                unpaid_after_order,
                closure,
                satisfaction,
            )
        )

        # ~8 % of complaints are never filed (yet): received, supplement requested, refused, transferred.
        if rng.random() < 0.08:
            other = self._region() if rng.random() < 0.5 else region
            at = filed_at - timedelta(seconds=rng.uniform(0, 3 * 86400))
            if (self.now - at).days < 10:
                st = "received" if rng.random() < 0.7 else "supplement_requested"
            else:
                st = "refused" if rng.random() < 0.6 else "transferred"
            w = self._workers()
            self._complaint(
                region=other,
                at=at,
                employer=self._employer(other, at),
                project=self._project(other, at),
                case_id=None,
                status=st,
                workers=w,
                cents=self._amount_cents(w),
            )
        self.done += 1

    def take_rows(self) -> dict[str, list[tuple]]:
        rows, self.rows = self.rows, {t: [] for t in TABLES}
        return rows
