"""Builders for the assessment tests: the year's facts of two counties of 萍乡市 (安源区 360302, 湘东区 360313)
written directly — clocks ended, cases closed with their ledgers, projects building in December, flagged
cases — so each figure is known by hand."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from cases.models import ArrearsEntry, Case, Deadline, Party
from cases.values import LOCAL_TZ
from deposits.models import Deposit
from projects.models import Project, WageAccount
from tests import world
from tests.coveragekit import covered_project
from tests.depositkit import gc_of
from tests.factories import person_id

YEAR = 2025
DECEMBER = date(YEAR, 12, 1)
S = Deadline.State
_seq = [0]


def at(y: int, m: int, d: int) -> datetime:
    return datetime.combine(date(y, m, d), time(10), tzinfo=LOCAL_TZ)


def clock(case: Case, kind: str, due: datetime, state: str) -> Deadline:
    return Deadline.objects.create(
        case=case, region=case.region, kind=kind, title="时限", legal_basis="测试", start_event="test",
        start_at=due, length=5, unit=Deadline.Unit.WORKING_DAYS, due_at=due, state=state,
    )  # fmt: skip


def closed_case(code: str, closed: datetime, *, owed: str | None = None, paid: str = "0") -> Case:
    case = world.make_case(code)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=closed)
    case.refresh_from_db()
    if owed is not None:
        _seq[0] += 1
        worker = Party.objects.create(name=f"工人{_seq[0]}", id_number=person_id(500 + _seq[0]))
        ArrearsEntry.objects.create(case=case, worker=worker, period_start=date(YEAR, 1, 1),
                                    period_end=date(YEAR, 3, 31), amount_owed=Decimal(owed),
                                    amount_paid=Decimal(paid))  # fmt: skip
    return case


def flagged_case(code: str, filed: datetime, **flags) -> Case:
    case = world.make_case(code)
    Case.objects.filter(pk=case.pk).update(filed_at=filed, **flags)
    return case


def building_project(n: int, code: str, *, real_name: bool, account: bool, deposit: bool) -> Project:
    """A project building all of the assessed year, with December's facts as asked."""
    project = covered_project(n, region=code, month=DECEMBER, attendance=real_name, account=account)
    Project.objects.filter(pk=project.pk).update(start_on=date(YEAR, 1, 1))
    WageAccount.objects.filter(project=project).update(opened_on=date(YEAR, 1, 20))
    if deposit:
        Deposit.objects.create(
            project=project, contractor=gc_of(project), region=project.region, contract_sum=Decimal("1000000"),
            rate=Decimal("2"), required_amount=Decimal("20000"), status=Deposit.Status.HELD, form=Deposit.Form.CASH,
            registered_on=date(YEAR, 1, 5), deposited_on=date(YEAR, 1, 10), amount=Decimal("20000"),
            balance=Decimal("20000"),
        )  # fmt: skip
    return project


def two_counties() -> dict:
    """The facts of 2025 (and a few outside it, or outside the two counties, that must not count).

    Returns what each figure is, by hand: {county code: {indicator: (numerator, denominator)}}."""
    anyuan, xiangdong = world.case_in("360302"), world.case_in("360313")
    acc = "intake.acceptance"
    # complaints decided on in time: 安源区 3 of 4 (a cancelled clock and one due in 2024 do not count)
    for state in (S.MET, S.MET, S.MET, S.OVERDUE, S.CANCELLED):
        clock(anyuan, acc, at(YEAR, 3, 2), state)
    clock(anyuan, acc, at(YEAR - 1, 12, 30), S.MET)
    clock(xiangdong, acc, at(YEAR, 5, 6), S.MET)
    clock(xiangdong, acc, at(YEAR, 6, 6), S.MET)
    clock(world.case_in("360300"), acc, at(YEAR, 6, 6), S.OVERDUE)  # the city's own office: no county's
    # cases closed in the year, one of them late; ledgers: 安源区 25 000 of 40 000 paid, 湘东区 5 000 of 5 000
    late = closed_case("360302", at(YEAR, 4, 1), owed="10000.00", paid="10000.00")
    clock(late, "investigation.complete", at(YEAR, 3, 1), S.CLOSED_LATE)
    closed_case("360302", at(YEAR, 5, 1), owed="30000.00", paid="15000.00")
    closed_case("360302", at(YEAR, 6, 1))
    closed_case("360302", at(YEAR, 12, 31))
    closed_case("360302", at(YEAR - 1, 12, 1), owed="9999.00")  # closed the year before
    closed_case("360313", at(YEAR, 8, 8), owed="5000.00", paid="5000.00")
    closed_case("360102", at(YEAR, 8, 8), owed="7000.00")  # another city
    # projects building in December: 安源区 4 (3 real-name, 2 accounts, 1 deposit), 湘东区 1 fully covered
    building_project(801, "360302", real_name=True, account=True, deposit=True)
    building_project(802, "360302", real_name=True, account=True, deposit=False)
    building_project(803, "360302", real_name=True, account=False, deposit=False)
    building_project(804, "360302", real_name=False, account=False, deposit=False)
    building_project(805, "360313", real_name=True, account=True, deposit=True)
    # major incidents: 安源区 1 (and a media report of 2024), 湘东区 3
    flagged_case("360302", at(YEAR, 7, 1), group_incident=True)
    flagged_case("360302", at(YEAR - 1, 7, 1), media_reported=True)
    flagged_case("360313", at(YEAR, 2, 1), group_incident=True)
    flagged_case("360313", at(YEAR, 3, 1), group_incident=True, media_reported=True)
    flagged_case("360313", at(YEAR, 4, 1), media_reported=True)
    # supervisions: 安源区 1 of 2 in time; 湘东区 none
    clock(anyuan, "supervision.complete", at(YEAR, 9, 1), S.MET)
    clock(anyuan, "supervision.complete", at(YEAR, 10, 1), S.OVERDUE)
    return {
        "360302": {"complaints": (3, 4), "cases": (3, 4), "wages": (25000, 40000), "real_name": (3, 4),
                   "account": (2, 4), "deposit": (1, 4), "incidents": (1, None), "supervision": (1, 2)},
        "360313": {"complaints": (2, 2), "cases": (1, 1), "wages": (5000, 5000), "real_name": (1, 1),
                   "account": (1, 1), "deposit": (1, 1), "incidents": (3, None), "supervision": (0, 0)},
    }  # fmt: skip


def expected_points(facts: dict, weights: dict, deduction: float) -> dict[str, float]:
    """Each indicator's points worked out here by plain arithmetic (rates: weight × share, full with nothing to
    count; incidents: weight minus the deduction per case, not below 0)."""
    out = {}
    for key, (num, den) in facts.items():
        w = weights[key]
        if den is None:
            out[key] = max(0.0, w - num * deduction)
        else:
            out[key] = w if den == 0 else round(w * num / den, 2)
    return out
