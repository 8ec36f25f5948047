"""The clocks of the penalty procedure on the deadline engine (domain-rules §2 rows 10–12; APL art 85: the
procedure's periods are working days)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ..deadlines import PROVINCE_CONFIG, Rule, Unit, rules_register

APL = "《中华人民共和国行政处罚法》"

NOTICE_SERVE = "penalty.notice_serve"
STATEMENT = "penalty.statement"
HEARING_REQUEST = "penalty.hearing_request"
HEARING_NOTICE = "penalty.hearing_notice"
FINE_PAYMENT = "penalty.fine_payment"
CLOCKS = (NOTICE_SERVE, STATEMENT, HEARING_REQUEST, HEARING_NOTICE)
# the party's own periods: one that runs out unused is "ended" (已届满), never the bureau's overdue
PARTY_WINDOWS = (STATEMENT, HEARING_REQUEST, FINE_PAYMENT)

SERVE_WD = 7  # row 10: a decision is served within 7 (working) days — APL arts 61, 85
HEARING_REQUEST_WD = 5  # row 11: the party asks for a hearing within 5 working days of the notice — APL arts 64, 85
FINE_PAYMENT_DAYS = 15  # row 15: a fine is paid within 15 days of the decision's service — APL art 67
HEARING_NOTICE_WD = 7  # row 12: the hearing notice is served at least 7 working days before the hearing — APL art 64

rules_register(
    {
        NOTICE_SERVE: Rule(
            gettext_lazy("行政处罚告知书送达期限"),
            SERVE_WD,
            Unit.WORKING_DAYS,
            f"{APL}第六十一条、第八十五条",
            "case.pre_decision_notified",
            2,
        ),
        # 3 working days is common practice, not statute: a per-province setting (penalty_statement_wd)
        STATEMENT: Rule(
            gettext_lazy("当事人陈述申辩期"),
            3,
            Unit.WORKING_DAYS,
            f"{APL}第四十四条、第四十五条、第八十五条{PROVINCE_CONFIG}",
            "document.served",
            0,
            party=True,
        ),
        HEARING_REQUEST: Rule(
            gettext_lazy("当事人要求听证期限"),
            HEARING_REQUEST_WD,
            Unit.WORKING_DAYS,
            f"{APL}第六十三条、第六十四条、第八十五条",
            "document.served",
            0,
            party=True,
        ),
        # row 12: the hearing notice reaches the party at least 7 working days before the hearing; the clock runs
        # from the notice's issue to the last day it may be served (its length set from the hearing's date)
        HEARING_NOTICE: Rule(
            gettext_lazy("听证通知书送达期限"),
            HEARING_NOTICE_WD,
            Unit.WORKING_DAYS,
            f"{APL}第六十四条、第八十五条",
            "penalty.hearing_scheduled",
            1,
        ),
        # row 15: the fine is paid within 15 days of the penalty decision's service; calendar days, a last day
        # on a rest day or holiday ends on the next working day (cases.workdays.period_end)
        FINE_PAYMENT: Rule(
            gettext_lazy("罚款缴纳期限"),
            FINE_PAYMENT_DAYS,
            Unit.DAYS,
            f"{APL}第六十七条",
            "document.served",
            0,
            party=True,
        ),
    }
)
