"""What the project page and the API show: the chain, the account (masked), the roster (masked) and the
monthly payroll summary, and the project's cases (for case readers, within their case scope)."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from cases import scope as case_scope
from cases.masking import mask_id

from . import links, scope, summary
from .accounts import account_late, mask_account
from .models import Project, ProjectUnit, WageAccount
from .rules import wage_account_due_on


def chain(project: Project) -> list[dict]:
    """The units in chain order (construction unit, general contractor, then each one's subcontractors),
    each with its depth."""
    units = list(project.units.select_related("employer").order_by("id"))
    children: dict[int | None, list[ProjectUnit]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id].append(unit)
    order: dict[str, int] = {
        ProjectUnit.Role.CONSTRUCTION: 0,
        ProjectUnit.Role.GENERAL: 1,
        ProjectUnit.Role.SPECIALIST: 2,
    }
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
    account, 总包代发), labour costs received. Read from the summary table the imports keep
    (`projects.summary`): one indexed query of at most `limit` rows, whatever the roster size."""
    out = []
    for row in summary.months_of(project.pk, limit):
        values = {name: getattr(row, name) for name in MONTH_FIELDS}
        out.append({"month": row.month, **values, "short": row.paid < row.amount_net})
    return out


MONTH_FIELDS = (
    "attendance_workers",
    "sheet_workers",
    "amount_due",
    "amount_net",
    "paid_lines",
    "paid",
    "paid_via_account",
    "paid_on_behalf",
    "labour_cost",
)


def roster(project: Project, limit: int = 200, offset: int = 0) -> list[dict]:
    """One page of the roster in id order (`limit` rows from `offset`), ID numbers masked. Only the shown
    columns are read (no model instances, no decryption of the bank card or the person's other fields)."""
    rows = project.workers.order_by("id").values(
        "person__name",
        "person__id_number",
        "unit__employer__name",
        "team",
        "trade",
        "contract_signed_on",
        "entered_on",
        "exited_on",
    )[offset : offset + limit]
    return [
        {
            "name": w["person__name"],
            "id_number": mask_id(w["person__id_number"]),
            "unit": w["unit__employer__name"],
            "team": w["team"],
            "trade": w["trade"],
            "contract_signed_on": w["contract_signed_on"],
            "entered_on": w["entered_on"],
            "exited_on": w["exited_on"],
        }
        for w in rows
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
