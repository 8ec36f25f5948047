"""The columns of the staff lists of cases, complaints and accounts in their XLSX export (cases.web.list_export):
the columns each page shows, with the values behind its links (case number, receipt number) as text."""

from __future__ import annotations

from ..xlsx import Column


def _name(obj) -> str:
    return obj.name if obj is not None else ""


CASE_COLUMNS = [
    Column("案件编号", lambda c: c.case_no, 20),
    Column("状态", lambda c: c.get_status_display(), 10),
    Column("用人单位", lambda c: _name(c.employer), 34),
    Column("承办机构", lambda c: _name(c.region), 22),
    Column("人数", lambda c: c.workers_count, 8),
    Column("欠薪金额（元）", lambda c: c.amount_owed, 16),
    Column("已追回金额（元）", lambda c: c.amount_paid, 16),
    Column("立案时间", lambda c: c.filed_at, 18),
    Column("结案时间", lambda c: c.closed_at, 18),
]

COMPLAINT_COLUMNS = [
    Column("回执号", lambda c: c.receipt_no, 20),
    Column("状态", lambda c: c.get_status_display(), 10),
    Column("投诉人", lambda c: _name(c.complainant), 12),
    Column("用人单位", lambda c: _name(c.employer), 34),
    Column("机构", lambda c: _name(c.region), 22),
    Column("人数", lambda c: c.workers_count, 8),
    Column("欠薪金额（元）", lambda c: c.amount_owed, 16),
    Column("接收时间", lambda c: c.received_at, 18),
    Column("疑似重复", lambda c: bool(c.possible_duplicate_of_id), 10),
    Column("超过两年", lambda c: c.stale, 10),
]


def _roles(account) -> str:
    return "；".join(f"{r.region.name}·{r.get_role_display()}" for r in account.staff_roles.all())


ACCOUNT_COLUMNS = [
    Column("用户名", lambda a: a.username, 18),
    Column("姓名", lambda a: a.get_full_name(), 14),
    Column("岗位", _roles, 40),
    Column("状态", lambda a: "启用" if a.is_active else "停用", 8),
]
