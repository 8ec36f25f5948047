"""Demo data of the referrals (make demo): a user of the arbitration commission and one of the legal-aid centre of
安源区, and referrals in different stages — the refused complaint heard by a tribunal, a suspended case awaiting
the commission's acceptance, a case whose award was made (final), a case's workers with a legal-aid lawyer."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model

from cases.models import Case, Complaint, Region, Role

from . import legal_aid, steps
from .models import Office, Referral
from .roles import office_role_grant
from .services import referral_create

LOGINS = [("arbitration_360302", Office.ARBITRATION), ("legalaid_360302", Office.LEGAL_AID)]


def _office_user(username: str, office: str, region: Region, password: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create_user(username=username, password=password)
    office_role_grant(actor=None, user=user, region=region, office=office)
    return user


def arbitration_seed(*, password: str, progress: Callable[[str], object] = print) -> list[tuple[str, str, str]]:
    """Idempotent: the two users (and their logins for the list the demo prints), then the referrals once."""
    region = Region.objects.get(code="360302")
    users = {office: _office_user(name, office, region, password) for name, office in LOGINS}
    logins = [(name, str(Office(office).label), f"{region.name}（360302）") for name, office in LOGINS]
    if Referral.objects.exists():
        return logins
    arbitrator, aid = users[Office.ARBITRATION], users[Office.LEGAL_AID]
    clerk = get_user_model().objects.get(username="clerk_360302")
    leader = get_user_model().objects.get(username="leader_360302")
    refused = Complaint.objects.filter(region=region, status=Complaint.Status.REFUSED).order_by("id").first()
    if refused is not None:
        r = referral_create(actor=clerk, role=Role.CLERK, office=Office.ARBITRATION, region=region,
                            facts="与物业公司的劳动报酬争议，属劳动争议。", complaint=refused)  # fmt: skip
        steps.arbitration_accept(referral=r, actor=arbitrator)
        steps.arbitration_tribunal_notify(referral=r, actor=arbitrator, tribunal="独任仲裁员 刘某")
        progress(f"  {r.number}: refused complaint {refused.receipt_no} referred to arbitration, tribunal formed")
    cases = Case.objects.filter(region=region).order_by("id")
    suspended = cases.filter(status=Case.Status.SUSPENDED).first()
    if suspended is not None:
        r = referral_create(actor=leader, role=Role.LEADER, office=Office.ARBITRATION, region=region,
                            facts="负责人下落不明，告知劳动者申请仲裁。", case=suspended)  # fmt: skip
        progress(f"  {r.number}: case {suspended.case_no} referred to arbitration, awaiting acceptance")
    enforcing = cases.filter(status=Case.Status.ENFORCING).first()
    if enforcing is not None:
        r = referral_create(actor=leader, role=Role.LEADER, office=Office.ARBITRATION, region=region,
                            facts="劳动者同时申请劳动仲裁，请求支付劳动报酬。", case=enforcing)  # fmt: skip
        steps.arbitration_accept(referral=r, actor=arbitrator)
        steps.arbitration_tribunal_notify(referral=r, actor=arbitrator, tribunal="首席仲裁员 陈某，仲裁员 王某、李某")
        amounts = {c.pk: c.amount_claimed for c in r.claimants.all()}
        steps.arbitration_award(referral=r, actor=arbitrator, amounts=amounts, note="支持申请人全部请求。")
        progress(f"  {r.number}: case {enforcing.case_no} — award made (final)")
    investigating = cases.filter(status=Case.Status.INVESTIGATING).first()
    if investigating is not None:
        r = referral_create(actor=leader, role=Role.LEADER, office=Office.LEGAL_AID, region=region,
                            facts="农民工追索劳动报酬，申请法律援助。", case=investigating)  # fmt: skip
        legal_aid.legal_aid_accept(referral=r, actor=aid)
        legal_aid.legal_aid_assign(referral=r, actor=aid, lawyer_name="赵律师", lawyer_firm="江西萍乡某律师事务所",
                                   lawyer_licence="13603201810123456")  # fmt: skip
        progress(f"  {r.number}: case {investigating.case_no} — legal aid granted, lawyer appointed")
    return logins
