"""The set-based forms of the monthly check's rules: each ONE statement over every project of the set, the same
findings as the per-project rule of the module named (tests/test_earlywarning_setbased.py proves it).

The statements return only the workers (or projects) a rule flags, sorted by project, unit and worker, so
what comes back grows with the defects, never with the statements. Portable SQL (SQLite and PostgreSQL):
window functions, EXISTS, CASE; booleans compared as `NOT column`. Money compared in SQL with half a cent of
margin (SQLite sums money as floating point), then exactly in Python; a per-province number in a WHERE is the
loosest of the provinces' numbers, the exact one applied in Python per project."""

from __future__ import annotations

from datetime import timedelta

from projects.models import ProjectUnit

from ..models import Signal
from ..rules import (
    ACCOUNT_NOT_OPENED,
    BELOW_MINIMUM_WAGE,
    LABOUR_COST_LATE,
    NOT_BY_GENERAL,
    NOT_VIA_ACCOUNT,
    NOTICE_BOARD_MISSING,
    PAID_BELOW_SHEET,
    UNPAID_WORKERS,
    WAGE_SHEET_MISSING,
)
from .base import ZERO, money
from .labour_cost import _due
from .minimum_wage import daily_minimum
from .monthset import Found, MonthSet, T, by_unit, day, dec, shown

LEVEL = Signal.Level


def _attended_sql(ms: MonthSet, flag: str, extra: str = "") -> str:
    """The month's facts of the workers with attendance for whom `flag` holds, with their unit's number of
    workers with attendance (`attended`, fourth column) and the `extra` columns, sorted."""
    facts = ms.facts()
    return f"""
        SELECT f.project_id, f.unit_id, f.id, u.n{", " + extra if extra else ""}
        FROM {facts} f
        JOIN (SELECT unit_id, COUNT(*) AS n FROM {facts} WHERE days > 0 GROUP BY unit_id) u ON u.unit_id = f.unit_id
        WHERE f.days > 0 AND {flag}
        ORDER BY f.project_id, f.unit_id, f.id"""


def wage_sheet_missing(ms: MonthSet) -> list[Found]:
    out = []
    for project_id, unit_id, rows in by_unit(ms.rows(_attended_sql(ms, "f.has_sheet = 0"), [])):
        out.append(Found(project_id, WAGE_SHEET_MISSING.code, LEVEL.ORANGE, unit_id, workers=len(rows),
                         evidence={"attended": rows[0][3]}, shown=shown(rows)))  # fmt: skip
    return out


def unpaid_workers(ms: MonthSet) -> list[Found]:
    out = []
    for project_id, unit_id, rows in by_unit(ms.rows(_attended_sql(ms, "f.lines = 0", "f.net"), [])):
        cfg = ms.config(project_id)
        n, attended = len(rows), rows[0][3]
        red = n >= cfg.unpaid_red_workers or n * 100 >= cfg.unpaid_red_share * attended
        owed = sum((dec(r[4]) for r in rows if r[4] is not None), ZERO)
        level = LEVEL.RED if red else LEVEL.ORANGE
        out.append(Found(project_id, UNPAID_WORKERS.code, level, unit_id, amount=owed, workers=n,
                         evidence={"attended": attended, "owed": money(owed)}, shown=shown(rows)))  # fmt: skip
    return out


def paid_below_sheet(ms: MonthSet) -> list[Found]:
    sql = f"""
        SELECT f.project_id, f.unit_id, f.id, f.net, f.paid FROM {ms.facts()} f
        WHERE f.has_sheet = 1 AND f.lines > 0 AND f.paid < f.net - 0.005
        ORDER BY f.project_id, f.unit_id, f.id"""  # fmt: skip
    out = []
    for project_id, unit_id, rows in by_unit(ms.rows(sql, [])):
        short = [r for r in rows if dec(r[4]) < dec(r[3])]
        if not short:
            continue
        total = sum((dec(r[3]) - dec(r[4]) for r in short), ZERO)
        level = LEVEL.RED if total >= ms.config(project_id).shortfall_red_amount else LEVEL.ORANGE
        out.append(Found(project_id, PAID_BELOW_SHEET.code, level, unit_id, amount=total, workers=len(short),
                         evidence={"shortfall": money(total)}, shown=shown(short)))  # fmt: skip
    return out


def below_minimum_wage(ms: MonthSet) -> list[Found]:
    highest = max(daily_minimum(c.minimum_wage_monthly) for c in ms.configs())
    sql = f"""
        SELECT f.project_id, f.unit_id, f.id, f.days, f.paid FROM {ms.facts()} f
        WHERE f.days > 0 AND f.lines > 0 AND f.paid < f.days * %s - 0.005
        ORDER BY f.project_id, f.unit_id, f.id"""  # fmt: skip
    out = []
    for project_id, unit_id, rows in by_unit(ms.rows(sql, [highest])):
        daily = daily_minimum(ms.config(project_id).minimum_wage_monthly)
        below = [r for r in rows if dec(r[4]) < daily * r[3]]
        if not below:
            continue
        total = sum((daily * r[3] - dec(r[4]) for r in below), ZERO)
        out.append(Found(project_id, BELOW_MINIMUM_WAGE.code, LEVEL.ORANGE, unit_id, amount=total,
                         workers=len(below), evidence={"daily_minimum": money(daily), "shortfall": money(total)},
                         shown=shown(below)))  # fmt: skip
    return out


