"""涉嫌犯罪移送: the states, the crime grounds, and the deadlines R310 sets (domain-rules §2 rows 23-32;
R310 arts 5, 8, 9, 12 [V]). Deadlines are in calendar days or hours, as R310 counts them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ..deadlines import R310, Rule, rules_register
from ..models import Deadline, Document, Referral

APPROVE, TRANSFER, POLICE_DECIDE = "referral.approve", "referral.transfer", "police.decide"
HANDOVER = "referral.handover"
RECONSIDER_REQUEST = "referral.reconsider_request"
POLICE_RECONSIDER = "police.reconsider"
PROCURATORATE_REQUEST = "referral.procuratorate_request"

Unit = Deadline.Unit
rules_register(
    {
        # row 32: police filed → the office hands over the materials within 3 days of the filing notice
        HANDOVER: Rule(gettext_lazy("移交涉案材料期限"), 3, Unit.DAYS, f"{R310}第十二条", "referral.police_filed", 1),
        # row 29: not-filed notice → the office may ask the police to reconsider within 3 days
        RECONSIDER_REQUEST: Rule(
            gettext_lazy("提请公安机关复议期限"), 3, Unit.DAYS, f"{R310}第九条", "referral.police_not_filed", 1
        ),
        # row 30: the police decide on the reconsideration within 3 days of the request
        POLICE_RECONSIDER: Rule(
            gettext_lazy("公安机关复议期限"), 3, Unit.DAYS, f"{R310}第九条", "referral.reconsideration_requested", 1
        ),
        # row 31: still refused → propose procuratorate supervision within 3 days of the reconsideration decision
        PROCURATORATE_REQUEST: Rule(
            gettext_lazy("建议检察院立案监督期限"),
            3,
            Unit.DAYS,
            f"{R310}第九条",
            "referral.reconsideration_upheld",
            1,
        ),
    }
)
OPEN_CLOCK = [Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE]

S = Referral.Status
OPEN = [S.REVIEW, S.APPROVAL, S.TRANSFER, S.TRANSFERRED, S.FILED, S.HANDED_OVER, S.NOT_FILED, S.RECONSIDERATION]
LEGAL_DECISIONS = ("approved", "returned", "ended")

# CL 276-1: the grounds a referral needs, each recorded with its evidence (cases.models.CrimeGround)
GROUNDS = {"flight": gettext_lazy("逃匿、隐匿财产等方法逃避支付"), "refusal": gettext_lazy("有能力支付而不支付")}
GROUND_EVENT = "case.crime_ground_recorded"

# The orders to pay wages: the handling decision (or a legacy order to pay) — never a penalty decision (item 3).
ORDER_KINDS = [Document.Kind.HANDLING_DECISION, Document.Kind.ORDER_TO_PAY]
PHOTO_OR_VIDEO = {"image", "video"}
