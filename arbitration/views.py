"""Staff pages of the referrals: the list (the office's queue; the bureau's referrals), the referral page with
its claimants, clocks and timeline and the steps its office may take, the referral form on a refused complaint
or a case, the referral letter. Thin views over arbitration.scope and the services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import scope as case_scope
from cases import timeline
from cases.audit.sentences import sentences_attach
from cases.deadlines import days_left
from cases.models import Deadline, Region, Role
from cases.region_picker import province_tree
from cases.transitions import StateConflict
from cases.web.list_export import Column, export_requested, xlsx_response

from . import legal_aid, rules, steps
from . import scope as ascope
from .forms import AssignForm, CloseAidForm, ReferralForm, RejectForm, TribunalForm
from .letter import referral_letter_pdf
from .models import Office, Referral
from .services import Claim, candidates, referral_create

S = Referral.Status
COLUMNS = [
    Column("转介编号", lambda r: r.number, 22),
    Column("接收机构", lambda r: f"{r.region.name}{r.get_office_display()}", 28),
    Column("来源", lambda r: r.case.case_no if r.case_id else r.complaint.receipt_no, 22),
    Column("用人单位", lambda r: r.employer.name, 30),
    Column("绿色通道", lambda r: r.green_channel, 8),
    Column("状态", lambda r: r.get_status_display(), 14),
    Column("转介时间", lambda r: r.referred_at, 18),
    Column("受理决定时间", lambda r: r.decided_at, 18),
    Column("结案时间", lambda r: r.ended_at, 18),
]


@require_GET
@login_required
def referral_list(request):
    qs = ascope.referrals_visible(request.user).select_related("region", "employer", "case", "complaint")
    office, status, green, q = (request.GET.get(k, "").strip() for k in ("office", "status", "green", "q"))
    if office in Office.values:
        qs = qs.filter(office=office)
    if status in S.values:
        qs = qs.filter(status=status)
    elif status == "open":
        qs = qs.filter(status__in=[S.REFERRED, S.ACCEPTED, S.HEARING, S.AID_ASSIGNED])
    if green in ("1", "0"):
        qs = qs.filter(green_channel=green == "1")
    if q:
        qs = qs.filter(number__icontains=q) | qs.filter(employer__name__icontains=q)
    qs = qs.order_by("-referred_at", "-id")
    if export_requested(request):
        return xlsx_response(qs, COLUMNS, title="转介仲裁与法律援助")
    rows = list(qs[:200])
    clocks = {d.pk: d for d in Deadline.objects.filter(
        pk__in=[r.accept_deadline_id for r in rows] + [r.second_deadline_id for r in rows]
        + [r.award_deadline_id for r in rows])}  # fmt: skip
    items = [{"referral": r, "clock": _next_clock(r, clocks)} for r in rows]
    return render(request, "arbitration/list.html", {
        "items": items, "office": office, "status": status, "green": green, "q": q,
        "offices": Office.choices, "statuses": S.choices, "more": qs.count() > len(rows),
    })  # fmt: skip


def _next_clock(referral: Referral, clocks: dict) -> Deadline | None:
    ids = (referral.accept_deadline_id, referral.second_deadline_id, referral.award_deadline_id)
    open_: list[Deadline] = [d for d in (clocks.get(pk) for pk in ids) if d is not None and d.is_open]
    return min(open_, key=lambda d: d.due_at) if open_ else None


def _events(referral: Referral):
    subject = referral.subject
    ids = [i for i in (referral.accept_deadline_id, referral.second_deadline_id, referral.award_deadline_id) if i]
    qs = subject.events.filter(data__referral=referral.number) | subject.events.filter(
        kind="deadline.extended", data__deadline__in=ids
    )
    return sentences_attach(qs.order_by("seq"))


def _context(request, referral: Referral, **more) -> dict:
    clocks = [d for d in (referral.accept_deadline, referral.second_deadline, referral.award_deadline) if d]
    handles = ascope.handles(request.user, referral)
    return {
        "referral": referral,
        "claimants": referral.claimants.select_related("worker"),
        "deadlines": [(d, days_left(d)) for d in clocks],
        "events": _events(referral),
        "chain_ok": timeline.chain_ok(referral.subject),
        "show_payload": Role.AUDITOR in case_scope.roles(request.user),
        "handles": handles,
        "bureau_link": _subject_url(request.user, referral),
        "legal_award_days": rules.AWARD_DAYS,
        "extension_days": rules.AWARD_EXTENSION_DAYS,
        "errors": {},
        "reject_form": RejectForm(),
        "tribunal_form": TribunalForm(),
        "assign_form": AssignForm(),
        "close_form": CloseAidForm(),
        **more,
    }


def _subject_url(user, referral: Referral) -> str:
    """The complaint's or case's page, for the bureau's staff who may open it (never for the offices)."""
    if ascope.handles(user, referral) and not case_scope.roles(user):
        return ""
    if referral.case_id:
        return reverse("cases:detail", args=[referral.case.case_no])  # type: ignore[union-attr]
    return reverse("complaints:detail", args=[referral.complaint.receipt_no])  # type: ignore[union-attr]


@require_GET
@login_required
def referral_detail(request, pk: int):
    referral = ascope.referral_for_user(request.user, pk)
    return render(request, "arbitration/detail.html", _context(request, referral))


def _amounts(request, referral: Referral) -> dict[int, object]:
    return {c.pk: request.POST.get(f"amount_{c.pk}", "") for c in referral.claimants.all()}


