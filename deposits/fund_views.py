"""Staff pages of the emergency wage fund: the funds in scope with their movements and advances, money put
in (the leader), a case's advance request (its inspector), the leader's decision, the recoveries, the XLSX
register. Thin views over deposits.scope and deposits.fund."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import scope as case_scope
from cases.ledger import ledger_entries
from cases.masking import mask_name
from cases.models import Region, Role

from . import fund
from . import scope as dscope
from .models import FundAdvance
from .views import _regions_text, errors_of
from .xlsx import fund_xlsx, period_text


@require_GET
@login_required
def fund_list(request):
    funds = dscope.funds_visible(request.user).select_related("region").order_by("region__code")
    can_allocate = any(g.role == Role.LEADER for g in case_scope.grants(request.user))
    return render(request, "deposits/fund_list.html", {"funds": funds, "can_allocate": can_allocate})


def _fund_context(request, f, errors=None) -> dict:
    return {
        "fund": f,
        "movements": f.movements.order_by("-at", "-id")[:100],
        "advances": f.advances.select_related("case").order_by("-id")[:100],
        "can_approve": dscope.can_approve(request.user, f.region),
        "errors": errors or {},
        "today": timezone.localdate(),
    }


@require_GET
@login_required
def fund_detail(request, code):
    f = dscope.fund_for_user(request.user, code)
    return render(request, "deposits/fund_detail.html", _fund_context(request, f))


@require_POST
@login_required
def fund_allocate(request):
    """Money put into the fund of the region where the user is the leader (its own office's fund)."""
    grant = next((g for g in case_scope.grants(request.user) if g.role == Role.LEADER), None)
    if grant is None:
        raise PermissionDenied
    region = Region.objects.get(pk=grant.region_id)
    try:
        f = fund.fund_allocate(region=region, amount=request.POST.get("amount"), on=request.POST.get("on"),
                               note=(request.POST.get("note") or "")[:200], actor=request.user)  # fmt: skip
    except ValidationError as exc:
        funds = dscope.funds_visible(request.user).select_related("region").order_by("region__code")
        return render(request, "deposits/fund_list.html",
                      {"funds": funds, "can_allocate": True, "errors": errors_of(exc)}, status=400)  # fmt: skip
    messages.success(request, _("已保存。"))
    return redirect("deposits:fund", code=f.region.code)


def _advance_context(request, case, errors=None) -> dict:
    rows = [{"id": e.pk, "name": mask_name(e.worker.name), "owed": e.amount_owed, "paid": e.amount_paid,
             "outstanding": e.amount_owed - e.amount_paid} for e in ledger_entries(case)]  # fmt: skip
    return {
        "case": case,
        "fund": fund.fund_for(case.region),
        "rows": rows,
        "advances": FundAdvance.objects.filter(case=case).order_by("-id"),
        "purposes": FundAdvance.Purpose.choices,
        "can_act": dscope.can_investigate(request.user, case),
        "can_approve": dscope.can_approve(request.user, case.region),
        "errors": errors or {},
        "today": timezone.localdate(),
    }


@require_http_methods(["GET", "POST"])
@login_required
def case_advance(request, case_no):
    """A case's advances; POST: the inspector's request, an amount per worker (amount_<entry id>)."""
    if request.method == "GET":
        case = case_scope.case_for_user(request.user, case_no)
        return render(request, "deposits/advance.html", _advance_context(request, case))
    case = dscope.case_for_action(request.user, case_no, dscope.Right.INVESTIGATE)
    amounts = {k[len("amount_") :]: v for k, v in request.POST.items() if k.startswith("amount_") and v.strip()}
    try:
        fund.fund_advance_request(case=case, purpose=request.POST.get("purpose", ""), amounts=amounts,
                                  reason=request.POST.get("reason"), actor=request.user)  # fmt: skip
    except (ValidationError, ValueError) as exc:
        errs = errors_of(exc) if isinstance(exc, ValidationError) else {"amounts": [_("金额填写有误。")]}
        return render(request, "deposits/advance.html", _advance_context(request, case, errs), status=400)
    messages.success(request, _("已提交负责人审批。"))
    return redirect("deposits:advance", case_no=case.case_no)


@require_POST
@login_required
def advance_action(request, pk: int, action: str):
    advance = get_object_or_404(FundAdvance.objects.select_related("case", "fund"), pk=pk)
    case = case_scope.case_for_user(request.user, advance.case.case_no)
    p = request.POST
    try:
        if action == "decide":
            if not dscope.can_approve(request.user, case.region):
                raise PermissionDenied
            fund.fund_advance_decide(advance=advance, approved=p.get("approved") == "yes", opinion=p.get("opinion"),
                                     paid_on=p.get("paid_on"), actor=request.user)  # fmt: skip
        elif action == "recover":
            if not dscope.can_investigate(request.user, case):
                raise PermissionDenied
            fund.fund_recover(advance=advance, amount=p.get("amount"), on=p.get("on"),
                              note=(p.get("note") or "")[:200], actor=request.user)  # fmt: skip
        else:
            raise Http404
    except ValidationError as exc:
        return render(request, "deposits/advance.html", _advance_context(request, case, errors_of(exc)), status=400)
    messages.success(request, _("已保存。"))
    return redirect("deposits:advance", case_no=case.case_no)


@require_GET
@login_required
def fund_export(request):
    funds = dscope.funds_visible(request.user)
    advances = FundAdvance.objects.filter(fund__in=funds).exclude(status=FundAdvance.Status.REQUESTED)
    body = fund_xlsx(advances, period=period_text(None, timezone.localdate()), region=_regions_text(request.user))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="emergency-fund.xlsx"'
    return response
