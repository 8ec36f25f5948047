"""Data quality of the real-name records (实名制, WPR art. 28: the labour contract is signed and the worker
registered before he enters the site), each in its per-project form (over MonthData) and its set-based form
(one statement over the month's project set):

- contract_missing: a rostered worker with attendance in the month and no labour-contract date (劳动合同签订
  日期); yellow, orange when the unit's number of such workers reaches the province's
  `contract_missing_orange_workers` (default 10);
- double_paid: a worker (the same person) paid on this project and on another one in the same month: both
  projects and the amounts in the evidence; yellow, orange when the unit's number of such workers reaches
  the province's `double_paid_orange_workers` (default 5). A worker may have worked on two sites in a month;
  the signal asks the inspector to look (a payroll padded with names, or a worker's wages booked twice)."""

from __future__ import annotations

from decimal import Decimal

from ..models import Signal
from ..rules import CONTRACT_MISSING, DOUBLE_PAID
from .base import NAMES_SHOWN, ZERO, Finding, MonthData, money, names
from .monthset import Found, MonthSet, T, by_unit, dec, shown
from .setrules import _attended_sql

LEVEL = Signal.Level


def _level(n: int, orange_at: int) -> str:
    return LEVEL.ORANGE if n >= orange_at else LEVEL.YELLOW


def _elsewhere_text(here: Decimal, project_no: str, there: Decimal) -> str:
    return f"本项目{money(here)}元，项目{project_no}{money(there)}元"


# --- contract_missing ---


def contract_missing(data: MonthData) -> list[Finding]:
    out = []
    for unit_id, unit in data.units.items():
        attended = data.attended(unit_id)
        missing = [w for w in attended if w.contract_signed_on is None]
        if missing:
            level = _level(len(missing), data.config.contract_missing_orange_workers)
            out.append(
                Finding(
                    CONTRACT_MISSING.code,
                    level,
                    unit=unit,
                    workers=len(missing),
                    evidence={"workers": names(missing), "attended": len(attended)},
                )
            )
    return out


def contract_missing_many(ms: MonthSet) -> list[Found]:
    out = []
    for project_id, unit_id, rows in by_unit(ms.rows(_attended_sql(ms, "f.no_contract = 1"), [])):
        level = _level(len(rows), ms.config(project_id).contract_missing_orange_workers)
        out.append(
            Found(
                project_id,
                CONTRACT_MISSING.code,
                level,
                unit_id,
                workers=len(rows),
                evidence={"attended": rows[0][3]},
                shown=shown(rows),
            )
        )
    return out


# --- double_paid ---


def double_paid(data: MonthData) -> list[Finding]:
    out = []
    for unit_id, unit in data.units.items():
        twice = [w for w in data.unit_workers(unit_id) if w.pk in data.paid and data.elsewhere.get(w.pk)]
        if not twice:
            continue
        here = sum((data.paid[w.pk].total for w in twice), ZERO)
        pairs = [
            f"{w.person.name}：{_elsewhere_text(data.paid[w.pk].total, no, amount)}"
            for w in twice
            for no, amount in data.elsewhere[w.pk]
        ][:NAMES_SHOWN]
        out.append(
            Finding(
                DOUBLE_PAID.code,
                _level(len(twice), data.config.double_paid_orange_workers),
                unit=unit,
                amount=here,
                workers=len(twice),
                evidence={"workers": names(twice), "paid": money(here), "elsewhere": pairs},
            )
        )
    return out


def double_paid_many(ms: MonthSet) -> list[Found]:
    """One statement: each worker of the set paid this month whose person was paid this month on another
    project, one row per other project."""
    sql = f"""
        SELECT f.project_id, f.unit_id, f.id, f.paid, pj.project_no,
               (SELECT SUM(l.amount) FROM {T['payment']} l WHERE l.worker_id = o.id AND l.month = %s) AS there
        FROM {ms.facts()} f
        JOIN {T['worker']} o ON o.person_id = f.person_id AND o.project_id <> f.project_id
        JOIN {T['project']} pj ON pj.id = o.project_id
        WHERE f.lines > 0 AND EXISTS (SELECT 1 FROM {T['payment']} l WHERE l.worker_id = o.id AND l.month = %s)
        ORDER BY f.project_id, f.unit_id, f.id, o.project_id"""  # fmt: skip
    out = []
    for project_id, unit_id, rows in by_unit(ms.rows(sql, [ms.month, ms.month])):
        firsts: dict[int, tuple] = {}
        for r in rows:
            firsts.setdefault(r[2], r)
        workers = list(firsts.values())
        here = sum((dec(r[3]) for r in workers), ZERO)
        pairs = [(r[2], _elsewhere_text(dec(r[3]), r[4], dec(r[5]))) for r in rows][:NAMES_SHOWN]
        level = _level(len(workers), ms.config(project_id).double_paid_orange_workers)
        out.append(
            Found(
                project_id,
                DOUBLE_PAID.code,
                level,
                unit_id,
                amount=here,
                workers=len(workers),
                evidence={"paid": money(here), "elsewhere": pairs},
                shown=shown(workers),
            )
        )
    return out
