"""The written review's fixed vocabulary and its two clocks on the deadline engine (cases.deadlines):

- ``review.window``: the reporting window, from the day it opens to the end of its closing day (calendar days;
  a window ending on a rest day or holiday ends on the next working day, as every period for doing something
  does). Its warning, WINDOW_WARN_DAYS before the close, sends a reminder letter to every employer that has
  not reported; its overdue transition closes the window.
- ``review.rectify``: a rectification order's period, in working days from the day of the finding: the
  province's ``ReviewConfig.rectify_wd`` (default 10)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.deadlines import PROVINCE_CONFIG, Rule, Unit

JX2017 = "《江西省治欠保支三年行动计划(2017-2020)》二(二)"
WINDOW = "review.window"
RECTIFY = "review.rectify"
WINDOW_WARN_DAYS = 5
RECTIFY_WARN_WD = 2
RECTIFY_WD_DEFAULT = 10

RULES = {
    WINDOW: Rule(_("年度书面审查报送期限"), 0, Unit.DAYS, f"{JX2017}（报送期限由劳动保障监察机构通知）",
                 "review.opened", WINDOW_WARN_DAYS),
    RECTIFY: Rule(_("书面审查责令整改期限"), RECTIFY_WD_DEFAULT, Unit.WORKING_DAYS, f"{JX2017}{PROVINCE_CONFIG}",
                  "review.rectification_ordered", RECTIFY_WARN_WD),
}  # fmt: skip

# What a reviewer may find in a report (the seed's focus: wages paid in full and on time, contracts, the
# construction sector's wage account and real-name management).
PROBLEMS = {
    "arrears": _("拖欠工资"),
    "underpaid": _("克扣或少发工资"),
    "late_payment": _("未按月足额支付工资"),
    "no_contract": _("未依法签订劳动合同"),
    "no_records": _("未建立工资支付台账或保存不全"),
    "no_wage_account": _("未开立农民工工资专用账户"),
    "no_real_name": _("未实行实名制管理"),
    "false_report": _("报送情况不实"),
}

# The sizes an employer is chosen by: those of the double-random target pool (inspections.Target.Size).
SIZE_CHOICES = [("large", _("大型")), ("medium", _("中型")), ("small", _("小型")), ("micro", _("微型"))]
# The seed's focus sectors (GB/T 4754 sections): manufacturing, catering, mining (over-capacity), construction.
FOCUS_INDUSTRIES = ["C", "H", "B", "E"]
