"""Every rostered worker with attendance in the month has a payment line: orange; red when the province's
number of workers (default 10) or share of the unit's workers with attendance (default 30 %) is reached."""

from __future__ import annotations

from ..rules import UNPAID_WORKERS
from .base import LEVEL, ZERO, Finding, MonthData, money, names


def check(data: MonthData) -> list[Finding]:
    out = []
    for unit_id, unit in data.units.items():
        attended = data.attended(unit_id)
        unpaid = [w for w in attended if w.pk not in data.paid]
        if not unpaid:
            continue
        cfg = data.config
        red = len(unpaid) >= cfg.unpaid_red_workers or len(unpaid) * 100 >= cfg.unpaid_red_share * len(attended)
        owed = sum((data.sheet[w.pk].amount_net for w in unpaid if w.pk in data.sheet), ZERO)
        out.append(
            Finding(
                UNPAID_WORKERS.code, LEVEL.RED if red else LEVEL.ORANGE, unit=unit, amount=owed, workers=len(unpaid),
                evidence={"workers": names(unpaid), "attended": len(attended), "owed": money(owed)},
            )
        )  # fmt: skip
    return out
