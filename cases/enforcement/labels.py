"""Human labels of the timeline events this package (and the handling decision) writes."""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "case.handling_decided": _("作出行政处理决定（责令限期支付工资）"),
    "case.correction_verified": _("核查责令改正情况"),
    "enforcement.demand_issued": _("制发催告书"),
    "enforcement.demand_served": _("送达催告书"),
    "enforcement.court_applied": _("申请人民法院强制执行"),
    "enforcement.court_outcome": _("登记人民法院处理结果"),
    "enforcement.penalty_executed": _("处罚决定执行完毕"),
    "enforcement.transferred": _("移送公安机关并被立案，行政程序终结"),
    "listing.notice_served": _("失信名单告知书送达"),
}
