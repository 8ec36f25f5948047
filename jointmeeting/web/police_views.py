"""Public security's pages (the referrals transferred to its office: acknowledge, record the decision) and the
finance and development departments' page (government-invested projects' funding figures). Thin views over
jointmeeting.scope and jointmeeting.police."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.deadlines import days_left
from cases.models import Deadline, Referral
from cases.referral.rules import POLICE_DECIDE, POLICE_RECONSIDER
from cases.transitions import StateConflict
from cases.values import yuan_text
from cases.web.list_export import Column, export_requested, xlsx_response
from deposits.models import Deposit

from .. import police, scope
from ..forms import AcknowledgeForm, PoliceAnswerForm
from .common import errors_onto, page_of, query_without_page

S = Referral.Status
OPEN_CLOCK = [Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE]


def _clock(referral: Referral) -> Deadline | None:
    """The police's open clock: the filing decision (3 days) or the reconsideration (3 days)."""
    return (referral.case.deadlines.filter(kind__in=[POLICE_DECIDE, POLICE_RECONSIDER], state__in=OPEN_CLOCK)
            .order_by("-id").first())  # fmt: skip


def awaiting(user) -> list[dict]:
    """The referrals waiting on the police: not yet acknowledged, or waiting for its decision."""
    qs = scope.referrals_for_police(user).select_related("case__region", "case__employer", "police_receipt")
    rows = []
    for r in qs.filter(status__in=scope.POLICE_ANSWERS).order_by("transferred_at", "id")[:100]:
        clock = _clock(r)
        rows.append({"referral": r, "clock": clock, "left": days_left(clock) if clock else None,
                     "receipt": getattr(r, "police_receipt", None)})  # fmt: skip
    return rows


def _receipt(r: Referral):
    return getattr(r, "police_receipt", None)  # RelatedObjectDoesNotExist is an AttributeError


REFERRAL_COLUMNS = [
    Column("案件编号", lambda r: r.case.case_no, 20),
    Column("用人单位", lambda r: r.case.employer.name if r.case.employer_id else "", 30),
    Column("移送机关", lambda r: r.case.region.name, 14),
    Column("接收公安机关", lambda r: r.police, 24),
    Column("移送时间", lambda r: r.transferred_at, 18),
    Column("状态", lambda r: r.get_status_display(), 16),
    Column("签收时间", lambda r: _receipt(r).acknowledged_at if _receipt(r) else None, 18),
    Column("公安决定时间", lambda r: r.police_decided_at, 18),
]


@require_GET
@login_required
def referral_list(request):
    qs = scope.referrals_for_police(request.user).select_related("case__region", "case__employer")
    status = request.GET.get("status", "")
    if status == "waiting":
        qs = qs.filter(status__in=scope.POLICE_ANSWERS)
    elif status in scope.WITH_POLICE:
        qs = qs.filter(status=status)
    qs = qs.order_by("-transferred_at", "-id")
    if export_requested(request):
        return xlsx_response(qs, REFERRAL_COLUMNS, title="移送公安案件")
    statuses = [(s, S(s).label) for s in scope.WITH_POLICE]
    return render(request, "jointmeeting/referral_list.html", {
        "page": page_of(request, qs), "query": query_without_page(request), "status": status, "statuses": statuses,
    })  # fmt: skip


def _referral_context(request, referral: Referral, **forms) -> dict:
    clock = _clock(referral)
    receipt = _receipt(referral)
    may = scope.answers_for_police(request.user, referral)
    return {
        "referral": referral,
        "case": referral.case,
        "clock": clock,
        "left": days_left(clock) if clock else None,
        "clocks": referral.case.deadlines.filter(kind__in=[POLICE_DECIDE, POLICE_RECONSIDER]).order_by("id"),
        "receipt": receipt,
        "can_acknowledge": may and receipt is None and referral.status in scope.POLICE_ANSWERS,
        "can_answer": may and referral.status in scope.POLICE_ANSWERS,
        "reconsideration": referral.status == S.RECONSIDERATION,
        "ack_form": forms.get("acknowledge") or AcknowledgeForm(),
        "answer_form": forms.get("answer") or PoliceAnswerForm(),
    }