ACTIONS = {
    "accept": lambda r, a, p: (steps.arbitration_accept if r.is_arbitration else legal_aid.legal_aid_accept)(
        referral=r, actor=a
    ),
    "reject": lambda r, a, p: (steps.arbitration_reject if r.is_arbitration else legal_aid.legal_aid_reject)(
        referral=r, actor=a, reason=p.get("reason", "")
    ),
    "tribunal": lambda r, a, p: steps.arbitration_tribunal_notify(referral=r, actor=a, tribunal=p.get("tribunal", "")),
    "extend": lambda r, a, p: steps.arbitration_award_extend(referral=r, actor=a, reason=p.get("reason", "")),
    "withdraw": lambda r, a, p: steps.arbitration_withdraw(referral=r, actor=a, reason=p.get("reason", "")),
    "assign": lambda r, a, p: legal_aid.legal_aid_assign(
        referral=r,
        actor=a,
        lawyer_name=p.get("lawyer_name", ""),
        lawyer_firm=p.get("lawyer_firm", ""),
        lawyer_licence=p.get("lawyer_licence", ""),
    ),  # fmt: skip
    "close": lambda r, a, p: legal_aid.legal_aid_close(
        referral=r,
        actor=a,
        outcome=p.get("outcome", ""),
        amount_recovered=p.get("amount_recovered", ""),
        note=p.get("note", ""),
    ),  # fmt: skip
}


@require_POST
@login_required
def referral_action(request, pk: int, action: str):
    referral = ascope.referral_for_user(request.user, pk, act=True)
    if action not in ACTIONS and action not in ("award", "mediate"):
        raise Http404
    try:
        if action == "award":
            steps.arbitration_award(referral=referral, actor=request.user, amounts=_amounts(request, referral),
                                    note=request.POST.get("note", ""))  # fmt: skip
        elif action == "mediate":
            steps.arbitration_mediate(referral=referral, actor=request.user, amounts=_amounts(request, referral),
                                      note=request.POST.get("note", ""))  # fmt: skip
        else:
            ACTIONS[action](referral, request.user, request.POST)
    except StateConflict as e:
        referral.refresh_from_db()
        return render(request, "arbitration/detail.html",
                      _context(request, referral, errors=_errors(e), action=action), status=409)  # fmt: skip
    except ValidationError as e:
        referral.refresh_from_db()
        return render(request, "arbitration/detail.html",
                      _context(request, referral, errors=_errors(e), action=action, posted=request.POST),
                      status=400)  # fmt: skip
    messages.success(request, _("已保存。"))
    return redirect("arbitration:detail", pk=referral.pk)


def _errors(e: ValidationError) -> dict[str, list[str]]:
    if hasattr(e, "error_dict"):
        return {k: ValidationError(v).messages for k, v in e.error_dict.items()}
    return {"__all__": list(e.messages)}


@require_http_methods(["GET", "POST"])
@login_required
def referral_new(request):
    """The referral form of a refused complaint (?complaint=回执号) or of a case (?case=案件编号)."""
    receipt_no, case_no = request.GET.get("complaint", ""), request.GET.get("case", "")
    complaint = case = None
    if case_no:
        case = ascope.case_to_refer(request.user, case_no)
        subject_region = case.region
    elif receipt_no:
        complaint = ascope.complaint_to_refer(request.user, receipt_no)
        subject_region = complaint.region
    else:
        raise Http404
    role = Role.CLERK if complaint is not None else (
        Role.INSPECTOR if case_scope.has_role(request.user, Role.INSPECTOR) else Role.LEADER)  # fmt: skip
    options = candidates(complaint=complaint, case=case)
    office = request.GET.get("office") if request.GET.get("office") in Office.values else Office.ARBITRATION
    initial = {"office": office, "region": subject_region.code, "green_channel": True}
    form = ReferralForm(request.POST or None, initial=initial)
    form.fields["region"].limit_to(Region.objects.all(), source=province_tree())
    errors: dict[str, list[str]] = {}
    chosen = {str(c.worker.pk) for c in options}
    amounts = {str(c.worker.pk): str(c.amount) for c in options}
    if request.method == "POST":
        chosen = set(request.POST.getlist("worker"))
        amounts = {str(c.worker.pk): request.POST.get(f"amount_{c.worker.pk}", "") for c in options}
        claims, claim_errors = [], []
        for c in options:
            if str(c.worker.pk) not in chosen:
                continue
            try:
                claims.append(Claim(c.worker, Decimal(amounts[str(c.worker.pk)].replace(",", "").strip())))
            except (InvalidOperation, ValueError):
                claim_errors.append(_("%(name)s的请求金额不是有效金额。") % {"name": c.worker.name})
        if form.is_valid() and not claim_errors:
            region = Region.objects.get(code=form.cleaned_data["region"])
            try:
                referral = referral_create(
                    actor=request.user, role=role, office=form.cleaned_data["office"], region=region,
                    facts=form.cleaned_data["facts"], claims=claims, green_channel=form.cleaned_data["green_channel"],
                    complaint=complaint, case=case,
                )  # fmt: skip
            except ValidationError as e:
                errors = _errors(e)
                for field, msgs in errors.items():
                    if field in form.fields:
                        for m in msgs:
                            form.add_error(field, m)
            else:
                messages.success(request, _("已转介：%(no)s") % {"no": referral.number})
                return redirect("arbitration:detail", pk=referral.pk)
        elif claim_errors:
            errors["claimants"] = claim_errors
    status = 400 if request.method == "POST" else 200
    return render(request, "arbitration/new.html", {
        "form": form, "complaint": complaint, "case": case, "options": options, "chosen": chosen,
        "amounts": amounts, "errors": errors,
    }, status=status)  # fmt: skip


@require_GET
@login_required
def referral_letter(request, pk: int):
    referral = ascope.referral_for_user(request.user, pk)
    response = HttpResponse(referral_letter_pdf(referral), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="referral-{referral.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