def _route_sql(ms: MonthSet, column: str, roles: tuple[str, ...] = ()) -> tuple[str, list]:
    role_join = ""
    if roles:
        role_join = f"JOIN {T['unit']} u ON u.id = f.unit_id AND u.role IN ({', '.join('%s' for _r in roles)})"
    sql = f"""
        SELECT f.project_id, f.unit_id, f.id, f.{column} FROM {ms.facts()} f
        {role_join}
        WHERE f.{column} > 0
        ORDER BY f.project_id, f.unit_id, f.id"""  # fmt: skip
    return sql, [*roles]


def not_via_account(ms: MonthSet) -> list[Found]:
    sql, params = _route_sql(ms, "not_via")
    return [
        Found(
            project_id,
            NOT_VIA_ACCOUNT.code,
            LEVEL.YELLOW,
            unit_id,
            workers=len(rows),
            evidence={"lines": sum(r[3] for r in rows)},
            shown=shown(rows),
        )
        for project_id, unit_id, rows in by_unit(ms.rows(sql, params))
    ]


def not_by_general(ms: MonthSet) -> list[Found]:
    if not any(c.general_pays_subcontractors for c in ms.configs()):
        return []
    sql, params = _route_sql(ms, "not_behalf", (ProjectUnit.Role.SPECIALIST, ProjectUnit.Role.LABOUR))
    return [
        Found(
            project_id,
            NOT_BY_GENERAL.code,
            LEVEL.YELLOW,
            unit_id,
            workers=len(rows),
            evidence={"lines": sum(r[3] for r in rows)},
            shown=shown(rows),
        )
        for project_id, unit_id, rows in by_unit(ms.rows(sql, params))
        if ms.config(project_id).general_pays_subcontractors
    ]


def labour_cost_late(ms: MonthSet) -> list[Found]:
    """Per project with an account and attendance in the month: the first transfer of the month's labour
    costs, kept where none came by the earliest of the provinces' due days (then exactly per province)."""
    dues = {id(c): _due(ms.month, c.labour_cost_day) for c in ms.configs()}
    if ms.today <= min(dues.values()):
        return []  # not due yet anywhere
    where, params = ms.in_set("pj.id")
    sql = f"""
        SELECT pj.id, fa.attended, tr.first_on, tr.received, fa.owed
        FROM {T['project']} pj
        JOIN {T['account']} acc ON acc.project_id = pj.id
        JOIN (SELECT project_id, SUM(CASE WHEN days > 0 THEN 1 ELSE 0 END) AS attended, SUM(due) AS owed
              FROM {ms.facts()} GROUP BY project_id) fa ON fa.project_id = pj.id
        LEFT JOIN (SELECT t.account_id, MIN(t.received_on) AS first_on, SUM(t.amount) AS received
                   FROM {T['transfer']} t WHERE t.month = %s GROUP BY t.account_id) tr ON tr.account_id = acc.id
        WHERE {where} AND fa.attended > 0 AND (tr.first_on IS NULL OR tr.first_on > %s)
        ORDER BY pj.id"""  # fmt: skip
    out = []
    for project_id, attended, first_on, received, owed in ms.rows(sql, [ms.month, *params, min(dues.values())]):
        cfg = ms.config(project_id)
        due = _due(ms.month, cfg.labour_cost_day)
        first = day(first_on)
        if (first is not None and first <= due) or ms.today <= due:
            continue
        red_after = due + timedelta(days=cfg.labour_cost_red_days)
        level = LEVEL.RED if (first or ms.today) > red_after else LEVEL.ORANGE
        owed_d = dec(owed)
        out.append(
            Found(
                project_id,
                LABOUR_COST_LATE.code,
                level,
                None,
                amount=owed_d,
                workers=attended,
                evidence={
                    "due_on": due.isoformat(),
                    "received_on": first.isoformat() if first else "",
                    "late_days": ((first or ms.today) - due).days,
                    "received": money(dec(received)),
                    "wages_due": money(owed_d),
                },
            )
        )
    return out


def account_not_opened(ms: MonthSet) -> list[Found]:
    where, params = ms.in_set("pj.id")
    sql = f"""
        SELECT pj.id FROM {T["project"]} pj
        WHERE {where} AND pj.contract_signed_on IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM {T["account"]} acc WHERE acc.project_id = pj.id)
        ORDER BY pj.id"""
    out = []
    for (project_id,) in ms.rows(sql, params):
        signed = ms.info[project_id].contract_signed_on
        assert signed is not None
        due = signed + timedelta(days=ms.config(project_id).account_due_days)
        if ms.today <= due:
            continue
        out.append(
            Found(
                project_id,
                ACCOUNT_NOT_OPENED.code,
                LEVEL.RED,
                ms.general.get(project_id),
                monthly=False,
                evidence={
                    "contract_signed_on": signed.isoformat(),
                    "due_on": due.isoformat(),
                    "late_days": (ms.today - due).days,
                },
            )
        )
    return out


def notice_board_missing(ms: MonthSet) -> list[Found]:
    out = []
    for project_id, row in ms.info.items():  # loaded with the set (no statement of its own)
        if row.start_on is None or row.notice_board_posted_on is not None:
            continue
        due = row.start_on + timedelta(days=ms.config(project_id).notice_board_due_days)
        if ms.today <= due:
            continue
        out.append(
            Found(
                project_id,
                NOTICE_BOARD_MISSING.code,
                LEVEL.YELLOW,
                ms.general.get(project_id),
                monthly=False,
                evidence={"start_on": row.start_on.isoformat(), "due_on": due.isoformat()},
            )
        )
    return out
