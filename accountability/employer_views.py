"""The employer page (staff): an employer across the cases the viewer may read, its listings,
publications and corrections. The handling office's clerk or a leader over one of its cases corrects the
record here; the employer of a case not yet decided is replaced here too (cases.employers)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cases import scope
from cases.employers import CORRECTABLE, REPLACEABLE, case_employer_replace, employer_correct, employer_replaceable
from cases.intake.validation import employer_validate
from cases.models import Case, Employer

from .employer_records import employer_record
from .forms import service_errors


class EmployerCorrectForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("单位名称"), max_length=200, required=False)
    uscc = forms.CharField(label=gettext_lazy("统一社会信用代码"), max_length=18, required=False)
    legal_representative = forms.CharField(
        label=gettext_lazy("法定代表人（主要负责人）"), max_length=64, required=False
    )
    address = forms.CharField(label=gettext_lazy("地址"), max_length=300, required=False)
    reason = forms.CharField(label=gettext_lazy("更正理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def changes(self, employer: Employer) -> dict:
        """The fields whose value differs from the record (blank fields that are blank on the record: none)."""
        out = {}
        for field in CORRECTABLE:
            value = " ".join((self.cleaned_data.get(field) or "").split())
            if value != (getattr(employer, field) or ""):
                out[field] = value
        return out


class CaseEmployerForm(forms.Form):
    """The employer of one case replaced: the case, the employer it really is, why."""

    case_no = forms.ChoiceField(label=gettext_lazy("案件"))
    new_name = forms.CharField(label=gettext_lazy("实际用人单位名称"), max_length=200)
    new_uscc = forms.CharField(label=gettext_lazy("统一社会信用代码"), max_length=18, required=False)
    new_legal_representative = forms.CharField(
        label=gettext_lazy("法定代表人（主要负责人）"), max_length=64, required=False
    )
    new_address = forms.CharField(label=gettext_lazy("地址"), max_length=300, required=False)
    replace_reason = forms.CharField(
        label=gettext_lazy("更换理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, cases: list[Case], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_no"].choices = [(c.case_no, c.case_no) for c in cases]


def _replaceable(user, cases) -> list[tuple[Case, str]]:
    """The cases (in scope, not decided) whose employer `user` may replace, with the role it acts in."""
    out = []
    open_cases = cases.filter(status__in=REPLACEABLE, decision="").select_related("region").order_by("-pk")[:200]
    for case in open_cases:
        role = scope.role_on_any(user, scope.EMPLOYER_REPLACERS, [case])
        if role is not None and employer_replaceable(case):
            out.append((case, role))
    return out


def _replace(request, form: CaseEmployerForm, replaceable: list[tuple[Case, str]]) -> bool:
    if not form.is_valid():
        return False
    d = form.cleaned_data
    case, role = next((c, r) for c, r in replaceable if c.case_no == d["case_no"])
    clean, errors = employer_validate(
        {"name": d["new_name"], "uscc": d["new_uscc"], "legal_representative": d["new_legal_representative"],
         "address": d["new_address"]},
        staff=True,
    )  # fmt: skip
    try:
        if errors:
            raise ValidationError({f"new_{path.split('.')[-1]}": texts for path, texts in errors.items()})
        case_employer_replace(case=case, employer=clean, actor=request.user, role=role, reason=d["replace_reason"])
    except ValidationError as exc:
        service_errors(form, {("replace_reason" if k == "reason" else k): v for k, v in exc.message_dict.items()})
        return False
    return True


@require_http_methods(["GET", "POST"])
@login_required
def employer_detail(request, pk: int):
    employer, cases = scope.employer_for_user(request.user, pk)
    role = scope.role_on_any(request.user, scope.EMPLOYER_CORRECTORS, cases)
    replaceable = _replaceable(request.user, cases)
    replacing = request.method == "POST" and request.POST.get("action") == "replace"
    initial = {f: getattr(employer, f) for f in CORRECTABLE}
    form = EmployerCorrectForm(request.POST if request.method == "POST" and not replacing else None, initial=initial)
    replace_form = CaseEmployerForm(request.POST if replacing else None, cases=[c for c, _r in replaceable])
    if replacing:
        if not replaceable:
            raise PermissionDenied
        if _replace(request, replace_form, replaceable):
            messages.success(request, _("已更换案件的用人单位。"))
            return redirect("accountability-staff:employer", pk=employer.pk)
    elif request.method == "POST":
        if role is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                employer_correct(
                    employer=employer, actor=request.user, role=role, reason=form.cleaned_data["reason"],
                    **form.changes(employer),
                )  # fmt: skip
            except ValidationError as exc:
                service_errors(form, exc.message_dict)
            else:
                messages.success(request, _("已更正用人单位信息。"))
                return redirect("accountability-staff:employer", pk=employer.pk)
    context = employer_record(employer, cases)
    context.update(form=form, can_correct=role is not None, replace_form=replace_form, can_replace=bool(replaceable))
    return render(request, "accountability/employer_detail.html", context)
