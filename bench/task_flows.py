"""bench.generate --tasks: the workflow history of one case or complaint, the per-case exceptions, the
heavy user's grants and the padding deadlines."""

from __future__ import annotations

import bisect
from datetime import datetime, timedelta

from bench.task_rows import HEAVY_GRANTS, INTAKE, INVESTIGATION, PADDING_KINDS, _TaskRows


class _TaskGenerator(_TaskRows):
    def case(self, case_id, status, region_id, filed_at, closed_at):
        rng, now, F = self.rng, self.now, INVESTIGATION
        self.case_regions[case_id] = region_id
        leader = self.staff["leader"][region_id][0]
        inspectors = self.staff["inspector"][region_id]
        pair = rng.sample(inspectors, 2) if len(inspectors) >= 2 else inspectors * 2
        end = closed_at or now
        span = max((end - filed_at).total_seconds(), 3600.0)

        def at(share: float) -> datetime:
            return filed_at + timedelta(seconds=span * share)

        done = status in ("closed", "withdrawn")
        pid = self._process(
            F,
            "DONE" if done else "NEW",
            filed_at,
            closed_at if done else None,
            case_id=case_id,
            region_id=region_id,
            decision="",
        )
        self._task(pid, F, "start", "START", "DONE", filed_at, finished=filed_at)
        t_assign = at(0.05)
        if status == "filed":
            task = self._human_open(
                pid, F, "assign_inspectors", "zhiqian.approve", leader, filed_at, assigned_share=0.3
            )
            self._deadline(
                "investigation.complete",
                start_at=filed_at,
                state="running",
                case_id=case_id,
                region_id=region_id,
                task_id=task,
            )
            self.open_case_ids.append(case_id)
            return
        self._human_done(pid, F, "assign_inspectors", "zhiqian.approve", leader, filed_at, t_assign)
        if not done:
            self.open_case_ids.append(case_id)
            for inspector in pair:
                self.rows["cases_caseinspector"].append(
                    (self._id("cases_caseinspector"), t_assign, True, True, leader, case_id, inspector)
                )
        inv = "zhiqian.investigate"
        if status in ("investigating", "suspended"):
            task = self._human_open(
                pid, F, "investigate", inv, pair[0], t_assign, assigned_share=1.0 if status == "suspended" else 0.85
            )
            self._deadline(
                "investigation.complete",
                start_at=filed_at,
                state="paused" if status == "suspended" else "running",
                case_id=case_id,
                region_id=region_id,
                task_id=task,
            )
            return
        t_inv = at(0.5)
        self._human_done(pid, F, "investigate", inv, pair[0], t_assign, t_inv)
        late = rng.random() < 0.08
        self._deadline(
            "investigation.complete",
            start_at=filed_at,
            state="closed_late" if late else "met",
            case_id=case_id,
            region_id=region_id,
            closed_at=t_inv,
        )
        if status == "deciding":
            task = self._human_open(pid, F, "decide", inv, pair[0], t_inv, assigned_share=0.85)
            self._deadline(
                "investigation.decide",
                start_at=t_inv,
                state="running",
                case_id=case_id,
                region_id=region_id,
                task_id=task,
            )
            return
        t_dec = at(0.7)
        self._human_done(pid, F, "decide", inv, pair[0], t_inv, t_dec)
        self._deadline(
            "investigation.decide", start_at=t_inv, state="met", case_id=case_id, region_id=region_id, closed_at=t_dec
        )
        if status == "enforcing":
            self._task(pid, F, "route_decision", "SWITCH", "DONE", t_dec, finished=t_dec)
            t_served = at(0.8)
            self._human_done(pid, F, "serve", inv, pair[1], t_dec, t_served)
            self._task(pid, F, "wait_order", "TIMER", "DONE", t_served, finished=at(0.9), scheduled=at(0.9))
            self._human_open(pid, F, "verify", inv, pair[1], at(0.9), assigned_share=0.85)
            return
        self._task(pid, F, "withdrawn" if status == "withdrawn" else "closed", "END", "DONE", end, finished=end)

    def complaint(self, complaint_id, status, region_id, received_at, decided_at):
        rng, now, F = self.rng, self.now, INTAKE
        clerks = self.staff["clerk"][region_id]
        clerk = rng.choice(clerks)
        open_ = status in ("received", "supplement_requested")
        pid = self._process(
            F,
            "NEW" if open_ else "DONE",
            received_at,
            None if open_ else decided_at,
            complaint_id=complaint_id,
            region_id=region_id,
            decision={"refused": "refuse", "transferred": "transfer"}.get(status, ""),
        )
        self._task(pid, F, "start", "START", "DONE", received_at, finished=received_at)
        perm = "zhiqian.intake"
        if status == "received":
            task = self._human_open(pid, F, "acceptance", perm, clerk, received_at, assigned_share=0.3)
            self._deadline(
                "intake.acceptance",
                start_at=received_at,
                state="running",
                complaint_id=complaint_id,
                region_id=region_id,
                task_id=task,
            )
            return
        decided = decided_at or min(received_at + timedelta(days=2), now - timedelta(hours=1))
        self._human_done(pid, F, "acceptance", perm, clerk, received_at, decided)
        self._task(pid, F, "route", "SWITCH", "DONE", decided, finished=decided)
        if status == "supplement_requested":
            task = self._human_open(pid, F, "supplement", perm, clerk, decided, assigned_share=0.0)
            self._deadline(
                "intake.acceptance",
                start_at=received_at,
                state="paused",
                complaint_id=complaint_id,
                region_id=region_id,
                task_id=task,
            )
            return
        self._task(pid, F, "refused", "END", "DONE", decided, finished=decided)
        self._deadline(
            "intake.acceptance",
            start_at=received_at,
            state="met" if status == "refused" else "cancelled",
            complaint_id=complaint_id,
            region_id=region_id,
            closed_at=decided,
        )

    # --- exceptions and padding ---------------------------------------------------------------

    def exceptions(self, neighbours: dict[int, list[int]]):
        rng = self.rng
        assist, supervise = self.perms["assist_case"], self.perms["supervise_case"]
        seen = set()
        for case_id in self.open_case_ids:
            region_id = self.case_regions[case_id]
            u = rng.random()
            if u < 0.01:
                other = rng.choice(neighbours.get(region_id) or [region_id])
                inspector = rng.choice(self.staff["inspector"][other])
                if (inspector, case_id) not in seen:
                    seen.add((inspector, case_id))
                    self.rows["cases_caseuserobjectpermission"].append(
                        (self._id("cases_caseuserobjectpermission"), case_id, assist, inspector)
                    )
            elif u < 0.03:
                region = self.regions[region_id]
                city = region.parent_id if region.level == "county" else None
                if city in self.groups:
                    self.rows["cases_casegroupobjectpermission"].append(
                        (self._id("cases_casegroupobjectpermission"), case_id, self.groups[city], supervise)
                    )

    def heavy(self, all_case_ids: list[int]):
        for case_id in sorted(self.rng.sample(all_case_ids, min(HEAVY_GRANTS, len(all_case_ids)))):
            self.rows["cases_caseuserobjectpermission"].append(
                (self._id("cases_caseuserobjectpermission"), case_id, self.perms["assist_case"], self.staff["heavy"])
            )

    def padding(self, count: int, all_case_ids: list[int], chunk: int, put):
        rng, now = self.rng, self.now
        kinds = [k for k, _ in PADDING_KINDS]
        cum, acc = [], 0
        for _, w in PADDING_KINDS:
            acc += w
            cum.append(acc)
        for i in range(count):
            case_id = rng.choice(all_case_ids)
            kind = kinds[bisect.bisect(cum, rng.random() * acc)]
            start_at = now - timedelta(days=rng.uniform(0, 20))
            due_at = now + timedelta(seconds=rng.uniform(3600, 90 * 86400))
            self._deadline(
                kind,
                start_at=start_at,
                state="running",
                case_id=case_id,
                region_id=self.case_regions[case_id],
                padding=True,
                due_at=due_at,
            )
            if (i + 1) % chunk == 0:
                put(self.take_rows())
