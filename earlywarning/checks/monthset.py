"""The month's check over a SET of projects (issue 16): what a set-based rule reads and returns.

A set-based rule is `rule(ms: MonthSet) -> list[Found]`: one SQL statement (or a fixed few) over every project
of the set at once, never one per project, so the statements of a run do not grow with the projects. The
set is a queryset of projects (`MonthSet.projects`), embedded in each statement as a subquery
(`MonthSet.in_set("w.project_id")`), never as a list of ids. What every rule needs is loaded up front in a
fixed number of queries: the projects' regions and numbers, their units, and each province's WarningConfig
(one query for all the provinces' rows, the defaults for a province without one).

The per-project path (base.load_month + the rules over MonthData) gives the same findings (the equivalence
test, tests/test_earlywarning_setbased.py); `found_of` turns its Finding into a Found to compare them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import groupby

from django.db import connection
from django.db.models import QuerySet

from cases.models import Party, Region
from projects.models import (
    Attendance,
    LabourCostTransfer,
    PaymentLine,
    Project,
    ProjectUnit,
    WageAccount,
    WageSheetLine,
    Worker,
)

from ..models import WarningConfig
from .base import NAMES_SHOWN, ZERO, Finding

CENT = Decimal("0.01")
# the names of the tables the statements read (the models' own names, never spelled twice)
T = {
    "project": Project._meta.db_table,
    "unit": ProjectUnit._meta.db_table,
    "worker": Worker._meta.db_table,
    "attendance": Attendance._meta.db_table,
    "sheet": WageSheetLine._meta.db_table,
    "payment": PaymentLine._meta.db_table,
    "account": WageAccount._meta.db_table,
    "transfer": LabourCostTransfer._meta.db_table,
    "party": Party._meta.db_table,
}


@dataclass
class Found:
    """One finding of the set-based check: the Finding of base.py with ids instead of objects. `shown` are the
    ids of the workers whose names the evidence lists (`evidence["workers"]`, filled in by MonthSet.name_all
    in one query for the whole run)."""

    project_id: int
    rule: str
    level: str
    unit_id: int | None = None
    monthly: bool = True
    amount: Decimal = ZERO
    workers: int = 0
    evidence: dict = field(default_factory=dict)
    shown: list[int] = field(default_factory=list)

    def key(self) -> tuple:
        return (self.project_id, self.unit_id, self.rule)


def found_of(project_id: int, finding: Finding) -> Found:
    """A per-project Finding as a Found (its evidence's names already filled in)."""
    return Found(
        project_id,
        finding.rule,
        finding.level,
        finding.unit.pk if finding.unit else None,
        finding.monthly,
        finding.amount,
        finding.workers,
        dict(finding.evidence),
    )


@dataclass(frozen=True)
class ProjectRow:
    region_id: int
    region_code: str
    project_no: str
    contract_signed_on: date | None
    start_on: date | None
    notice_board_posted_on: date | None


def dec(value) -> Decimal:
    """A money value from a raw statement (a float on SQLite, a Decimal on PostgreSQL), to the cent."""
    return ZERO if value is None else Decimal(str(value)).quantize(CENT)


def day(value) -> date | None:
    """A date from a raw statement (text on SQLite)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class MonthSet:
    """The month, the day the check runs as of, and the projects of the run with what every rule reads."""

    def __init__(self, projects: QuerySet[Project], month: date, *, today: date) -> None:
        self.month = month
        self.today = today
        self.projects = projects.order_by().values("pk")
        self._sql, self._params = self.projects.query.sql_with_params()
        rows = Project.objects.filter(pk__in=self.projects).values_list(
            "pk",
            "region_id",
            "region__code",
            "project_no",
            "contract_signed_on",
            "start_on",
            "notice_board_posted_on",
        )
        self.info: dict[int, ProjectRow] = {
            pk: ProjectRow(region_id, code, no, signed, start, board)
            for pk, region_id, code, no, signed, start, board in rows
        }
        self.units: dict[int, tuple[int, int, str]] = {}  # unit id → (project id, employer id, role)
        self.general: dict[int, int] = {}  # project id → its general contractor's unit (the first by id)
        for pk, project_id, employer_id, role in (
            ProjectUnit.objects.filter(project_id__in=self.projects)
            .order_by("pk")
            .values_list("pk", "project_id", "employer_id", "role")
        ):
            self.units[pk] = (project_id, employer_id, role)
            if role == ProjectUnit.Role.GENERAL:
                self.general.setdefault(project_id, pk)
        self._configs = _province_configs()
        self._facts = False

    FACTS = "ew_month_facts"

    def facts(self) -> str:
        """The month's facts of every worker of the set who worked, has a wage-sheet line or was paid in the
        month — one row each: attendance days, the sheet's amounts, the payments summed (total, lines, lines
        not through the account, lines not paid on the unit's behalf), no labour contract — written ONCE per
        run into a temporary table (one statement over the big tables: roster, attendance, sheet, payments),
        which each rule's statement then reads. Its name; dropped by close()."""
        if not self._facts:
            where, params = self.in_set("w.project_id")
            where_l, params_l = self.in_set("lw.project_id")
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.FACTS}")
                cursor.execute(
                    f"""CREATE TEMPORARY TABLE {self.FACTS} AS
                    SELECT w.id, w.project_id, w.unit_id, w.person_id,
                           CASE WHEN w.contract_signed_on IS NULL THEN 1 ELSE 0 END AS no_contract,
                           COALESCE(a.days, 0) AS days,
                           CASE WHEN s.id IS NULL THEN 0 ELSE 1 END AS has_sheet,
                           s.amount_net AS net, s.amount_due AS due,
                           p.total AS paid, COALESCE(p.lines, 0) AS lines,
                           COALESCE(p.not_via, 0) AS not_via, COALESCE(p.not_behalf, 0) AS not_behalf
                    FROM {T['worker']} w
                    LEFT JOIN {T['attendance']} a ON a.worker_id = w.id AND a.month = %s
                    LEFT JOIN {T['sheet']} s ON s.worker_id = w.id AND s.month = %s
                    LEFT JOIN (
                        SELECT l.worker_id, SUM(l.amount) AS total, COUNT(*) AS lines,
                               SUM(CASE WHEN l.via_account THEN 0 ELSE 1 END) AS not_via,
                               SUM(CASE WHEN l.on_behalf THEN 0 ELSE 1 END) AS not_behalf
                        FROM {T['payment']} l JOIN {T['worker']} lw ON lw.id = l.worker_id
                        WHERE l.month = %s AND {where_l}
                        GROUP BY l.worker_id
                    ) p ON p.worker_id = w.id
                    WHERE {where} AND (a.days > 0 OR s.id IS NOT NULL OR p.worker_id IS NOT NULL)""",
                    [self.month, self.month, self.month, *params_l, *params],
                )  # fmt: skip
                if connection.vendor == "postgresql":
                    cursor.execute(f"ANALYZE {self.FACTS}")  # the planner's row counts for the rules' joins
            self._facts = True
        return self.FACTS

    def close(self) -> None:
        if self._facts:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.FACTS}")
            self._facts = False

    def in_set(self, column: str) -> tuple[str, list]:
        """`column IN (the set's subquery)` and its parameters."""
        return f"{column} IN ({self._sql})", list(self._params)

    def config(self, project_id: int) -> WarningConfig:
        return self._configs.get(self.info[project_id].region_code[:2]) or self._configs[""]

    def configs(self) -> list[WarningConfig]:
        """The configs the set's projects use (each province once)."""
        return list({id(c): c for c in (self.config(pk) for pk in self.info)}.values()) or [self._configs[""]]

    def rows(self, sql: str, params: Iterable) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return cursor.fetchall()

    def name_all(self, found: list[Found]) -> None:
        """Fill in the names of the workers each finding shows: one query for the whole run."""
        ids = sorted({wid for f in found for wid in f.shown})
        names: dict[int, str] = {}
        if ids and connection.vendor == "postgresql":  # one array parameter, however many workers
            names.update(self.rows(f"SELECT w.id, p.name FROM {T['worker']} w JOIN {T['party']} p"
                                   " ON p.id = w.person_id WHERE w.id = ANY(%s)", [ids]))  # fmt: skip
        else:
            for start in range(0, len(ids), 5000):  # SQLite's limit on a statement's parameters
                chunk = ids[start : start + 5000]
                names.update(Worker.objects.filter(pk__in=chunk).values_list("pk", "person__name"))
        for f in found:
            if f.shown:
                f.evidence["workers"] = [names[wid] for wid in f.shown]
                if "elsewhere" in f.evidence:  # quality.double_paid: (worker id, text) → "name: text"
                    f.evidence["elsewhere"] = [
                        f"{names.get(wid) or ''}：{text}" for wid, text in f.evidence["elsewhere"]
                    ]


def _province_configs() -> dict[str, WarningConfig]:
    """Each province's WarningConfig by the first two digits of its code; "" → the defaults."""
    configs: dict[str, WarningConfig] = {"": WarningConfig()}
    for row in WarningConfig.objects.select_related("province"):
        configs[row.province.code[:2]] = row
    return configs


def by_unit(rows: list[tuple]) -> Iterator[tuple[int, int, list[tuple]]]:
    """Rows (project id, unit id, worker id, …) sorted so → (project id, unit id, the unit's rows)."""
    for (project_id, unit_id), group in groupby(rows, key=lambda r: (r[0], r[1])):
        yield project_id, unit_id, list(group)


def shown(rows: list[tuple]) -> list[int]:
    """The worker ids (third column) the evidence names: the first NAMES_SHOWN by id, as base.names()."""
    return [r[2] for r in rows[:NAMES_SHOWN]]


def region_objects(ids: Iterable[int]) -> dict[int, Region]:
    return Region.objects.in_bulk(sorted(set(ids)))