@require_GET
@login_required
def referral_detail(request, pk: int):
    referral = scope.referral_for_police(request.user, pk)
    return render(request, "jointmeeting/referral_detail.html", _referral_context(request, referral))


@require_POST
@login_required
def referral_action(request, pk: int, action: str):
    referral = scope.referral_for_police(request.user, pk)
    form = AcknowledgeForm(request.POST) if action == "acknowledge" else PoliceAnswerForm(request.POST)
    if action not in ("acknowledge", "answer"):
        return redirect("jointmeeting:referral", pk=pk)
    status = 400
    if form.is_valid():
        c = form.cleaned_data
        try:
            with transaction.atomic():
                if action == "acknowledge":
                    police.referral_police_acknowledge(referral=referral, actor=request.user, note=c["note"])
                else:
                    police.referral_police_answer(referral=referral, actor=request.user,
                                                  filed=c["decision"] == "filed", decided_at=c["decided_at"],
                                                  note=c["note"])  # fmt: skip
        except ValidationError as exc:
            status = 409 if isinstance(exc, StateConflict) else 400
            errors_onto(form, exc)
        else:
            messages.success(request, _("已签收。") if action == "acknowledge" else _("已登记立案决定。"))
            return redirect("jointmeeting:referral", pk=pk)
    referral.refresh_from_db()
    context = _referral_context(request, referral, **{action: form})
    return render(request, "jointmeeting/referral_detail.html", context, status=status)


# --- finance and development: government-invested projects' funding ---------------------------------------


def _money(value) -> str:
    return "—" if value is None else yuan_text(value)


def _deposit_status(value) -> str:
    return str(Deposit.Status(value).label) if value else _("未登记")


FUNDING_COLUMNS = [
    Column("项目编号", lambda p: p.project_no, 20),
    Column("项目名称", lambda p: p.name, 30),
    Column("所在区划", lambda p: p.region.name, 12),
    Column("行业主管部门", lambda p: p.get_department_display(), 12),
    Column("资金来源", lambda p: p.funding_source, 16),
    Column("合同价（元）", lambda p: p.contract_sum, 14),
    Column("人工费用拨付（元）", lambda p: p.labour_paid or 0, 16),
    Column("工资保证金应存（元）", lambda p: p.deposit_required, 16),
    Column("工资保证金已存（元）", lambda p: p.deposit_amount, 16),
    Column("保证金状态", lambda p: str(_deposit_status(p.deposit_status)), 12),
]


@require_GET
@login_required
def funding(request):
    qs = scope.funding_projects(request.user).select_related("region").annotate(
        labour_paid=Sum("wage_account__transfers__amount"),
        deposit_required=F("deposit__required_amount"),
        deposit_amount=F("deposit__amount"),
        deposit_status=F("deposit__status"),
    )  # fmt: skip
    code = (request.GET.get("region") or "").strip()[:6]
    if code:
        region = scope.funding_regions(request.user).filter(code=code).first()
        qs = qs.filter(region__path__startswith=region.path) if region else qs.none()
    qs = qs.order_by("region__code", "project_no")
    if export_requested(request):
        return xlsx_response(qs, FUNDING_COLUMNS, title="政府投资项目资金情况")
    page = page_of(request, qs)
    rows = [
        {"project": p, "contract": _money(p.contract_sum), "paid": _money(p.labour_paid or 0),
         "required": _money(p.deposit_required), "deposited": _money(p.deposit_amount),
         "status": _deposit_status(p.deposit_status)}
        for p in page
    ]  # fmt: skip
    paid = qs.aggregate(paid=Sum("wage_account__transfers__amount"))["paid"]
    return render(request, "jointmeeting/funding.html", {
        "page": page, "rows": rows, "query": query_without_page(request), "region": code,
        "regions": scope.funding_regions(request.user).order_by("code"), "paid_total": _money(paid or 0),
    })  # fmt: skip
