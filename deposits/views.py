"""Staff pages of the deposits: the register, a project's deposit (its ratio and reasons, the deposit, its
drawdowns, its return), a case's drawdown, the rate table, the figures section, the XLSX register; and the
public page of return notices. Thin views: a scope check (deposits.scope), one service, a page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import Region
from projects import scope as project_scope
from projects.links import cases_on

from . import drawdown, register, returns
from . import scope as dscope
from .models import Deposit, DepositDocument, DepositDraw
from .ratio import deposit_ratio
from .selectors import deposit_figures, deposit_findings
from .xlsx import deposits_xlsx, period_text


def errors_of(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


@require_GET
@login_required
def deposit_register_page(request):
    qs = dscope.deposits_visible(request.user).select_related("project", "region", "contractor").order_by("-id")
    status = request.GET.get("status", "")
    if status in Deposit.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "deposits/register.html",
                  {"page": page, "statuses": Deposit.Status.choices, "status": status})  # fmt: skip


def _deposit_context(request, project, errors=None) -> dict:
    deposit = Deposit.objects.filter(project=project).first()
    preview = None
    if deposit is None and project.contract_sum:
        try:
            preview = deposit_ratio(project=project, contractor=register.general_contractor(project),
                                    day=timezone.localdate())  # fmt: skip
        except ValidationError:
            preview = None
    month = timezone.localdate()
    return {
        "project": project,
        "deposit": deposit,
        "preview": preview,
        "draws": deposit.draws.select_related("case", "notice", "topup_order").order_by("-id") if deposit else [],
        "documents": deposit.documents.order_by("id") if deposit else [],
        "findings": deposit_findings(project, month),
        "cases": _open_cases(request.user, project),
        "can_manage": project_scope.can_manage(request.user, region=project.region, department=project.department),
        "forms": Deposit.Form.choices[1:],
        "errors": errors or {},
        "today": month,
    }


def _open_cases(user, project) -> list:
    """The project's open cases the user reads (each with its drawdown and advance pages); none for a user
    who reads no case (an industry department)."""
    if not project_scope.sees_case_data(user):
        return []
    qs = dscope.case_scope.cases_visible(user).filter(cases_on(project))
    return list(qs.exclude(status__in=["closed", "withdrawn"]).order_by("-id")[:20])


@require_GET
@login_required
def project_deposit(request, project_no):
    project = project_scope.project_for_user(request.user, project_no)
    return render(request, "deposits/project.html", _deposit_context(request, project))


ACTIONS = ("register", "record", "return_apply", "return_notice", "return")


@require_POST
@login_required
def project_deposit_action(request, project_no, action):
    if action not in ACTIONS:
        raise Http404
    project = project_scope.project_for_user(request.user, project_no, manage=True)
    deposit = Deposit.objects.filter(project=project).first()
    if action != "register" and deposit is None:
        raise Http404
    p = request.POST
    try:
        if action == "register":
            register.deposit_register(project=project, actor=request.user)
        elif action == "record":
            register.deposit_record(deposit=deposit, form=p.get("form", ""), bank=p.get("bank"),
                                    amount=p.get("amount"), deposited_on=p.get("deposited_on"),
                                    account_no=p.get("account_no", ""), guarantee_no=p.get("guarantee_no", ""),
                                    expires_on=p.get("expires_on"), actor=request.user)  # fmt: skip
        elif action == "return_apply":
            returns.deposit_return_apply(deposit=deposit, on=p.get("on"), actor=request.user)
        elif action == "return_notice":
            returns.deposit_return_notice(deposit=deposit, actor=request.user)
        else:
            returns.deposit_return(deposit=deposit, actor=request.user)
    except ValidationError as exc:
        return render(request, "deposits/project.html", _deposit_context(request, project, errors_of(exc)), status=400)
    messages.success(request, _("已保存。"))
    return redirect("deposits:project", project_no=project.project_no)


def _draw_context(request, case, errors=None) -> dict:
    deposit = drawdown.deposit_for_case(case)
    return {
        "case": case,
        "deposit": deposit,
        "eligible": drawdown.order_overdue(case),
        "draws": DepositDraw.objects.filter(case=case).select_related("notice", "topup_order").order_by("-id"),
        "can_act": dscope.can_investigate(request.user, case),
        "errors": errors or {},
        "today": timezone.localdate(),
    }


@require_http_methods(["GET", "POST"])
@login_required
def case_drawdown(request, case_no):
    """The drawdown step of a case: the deposit of its project, whether the order is overdue; POST draws."""
    if request.method == "GET":
        case = dscope.case_scope.case_for_user(request.user, case_no)
        return render(request, "deposits/drawdown.html", _draw_context(request, case))
    case = dscope.case_for_action(request.user, case_no, dscope.Right.INVESTIGATE)
    try:
        drawdown.deposit_draw(case=case, actor=request.user)
    except ValidationError as exc:
        return render(request, "deposits/drawdown.html", _draw_context(request, case, errors_of(exc)), status=400)
    messages.success(request, _("已通知银行从工资保证金中支付。"))
    return redirect("deposits:drawdown", case_no=case.case_no)


@require_POST
@login_required
def draw_action(request, pk: int, action: str):
    draw = get_object_or_404(DepositDraw.objects.select_related("case", "deposit"), pk=pk)
    case = dscope.case_for_action(request.user, draw.case.case_no, dscope.Right.INVESTIGATE)
    try:
        if action == "paid":
            drawdown.deposit_bank_paid(draw=draw, paid_on=request.POST.get("paid_on"), actor=request.user)
        elif action == "topup":
            drawdown.deposit_topped_up(draw=draw, amount=request.POST.get("amount"), on=request.POST.get("on"),
                                       actor=request.user)  # fmt: skip
        else:
            raise Http404
    except ValidationError as exc:
        return render(request, "deposits/drawdown.html", _draw_context(request, case, errors_of(exc)), status=400)
    messages.success(request, _("已保存。"))
    return redirect("deposits:drawdown", case_no=case.case_no)


@require_GET
@login_required
def deposit_document(request, pk: int):
    document = get_object_or_404(DepositDocument.objects.select_related("deposit__project"), pk=pk)
    project_scope.project_for_user(request.user, document.deposit.project.project_no)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=f"{document.number}.pdf",
                        content_type="application/pdf")  # fmt: skip


@require_GET
@login_required
def deposits_export(request):
    qs = dscope.deposits_visible(request.user)
    body = deposits_xlsx(qs, period=period_text(None, timezone.localdate()), region=_regions_text(request.user))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="deposits.xlsx"'
    return response


def _regions_text(user) -> str:
    names = sorted({g.region_code for g in dscope.case_scope.grants(user)})
    regions = Region.objects.filter(code__in=names).values_list("name", flat=True)
    return "、".join(regions) or _("本辖区")


@require_GET
@login_required
def figures_page(request):
    """The dashboard's section: deposits held, drawn, returned; the fund advanced and recovered (in scope)."""
    deposits = dscope.deposits_visible(request.user)
    funds = (
        dscope.funds_visible(request.user) if dscope.reads_funds(request.user) else dscope.EmergencyFund.objects.none()
    )
    return render(request, "deposits/figures.html", {"figures": deposit_figures(deposits, funds)})


@require_GET
def public_notices(request):
    """The public page: deposits under their return notice (公示), with the period and where to complain."""
    today = timezone.localdate()
    qs = (
        Deposit.objects.filter(status=Deposit.Status.NOTICED, notice_end__gte=today)
        .select_related("project", "region", "contractor")
        .order_by("notice_end", "id")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "deposits/public_notices.html", {"page": page})
