"""The employer page (staff): an employer across the cases the viewer may read, its listings,
publications and corrections; the handling office's clerk or leader corrects its record here."""

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
from cases.employers import CORRECTABLE, employer_correct
from cases.models import Employer, Role
from cases.rights import Right

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


def correction_role(user, cases) -> str | None:
    """The role the user corrects in: the handling office's clerk, or a leader of that office or above
    ("clerk" / "leader"); None when it may not."""
    if scope.can_on_any(user, (Right.INTAKE,), cases):
        return Role.CLERK
    if scope.can_on_any(user, (Right.APPROVE, Right.SUPERVISE), cases):
        return Role.LEADER
    return None


@require_http_methods(["GET", "POST"])
@login_required
def employer_detail(request, pk: int):
    employer, cases = scope.employer_for_user(request.user, pk)
    role = correction_role(request.user, cases)
    initial = {f: getattr(employer, f) for f in CORRECTABLE}
    form = EmployerCorrectForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if role is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                employer_correct(employer=employer, actor=request.user, role=role,
                                 reason=form.cleaned_data["reason"], **form.changes(employer))  # fmt: skip
            except ValidationError as exc:
                service_errors(form, exc.message_dict)
            else:
                messages.success(request, _("已更正用人单位信息。"))
                return redirect("accountability-staff:employer", pk=employer.pk)
    context = employer_record(employer, cases)
    context.update(form=form, can_correct=role is not None)
    return render(request, "accountability/employer_detail.html", context)
