"""The per-row draws of bench.generate's case generator (a mixin of gen_cases._Generator: ids, office
numbers, people, employers, projects, sizes, dates, statuses, hash chains)."""

from __future__ import annotations

import bisect
import json
from datetime import date, datetime, timedelta

from bench.gen_values import (
    FIRM_KINDS,
    FIRM_WORDS,
    GIVEN,
    OTHER_PROVINCE_COUNTIES,
    PHASES,
    PLACES,
    PROJECT_KINDS,
    ROADS,
    SURNAMES,
    WORKDAY_SECONDS,
    _Event,
    _personal_data,
)
from bench.ids import USCC_CHARS, org_code, resident_id, uscc_code


class _Draws:
    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def _number(self, region_id: int, year: int, kind: str) -> int:
        key = (region_id, year, kind)
        n = self.sequences.get(key, 0) + 1
        self.sequences[key] = n
        return n

    # values

    def _name(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    def _party(self, at: datetime) -> tuple[int, str]:
        rng = self.rng
        home = rng.choice(self.native_counties) if rng.random() < 0.75 else rng.choice(OTHER_PROVINCE_COUNTIES)
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(16000))
        first17 = f"{home}{born:%Y%m%d}{rng.randrange(1000):03d}"
        phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        pk, id_number = self._id("cases_party"), resident_id(first17)
        # encrypted at rest, with blind indexes (docs/personal-data.md); the index is the complainant_key
        seal_id, seal_phone, index = _personal_data()
        id_index = index("id", id_number)
        self.rows["cases_party"].append(
            (pk, self._name(), seal_id(id_number), seal_phone(phone), at, id_index, index("phone", phone))
        )
        return pk, id_index

    def _employer(self, region, at: datetime) -> tuple[int, str]:
        rng = self.rng
        pool = self.employers[region.pk]
        if pool and rng.random() < 0.4:  # repeat offenders
            return pool[int(len(pool) * rng.random() ** 2)] if rng.random() < 0.5 else rng.choice(pool)
        city = self.by_id.get(region.parent_id) if region.level == "county" else region
        prefix = (city.name if city else region.name).removesuffix("市").removesuffix("省")
        name = f"{prefix}{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_KINDS)}"
        if rng.random() < 0.95:
            org = "MA" + "".join(rng.choice(USCC_CHARS) for _ in range(6))
            uscc = uscc_code(f"91{region.code}{org_code(org)}")
        else:
            uscc = ""  # missing: grouped by normalised name
        pk = self._id("cases_employer")
        address = f"{region.name}{rng.choice(ROADS)}{rng.randrange(1, 999)}号"
        self.rows["cases_employer"].append(
            (pk, name, self.employer_name_key(name), uscc, "", address, self._name(), at, region.pk)
        )
        pool.append((pk, name))
        if len(pool) > 300:
            del pool[: len(pool) - 300]
        return pk, name

    def _project(self, region, at: datetime) -> tuple[int, str, bool] | None:
        rng = self.rng
        if rng.random() < 0.15:
            return None
        pool = self.projects[region.pk]
        if pool and rng.random() < 0.35:
            return rng.choice(pool)
        name = f"{region.name}{rng.choice(PLACES)}{rng.choice(PROJECT_KINDS)}{rng.choice(PHASES)}"
        gov = rng.random() < 0.25
        contractor = f"{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_KINDS)}"
        pk = self._id("cases_project")
        address = f"{region.name}{rng.choice(PLACES)}{rng.choice(ROADS)}"
        self.rows["cases_project"].append((pk, name, address, contractor, gov, at, region.pk))
        project = (pk, name, gov)
        pool.append(project)
        if len(pool) > 300:
            del pool[: len(pool) - 300]
        return project

    def _workers(self) -> int:
        u = self.rng.random()
        if u < 0.70:
            return 1
        if u < 0.90:
            return self.rng.randint(2, 9)
        if u < 0.98:
            return self.rng.randint(10, 49)
        return self.rng.randint(50, 300)

    def _amount_cents(self, workers: int) -> int:
        per_worker = min(max(self.rng.lognormvariate(9.4, 0.7), 800.0), 150000.0)  # median ~12,000 yuan
        cents = int(per_worker * workers * 100)
        return cents - cents % 100 if self.rng.random() < 0.6 else cents  # often whole yuan

    def _region(self):
        return self.by_id[self.region_ids[bisect.bisect(self.region_cum, self.rng.random())]]

    def _county(self):
        region = self._region()
        while region.level != "county":
            region = self._region()
        return region

    def _filed_at(self, i: int) -> datetime:
        # Stratified over the working seconds since START_DAY: case ids follow filing time.
        pos = (i + self.rng.random()) / self.total * self.span
        day = int(pos // WORKDAY_SECONDS)
        return self.day_starts[day] + timedelta(seconds=pos - day * WORKDAY_SECONDS)

    def _status(self, age_days: float) -> str:
        u = self.rng.random()
        if age_days > 365:
            table = (("closed", 0.86), ("withdrawn", 0.08), ("suspended", 0.03), ("enforcing", 0.03))
        elif age_days > 90:
            table = (
                ("closed", 0.55),
                ("withdrawn", 0.07),
                ("enforcing", 0.15),
                ("deciding", 0.08),
                ("suspended", 0.05),
                ("investigating", 0.10),
            )
        elif age_days > 7:
            table = (
                ("filed", 0.05),
                ("investigating", 0.50),
                ("deciding", 0.15),
                ("enforcing", 0.10),
                ("suspended", 0.05),
                ("closed", 0.12),
                ("withdrawn", 0.03),
            )
        else:
            table = (("filed", 0.60), ("investigating", 0.40))
        for status, p in table:
            u -= p
            if u < 0:
                return status
        return table[-1][0]

    # timeline

    def _chain(self, *, case_id: int | None, complaint_id: int | None, events) -> None:
        """events: (at, actor_name, role, region_code, kind, data); appends the hashed rows."""
        rows = self.rows["cases_timelineevent"]
        ev = _Event()
        ev.case_id, ev.complaint_id, ev.actor_id = case_id, complaint_id, None
        prev = self.genesis
        for seq, (at, actor_name, role, region_code, kind, data) in enumerate(events, 1):
            ev.seq, ev.at, ev.actor_name, ev.actor_role, ev.actor_region = seq, at, actor_name, role, region_code
            ev.kind, ev.data, ev.prev_hash = kind, data, prev
            digest = self.compute_hash(ev)
            rows.append(
                (
                    self._id("cases_timelineevent"),
                    seq,
                    at,
                    actor_name,
                    role,
                    region_code,
                    kind,
                    json.dumps(data, ensure_ascii=False),
                    prev,
                    digest,
                    None,
                    case_id,
                    complaint_id,
                )
            )
            prev = digest

    def _staff(self, role: str, region) -> str:
        return f"{role}{self.rng.randint(1, 4)}@{region.code}"

    # one complaint, one case
