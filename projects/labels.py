"""Human labels of the projects' timeline events (recorded on the region's administration chain)."""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "project.registered": _("登记在建项目"),
    "project.updated": _("更新项目信息"),
    "project.unit_added": _("增加参建单位"),
    "project.notice_board": _("登记维权信息告示牌"),
    "project.status_changed": _("变更项目状态"),
    "project.roster_imported": _("导入实名制花名册"),
    "project.attendance_imported": _("导入考勤汇总"),
    "project.account_opened": _("开设工资专用账户"),
    "project.labour_cost_recorded": _("登记人工费用拨付"),
    "project.account_closed": _("工资专用账户销户"),
    "project.wage_sheet_imported": _("导入工资支付表"),
    "project.payments_imported": _("导入银行代发明细"),
    "project.industry_role_granted": _("授予行业主管部门岗位"),
}


def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, _("项目事件")))
