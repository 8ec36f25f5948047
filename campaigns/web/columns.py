"""The XLSX columns of the records behind a figure (cases.web.list_export): headers in Chinese whatever the
user's language, as every list export."""

from __future__ import annotations

from cases.xlsx import Column

HAZARD_COLUMNS = [
    Column("责任机构", lambda h: h.region.name),
    Column("排查对象", lambda h: h.target_name, 30),
    Column("项目编号", lambda h: h.project.project_no if h.project_id else ""),
    Column("隐患类型", lambda h: h.get_kind_display()),
    Column("涉及人数", lambda h: h.workers, 10),
    Column("涉及金额（元）", lambda h: h.amount),
    Column("发现日期", lambda h: h.found_on),
    Column("整改期限", lambda h: h.due_on),
    Column("状态", lambda h: h.get_status_display()),
    Column("整改完成日期", lambda h: h.resolved_on),
    Column("已支付金额（元）", lambda h: h.amount_paid),
]
CHECK_COLUMNS = [
    Column("责任机构", lambda c: c.region.name),
    Column("排查对象", lambda c: c.target_name, 30),
    Column("项目编号", lambda c: c.project.project_no if c.project_id else ""),
    Column("排查日期", lambda c: c.checked_on),
    Column("排查情况", lambda c: c.note, 30),
]
