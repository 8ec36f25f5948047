"""An inspection's page (checklist, findings, outcome, its clocks, its redraws, the case it led to) and the
verification of its rectification order (整改核查) by one of its two inspectors; "整改核查" lists the
rectification orders of my inspections, due and overdue. Out of scope: 404; not its inspector: 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import clocks, scope
from ..forms import CHECK_CHOICES, VerifyForm
from ..models import Inspection, RectifyResult
from ..rectification import inspection_rectification_fail, inspection_rectification_verify, rectifications_of
from ..services import CHECKLIST

CHECK_WORDS = dict(CHECK_CHOICES)


def _pending(inspection: Inspection) -> bool:
    return inspection.outcome == Inspection.Outcome.RECTIFY and inspection.rectified_on is None


def _page(request, inspection: Inspection, form: VerifyForm | None = None):
    mine = scope.is_its_inspector(request.user, inspection)
    can_verify = mine and _pending(inspection)
    if can_verify and form is None:
        form = VerifyForm(initial={"verified_on": timezone.localdate()})
    checklist = [(label, CHECK_WORDS.get(inspection.checklist.get(key), "")) for key, label in CHECKLIST.items()]
    return render(request, "inspections/inspection.html", {
        "inspection": inspection, "plan": inspection.plan, "checklist": checklist,
        "inspectors": inspection.inspectors.order_by("name"),
        "redraws": inspection.redraws.select_related("removed", "added").order_by("at"),
        "clocks": clocks.clocks_of(inspection),
        "case": inspection.filing.case if inspection.filing is not None else None,
        "can_verify": can_verify, "form": form if can_verify else None,
        "overdue": _pending(inspection) and inspection.rectify_due and inspection.rectify_due < timezone.localdate(),
    })  # fmt: skip


def _inspection(request, pk: int) -> Inspection:
    return scope.inspection_for_read(request.user, pk)


@require_GET
@login_required
def inspection_page(request, pk: int):
    return _page(request, _inspection(request, pk))


@require_POST
@login_required
def rectification_verify_page(request, pk: int):
    """Corrected (the evidence note), or not corrected: a proactive case proposed for the leader's approval."""
    inspection = _inspection(request, pk)
    if not scope.is_its_inspector(request.user, inspection):
        raise PermissionDenied
    form = VerifyForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if d["result"] == RectifyResult.CORRECTED:
                inspection_rectification_verify(inspection=inspection, verified_on=d["verified_on"], note=d["note"],
                                                actor=request.user)  # fmt: skip
                done = _("整改核查已登记：已整改。")
            else:
                inspection_rectification_fail(
                    inspection=inspection, verified_on=d["verified_on"], note=d["note"],
                    workers_count=d["workers_count"], amount_owed=d["amount_owed"] or "0", actor=request.user,
                )  # fmt: skip
                done = _("整改核查已登记：逾期未整改，已提出立案审批，待负责人审批。")
        except ValidationError as err:
            for field, errors in err.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, done)
            return redirect("inspections:inspection", pk=inspection.pk)
    return _page(request, inspection, form)


@require_GET
@login_required
def rectifications(request):
    if not scope.is_inspector(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    rows = [
        {"inspection": i, "pending": _pending(i), "overdue": _pending(i) and i.rectify_due and i.rectify_due < today}
        for i in rectifications_of(request.user)
    ]
    return render(request, "inspections/rectifications.html", {"rows": rows})
