"""The worker (person) page: a person across the cases the viewer may read, with what was claimed, owed
and paid on each; the ID number and phone masked. A leader may merge a duplicate record of the same person
(same resident ID number) into this one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .. import persons, scope
from ..masking import mask_id, mask_phone
from ..models import Party, Role


class PersonMergeForm(forms.Form):
    duplicate = forms.IntegerField(label=gettext_lazy("重复记录编号"), min_value=1)
    reason = forms.CharField(label=gettext_lazy("合并理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


def _duplicates(user, party: Party) -> list[dict]:
    """Other records of the same ID number the viewer may see (through a case in scope)."""
    if not party.id_number_index:
        return []
    rows = []
    for other in Party.objects.filter(id_number_index=party.id_number_index).exclude(pk=party.pk).order_by("pk"):
        try:
            scope.party_for_user(user, other.pk)
        except Http404:  # not in the viewer's scope: not shown
            continue
        rows.append({"pk": other.pk, "name": other.name, "phone": mask_phone(other.phone)})
    return rows


@require_http_methods(["GET", "POST"])
@login_required
def worker_detail(request, party_id: int):
    party, cases = scope.party_for_user(request.user, party_id)
    form = PersonMergeForm(request.POST or None)
    if request.method == "POST":
        if not scope.has_role(request.user, Role.LEADER):
            raise PermissionDenied
        if form.is_valid():
            duplicate = Party.objects.filter(pk=form.cleaned_data["duplicate"]).first()
            try:
                if duplicate is None:
                    raise ValidationError({"duplicate": _("没有这条记录。")})
                scope.party_for_user(request.user, duplicate.pk)  # in scope, else 404
                persons.person_merge(keep=party, duplicate=duplicate, actor=request.user,
                                     reason=form.cleaned_data["reason"])  # fmt: skip
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("已合并重复记录。"))
                return redirect("cases:worker", party_id=party.pk)
    return render(
        request,
        "cases/worker_detail.html",
        {
            "party": party,
            "id_number": mask_id(party.id_number),
            "phone": mask_phone(party.phone),
            "rows": persons.person_cases(party, cases),
            "merges": persons.person_merges(party),
            "duplicates": _duplicates(request.user, party),
            "can_merge": scope.has_role(request.user, Role.LEADER),
            "form": form,
        },
    )
