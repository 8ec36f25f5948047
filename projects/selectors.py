"""What the project page and the API show: the chain, the account (masked), the roster (masked) and the
monthly payroll summary, and the project's cases (for case readers, within their case scope)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from cases import scope as case_scope
from cases.masking import mask_id

from . import links, scope
from .accounts import account_late, mask_account
from .models import Attendance, LabourCostTransfer, PaymentLine, Project, ProjectUnit, WageAccount, WageSheetLine
from .rules import wage_account_due_on


def chain(project: Project) -> list[dict]:
    """The units in chain order (construction unit, general contractor, then each one's subcontractors),
    each with its depth."""
    units = list(project.units.select_related("employer").order_by("id"))
    children: dict[int | None, list[ProjectUnit]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id].append(unit)
    order = {ProjectUnit.Role.CONSTRUCTION: 0, ProjectUnit.Role.GENERAL: 1, ProjectUnit.Role.SPECIALIST: 2}
    out: list[dict] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in sorted(children.get(parent_id, []), key=lambda u: (order.get(u.role, 3), u.pk)):
            out.append(
                {
                    "id": unit.pk,
                    "role": unit.role,
                    "role_label": str(unit.get_role_display()),
                    "name": unit.employer.name,
                    "uscc": unit.employer.uscc,
                    "depth": depth,
                    "parent": unit.parent_id,
                }
            )
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return out


def account_info(project: Project) -> dict | None:
    account = WageAccount.objects.filter(project=project).first()
    due = wage_account_due_on(region=project.region, contract_signed_on=project.contract_signed_on)
    late = account_late(project, account, timezone.localdate())
    if account is None:
        return {"opened": False, "due_on": due, "late": late}
    return {
        "opened": True,
        "bank": account.bank,
        "account_no": mask_account(account.account_no),
        "opened_on": account.opened_on,
        "tripartite_signed_on": account.tripartite_signed_on,
        "closed_on": account.closed_on,
        "due_on": due,
        "late": late,
    }


def payroll_months(project: Project, limit: int = 24) -> list[dict]:
    """Per month, newest first: workers with attendance, wage sheet due and net, paid (lines, amount, via the
    account, 总包代发), labour costs received. Four grouped queries (one per table)."""
    months: dict = defaultdict(
        lambda: {
            "attendance_workers": 0,
            "sheet_workers": 0,
            "amount_due": Decimal("0"),
            "amount_net": Decimal("0"),
            "paid_lines": 0,
            "paid": Decimal("0"),
            "paid_via_account": 0,
            "paid_on_behalf": 0,
            "labour_cost": Decimal("0"),
        }
    )
    for row in Attendance.objects.filter(worker__project=project).values("month").annotate(n=Count("id")):
        months[row["month"]]["attendance_workers"] = row["n"]
    sheet = WageSheetLine.objects.filter(worker__project=project).values("month")
    for row in sheet.annotate(n=Count("id"), due=Sum("amount_due"), net=Sum("amount_net")):
        months[row["month"]].update(sheet_workers=row["n"], amount_due=row["due"], amount_net=row["net"])
    paid = PaymentLine.objects.filter(worker__project=project).values("month")
    paid = paid.annotate(
        n=Count("id"),
        total=Sum("amount"),
        via=Count("id", filter=Q(via_account=True)),
        behalf=Count("id", filter=Q(on_behalf=True)),
    )
    for row in paid:
        months[row["month"]].update(
            paid_lines=row["n"], paid=row["total"], paid_via_account=row["via"], paid_on_behalf=row["behalf"]
        )
    for row in LabourCostTransfer.objects.filter(account__project=project).values("month").annotate(t=Sum("amount")):
        months[row["month"]]["labour_cost"] = row["t"]
    out = [
        {"month": month, **values, "short": values["paid"] < values["amount_net"]} for month, values in months.items()
    ]
    return sorted(out, key=lambda m: m["month"], reverse=True)[:limit]


def roster(project: Project, limit: int = 200) -> list[dict]:
    workers = project.workers.select_related("person", "unit__employer").order_by("id")[:limit]
    return [
        {
            "name": w.person.name,
            "id_number": mask_id(w.person.id_number),
            "unit": w.unit.employer.name,
            "team": w.team,
            "trade": w.trade,
            "contract_signed_on": w.contract_signed_on,
            "entered_on": w.entered_on,
            "exited_on": w.exited_on,
        }
        for w in workers
    ]


def project_cases(project: Project, user) -> list | None:
    """The cases on the project (by their project, projects.links, or a unit as employer) that `user` may read;
    None for a user who reads no case data (an industry department)."""
    if not scope.sees_case_data(user):
        return None
    qs = case_scope.cases_visible(user).filter(links.cases_on(project)).select_related("employer", "region")
    return list(qs.order_by("-id")[:50])


def project_data(project: Project) -> dict:
    return {
        "project_no": project.project_no,
        "name": project.name,
        "region": project.region.code,
        "region_name": project.region.name,
        "address": project.address,
        "department": project.department,
        "department_label": str(project.get_department_display()),
        "government_invested": project.government_invested,
        "funding_source": project.funding_source,
        "permit_no": project.permit_no,
        "contract_sum": project.contract_sum,
        "contract_signed_on": project.contract_signed_on,
        "start_on": project.start_on,
        "planned_completion_on": project.planned_completion_on,
        "completed_on": project.completed_on,
        "status": project.status,
        "status_label": str(project.get_status_display()),
        "notice_board_posted_on": project.notice_board_posted_on,
    }


def project_detail(project: Project) -> dict:
    return {
        **project_data(project),
        "units": chain(project),
        "wage_account": account_info(project),
        "workers": project.workers.count(),
        "payroll": payroll_months(project),
    }
