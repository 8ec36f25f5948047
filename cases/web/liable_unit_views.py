"""The case's liable units (责任单位) in HTML: the page listing them with their roles on the contractor chain,
what the registered project's chain proposes, and the actions the user may take — name a unit liable (the
direct employer, the general contractor that pays a subcontractor's workers first, WPR art. 30, the
construction unit, WPR art. 29, a unit of illegal subcontracting, art. 36), take one off with a reason, and
the ways on (the handling decision addressed to a unit; a unit proposed for the credit list). The same
services as the API (cases.liable_units); every object through cases.scope."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from .. import scope
from ..liable_units import (
    NOTE_MAX,
    case_liable_unit_add,
    case_liable_unit_remove,
    liable_unit_proposals,
    liable_units,
)
from ..models import CaseLiableUnit, Document, Employer, LiableBasis, LiableRole
from ..values import compact

CHOOSE = [("", gettext_lazy("请选择"))]


class LiableUnitAddForm(forms.Form):
    """Name a unit liable: one of the units the page offers (the employer, the chain's units) or another
    registered unit by its USCC."""

    employer = forms.TypedChoiceField(label=gettext_lazy("责任单位"), required=False, coerce=int, empty_value=None)
    uscc = forms.CharField(label=gettext_lazy("或其他单位的统一社会信用代码"), required=False, max_length=30)
    role = forms.ChoiceField(label=gettext_lazy("责任角色"), choices=CHOOSE + LiableRole.choices)
    basis = forms.ChoiceField(label=gettext_lazy("法律依据"), choices=CHOOSE + LiableBasis.choices)
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=500, required=False)
    note = forms.CharField(label=gettext_lazy("说明"), max_length=NOTE_MAX, required=False)

    def __init__(self, *args, offered: list[Employer], **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = {e.pk: e for e in offered}
        field = self.fields["employer"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = CHOOSE + [(e.pk, _unit_label(e)) for e in offered]

    def clean(self):
        data = super().clean()
        chosen, code = data.get("employer"), compact(data.get("uscc") or "")
        if chosen and code:
            self.add_error("uscc", _("请选择责任单位，或填写其他单位的统一社会信用代码，二者选一。"))
        elif chosen:
            data["unit"] = self.offered[chosen]
        elif code:
            found = Employer.objects.filter(uscc=code).order_by("id").first()
            if found is None:
                self.add_error("uscc", _("未找到统一社会信用代码为%(code)s的单位。") % {"code": code})
            data["unit"] = found
        else:
            self.add_error("employer", _("请选择责任单位。"))
        return data


class LiableUnitRemoveForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=gettext_lazy("移除理由"), max_length=500)
    confirm = forms.BooleanField(label=gettext_lazy("确认移除该责任单位"))


def _unit_label(e: Employer) -> str:
    return f"{e.name}（{e.uscc}）" if e.uscc else e.name


def _offered(case, proposals) -> list[Employer]:
    seen: dict[int, Employer] = {case.employer_id: case.employer}
    for p in proposals:
        seen.setdefault(p.employer.pk, p.employer)
    return list(seen.values())


def _context(request, case, *, add_form=None, remove_form=None, remove_unit=None) -> dict:
    user = request.user
    may = scope.can(user, scope.Right.INVESTIGATE, region=case.region, case_id=case.pk)
    proposals = liable_unit_proposals(case)
    units = liable_units(case)
    addressed: dict[int, list[Document]] = {}
    for document in case.documents.order_by("issued_at", "id"):
        liable = (document.data or {}).get("liable_unit")
        if isinstance(liable, dict) and liable.get("id"):
            addressed.setdefault(int(liable["id"]), []).append(document)
    rows = [
        {
            "unit": u,
            "documents": addressed.get(u.pk, []),
            "pays_first": u.basis == LiableBasis.WPR_30,
            "remove_form": remove_form if remove_unit is not None and remove_unit.pk == u.pk else None,
        }
        for u in units
    ]
    return {
        "case": case,
        "rows": rows,
        "proposals": proposals,
        "may_act": may,
        "add_form": add_form or LiableUnitAddForm(offered=_offered(case, proposals)),
        "remove_form": remove_form,
        "remove_unit": remove_unit,
        "may_list": may and scope.has_exception(user, scope.Right.INVESTIGATE),
    }


@require_http_methods(["GET"])
@login_required
def liable_units_page(request, case_no: str):
    """The case's liable units: 200 in scope, 404 out of it, 403 without the right to read the case."""
    case = scope.case_for_user(request.user, case_no)
    return render(request, "cases/liable_units.html", _context(request, case))


def _service_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@require_POST
@login_required
def liable_unit_add(request, case_no: str):
    """Name a unit liable (the assigned inspector: 403 otherwise): errors name the field, nothing changes."""
    case = scope.case_for_user(request.user, case_no, scope.Right.INVESTIGATE)
    form = LiableUnitAddForm(request.POST, offered=_offered(case, liable_unit_proposals(case)))
    if form.is_valid():
        d = form.cleaned_data
        try:
            unit = case_liable_unit_add(
                case=case, employer=d["unit"], role=d["role"], basis=d["basis"], actor=request.user,
                reason=d["reason"], note=d["note"],
            )  # fmt: skip
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已将%(name)s列为本案%(role)s。") % {"name": unit.employer.name, "role": unit.get_role_display()},
            )
            return redirect("cases:liable-units", case_no=case.case_no)
    return render(request, "cases/liable_units.html", _context(request, case, add_form=form), status=400)


@require_POST
@login_required
def liable_unit_remove(request, case_no: str):
    """Take a unit off the case's list, with a reason and a confirmation."""
    case = scope.case_for_user(request.user, case_no, scope.Right.INVESTIGATE)
    form = LiableUnitRemoveForm(request.POST)
    valid = form.is_valid()
    unit_id = form.cleaned_data.get("unit")
    unit = CaseLiableUnit.objects.filter(case=case, pk=unit_id).select_related("employer").first() if unit_id else None
    if unit is None:
        form.add_error(None, _("请选择本案已列明的责任单位。"))
    elif valid:
        try:
            case_liable_unit_remove(unit=unit, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("已移除责任单位%(name)s。") % {"name": unit.employer.name})
            return redirect("cases:liable-units", case_no=case.case_no)
    context = _context(request, case, remove_form=form, remove_unit=unit)
    return render(request, "cases/liable_units.html", context, status=400)
