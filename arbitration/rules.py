"""The clocks of a referral on the deadline engine (cases.deadlines) and the numbers of the law behind them.

Arbitration (《劳动争议调解仲裁法》, LDMAL; periods in days, a period ending on a rest day or holiday ends on the
next working day):
- art 29: the commission accepts or rejects an application within 5 days of receiving it; when it does not
  decide in time the applicant may sue;
- art 32: the tribunal's composition is notified to the parties within 5 days of acceptance;
- art 43: the award within 45 days of acceptance, extended once by at most 15 days with the chair's approval;
- art 47: a wage claim not above 12 months of the local monthly minimum wage is decided finally (终局裁决);
- the green channel of wage claims (护薪行动, 2019): decided within 30 days — a target shown beside the legal 45.

Legal aid (《法律援助法》 art 43): the centre decides within 7 days of the application and appoints a lawyer
within 3 days of deciding; a wage claim of a migrant worker needs no means test (art 42). Both are province
settings (ArbitrationConfig) with these defaults.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from cases.deadlines import PROVINCE_CONFIG, Rule, Unit, rules_register

LDMAL = "《劳动争议调解仲裁法》"
LAL = "《法律援助法》"

ACCEPT_DAYS = 5  # LDMAL art 29
TRIBUNAL_DAYS = 5  # LDMAL art 32
AWARD_DAYS = 45  # LDMAL art 43
AWARD_EXTENSION_DAYS = 15  # LDMAL art 43, once, the chair approves
FINAL_AWARD_MONTHS = 12  # LDMAL art 47 (ArbitrationConfig.final_award_months)
GREEN_CHANNEL_DAYS = 30  # 护薪行动 target (ArbitrationConfig.green_channel_days)
AID_REVIEW_DAYS = 7  # LAL art 43 (ArbitrationConfig.legal_aid_review_days)
AID_ASSIGN_DAYS = 3  # LAL art 43 (ArbitrationConfig.legal_aid_assign_days)

ACCEPT = "arbitration.accept"
TRIBUNAL = "arbitration.tribunal"
AWARD = "arbitration.award"
AID_REVIEW = "legal_aid.review"
AID_ASSIGN = "legal_aid.assign"

RULES: dict[str, Rule] = {
    ACCEPT: Rule(
        gettext_lazy("仲裁委受理审查期限"), ACCEPT_DAYS, Unit.DAYS, f"{LDMAL}第二十九条", "arbitration.referred", 1
    ),
    TRIBUNAL: Rule(
        gettext_lazy("通知仲裁庭组成期限"), TRIBUNAL_DAYS, Unit.DAYS, f"{LDMAL}第三十二条", "arbitration.accepted", 1
    ),
    AWARD: Rule(
        gettext_lazy("仲裁裁决期限"),
        AWARD_DAYS,
        Unit.DAYS,
        f"{LDMAL}第四十三条",
        "arbitration.accepted",
        5,
        max_extensions=1,
    ),
    AID_REVIEW: Rule(
        gettext_lazy("法律援助审查决定期限"),
        AID_REVIEW_DAYS,
        Unit.DAYS,
        f"{LAL}第四十三条{PROVINCE_CONFIG}",
        "legal_aid.referred",
        1,
    ),
    AID_ASSIGN: Rule(
        gettext_lazy("指派法律援助人员期限"),
        AID_ASSIGN_DAYS,
        Unit.DAYS,
        f"{LAL}第四十三条{PROVINCE_CONFIG}",
        "legal_aid.accepted",
        1,
    ),
}


def register() -> None:
    rules_register(RULES)
