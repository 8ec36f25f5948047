"""Permission-matrix entries: wage guarantee deposits and the emergency wage fund (issue 17). A deposit is read
with its project (projects.scope) and managed by the project office's clerk; a drawdown step and a recovery
are the assigned inspector's; money is put into the fund by a leader (its own office's fund); the public page of
return notices is open to all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Role
from tests.matrix import READERS, Entry, Target, assigned_case_target, clerk_acts, inspector_acts, reader_page


@dataclass
class DepositTarget(Target):
    project_no: str = ""
    pk: int = 0
    code: str = ""


_made = [700]


def _project(code: str):
    from tests.depositkit import project_with

    _made[0] += 1
    return project_with(_made[0], region=code, since=date(2025, 6, 1))


def project_target(code: str) -> DepositTarget:
    return DepositTarget(project_no=_project(code).project_no)


def document_target(code: str) -> DepositTarget:
    from deposits.documents import deposit_document_write
    from deposits.register import deposit_register
    from tests import world

    project = _project(code)
    deposit = deposit_register(project=project, actor=None)
    doc = deposit_document_write(deposit=deposit, kind="return_application", lines=["矩阵"],
                                 actor=world.user(Role.ADMIN, "360302"), at=timezone.now())  # fmt: skip
    return DepositTarget(project_no=project.project_no, pk=doc.pk)


def fund_target(code: str) -> DepositTarget:
    from deposits.models import EmergencyFund
    from tests import world

    EmergencyFund.objects.get_or_create(region=world.region(code))
    return DepositTarget(code=code)


def _assigned_case(code: str) -> tuple[Case, object, object]:
    from tests import world

    target = assigned_case_target(code)
    case = Case.objects.get(case_no=target.case_no)
    return (
        case,
        world.user_by_name(world.username("inspector", code)),
        world.user_by_name(world.username("leader", code)),
    )


def draw_target(code: str) -> DepositTarget:
    """A drawdown notified to the bank on a case at `code` assigned to that office's inspector."""
    from deposits.drawdown import deposit_draw
    from deposits.register import deposit_record, deposit_register
    from tests import factories
    from tests.depositkit import gc_of

    case, inspector, _leader = _assigned_case(code)
    project = _project(code)
    Case.objects.filter(pk=case.pk).update(employer=gc_of(project))
    case.refresh_from_db()
    deposit = deposit_register(project=project, actor=None)
    deposit_record(deposit=deposit, form="cash", bank="农行", amount=deposit.required_amount,
                   deposited_on=timezone.localdate(), account_no="6228480000001234", actor=None)  # fmt: skip
    factories.ledger(case)
    case = factories.order_served_and_due(case)
    return DepositTarget(case_no=case.case_no, pk=deposit_draw(case=case, actor=inspector).pk)


def advance_target(code: str) -> DepositTarget:
    """An advance paid to a worker of a case at `code` assigned to that office's inspector."""
    from deposits.fund import fund_advance_decide, fund_advance_request, fund_allocate
    from tests import factories, world

    case, inspector, leader = _assigned_case(code)
    fund_allocate(region=world.region(code), amount="10000.00", on=timezone.localdate(), actor=leader)
    entries = factories.ledger(case, workers=1, amount="1000.00")
    advance = fund_advance_request(case=case, purpose="wages", amounts={str(entries[0].pk): "500.00"},
                                   reason="矩阵", actor=inspector)  # fmt: skip
    fund_advance_decide(advance=advance, approved=True, opinion="同意", paid_on=timezone.localdate(), actor=leader)
    return DepositTarget(case_no=case.case_no, pk=advance.pk)


def reader_list(role: str, _in_scope: bool) -> int:
    return 200 if role in READERS else 403


def reader_object(role: str, in_scope: bool) -> int:
    return 200 if role in READERS and in_scope else 404


def leader_allocates(role: str, _in_scope: bool) -> int:
    return 400 if role == Role.LEADER else 403  # an empty body: the amount is asked for


def _list(name: str) -> Entry:
    return Entry(lambda t: reverse(name), reader_list, scoped=False)


ENTRIES = {
    "deposits:index": _list("deposits:index"),
    "deposits:export": _list("deposits:export"),
    "deposits:figures": _list("deposits:figures"),
    "deposits:funds": _list("deposits:funds"),
    "deposits:fund-export": _list("deposits:fund-export"),
    "deposits:fund-allocate": Entry(
        lambda t: reverse("deposits:fund-allocate"), leader_allocates, method="post", scoped=False
    ),  # fmt: skip
    "deposits:fund": Entry(lambda t: reverse("deposits:fund", args=[t.code]), reader_object, prepare=fund_target),
    "deposits:project": Entry(
        lambda t: reverse("deposits:project", args=[t.project_no]), reader_object, prepare=project_target
    ),  # fmt: skip
    "deposits:project-action": Entry(
        lambda t: reverse("deposits:project-action", args=[t.project_no, "register"]),
        clerk_acts(302),
        method="post",
        prepare=project_target,
    ),  # fmt: skip
    "deposits:document": Entry(
        lambda t: reverse("deposits:document", args=[t.pk]), reader_object, prepare=document_target
    ),  # fmt: skip
    "deposits:drawdown": Entry(lambda t: reverse("deposits:drawdown", args=[t.case_no]), reader_page),
    "deposits:advance": Entry(lambda t: reverse("deposits:advance", args=[t.case_no]), reader_page),
    "deposits:draw-action": Entry(
        lambda t: reverse("deposits:draw-action", args=[t.pk, "paid"]),
        inspector_acts(400),
        method="post",
        prepare=draw_target,
    ),  # fmt: skip
    "deposits:advance-action": Entry(
        lambda t: reverse("deposits:advance-action", args=[t.pk, "recover"]),
        inspector_acts(400),
        method="post",
        prepare=advance_target,
    ),  # fmt: skip
    "deposits-public:deposit-notices": Entry(
        lambda t: reverse("deposits-public:deposit-notices"), lambda r, s: 200, scoped=False, anonymous=200
    ),  # fmt: skip
}
