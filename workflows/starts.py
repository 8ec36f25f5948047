"""Flows a user may start by hand (SPEC §7 `GET /api/v1/flows/`, `POST /api/v1/flows/{name}/start/`).

Each entry: a form for its fields, who may start it, and the service that starts it.
Later flows (supervision, referral, listing, accountability) register here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cases import investigation, scope, timeline
from cases.models import Region

from .flows import ExtensionFlow, FilingFlow


class FilingStartForm(forms.Form):
    origin = forms.ChoiceField(
        label=_("案件来源"), choices=[(o.value, o.label) for o in investigation.PROACTIVE_ORIGINS]
    )
    employer_name = forms.CharField(label=_("用人单位名称"), max_length=200, required=False)
    employer_uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    employer_address = forms.CharField(label=_("单位地址"), max_length=300, required=False)
    employer_uscc_override_reason = forms.CharField(
        label=_("信用代码校验不通过时的采信理由"), max_length=200, required=False
    )
    project_name = forms.CharField(label=_("工程项目"), max_length=200, required=False)
    project_address = forms.CharField(label=_("项目地址"), max_length=300, required=False)
    workers_count = forms.CharField(label=_("涉及人数"), required=False)
    amount_owed = forms.CharField(label=_("初步核实欠薪金额（元）"), required=False)
    facts = forms.CharField(label=_("案件来源及基本事实"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    region_code = forms.CharField(label=_("承办机构区划代码（不填为本机构）"), max_length=6, required=False)

    def body(self) -> dict:
        d = {k: (self.data.get(k) or "").strip() for k in self.fields}
        return {
            "origin": d["origin"],
            "employer": {"name": d["employer_name"], "uscc": d["employer_uscc"], "address": d["employer_address"],
                         "uscc_override_reason": d["employer_uscc_override_reason"]},
            "project": {"name": d["project_name"], "address": d["project_address"]},
            "workers_count": d["workers_count"], "amount_owed": d["amount_owed"], "facts": d["facts"],
            "region_code": d["region_code"],
        }  # fmt: skip


class ExtensionStartForm(forms.Form):
    case_no = forms.CharField(label=_("案件编号"), max_length=32)
    reason = forms.CharField(
        label=_("延期理由（案情复杂的具体情形）"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


@dataclass(frozen=True)
class Startable:
    name: str
    title: str
    form_class: type[forms.Form]
    may_start: Callable
    start: Callable  # (actor, form) -> CaseProcess


def _filing_start(actor, form):
    body = form.body()
    offices = scope.regions_with(actor, scope.Right.PROPOSE)
    code = body.pop("region_code")
    region = Region.objects.filter(code=code).first() if code else None
    if code and (region is None or region.pk not in offices):
        raise ValidationError({"region_code": [_("只能在本人所在机构提出立案。")]})
    region = region or Region.objects.get(pk=offices[0])
    proposal = investigation.filing_proposal_validate(body)
    return FilingFlow.start.run(region=region, proposal=proposal, proposer=actor)


def _extension_start(actor, form):
    case = scope.case_for_user(actor, form.cleaned_data["case_no"].strip(), scope.Right.INVESTIGATE)
    reason = form.cleaned_data["reason"]
    investigation.extension_request_check(case=case)
    process = ExtensionFlow.start.run(case=case, reason=reason, requester=actor)
    timeline.record(case, "case.extension_requested", actor=actor, role="inspector", data={"reason": reason})
    return process


STARTABLE: dict[str, Startable] = {
    "filing": Startable(
        "filing", _("主动立案（立案审批）"), FilingStartForm,
        lambda user: bool(scope.regions_with(user, scope.Right.PROPOSE)), _filing_start,
    ),
    "extension": Startable(
        "extension", _("申请延长调查期限"), ExtensionStartForm,
        lambda user: scope.has_exception(user, scope.Right.INVESTIGATE), _extension_start,
    ),
}  # fmt: skip


def register(startable: Startable) -> None:
    """Feature modules (workflows/flows_*.py) add the flows a user may start by hand."""
    STARTABLE[startable.name] = startable


def startable_for(user) -> list[Startable]:
    return [s for s in STARTABLE.values() if s.may_start(user)]


@transaction.atomic
def flow_start(*, name: str, actor, data) -> object:
    """Start flow `name` with the form data. KeyError → 404; PermissionDenied → 403; ValidationError → 400."""
    startable = STARTABLE[name]
    if not startable.may_start(actor):
        raise PermissionDenied
    form = startable.form_class(data=data)
    if not form.is_valid():
        raise ValidationError({k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()})
    return startable.start(actor, form)


__all__ = ["STARTABLE", "Startable", "flow_start", "register", "startable_for"]
