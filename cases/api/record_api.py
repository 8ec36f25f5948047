"""REST API of the person records and of an employer's replacement on a case (SPEC §7):

- `GET /api/v1/persons/<id>/`: a person across the cases the user may read (ID number and phone masked);
- `POST /api/v1/persons/<id>/merge/` {"duplicate": id, "reason": "…"}: a leader merges a duplicate record;
- `POST /api/v1/cases/<case_no>/employer/` {"name", "uscc"?, "address"?, "legal_representative"?, "reason"}:
  replace the case's employer before a decision is issued (clerk or leader of the handling
  office, or an inspector on the case).

Out of scope → 404, without the right → 403, a broken rule → 400 {"errors": {"field": ["…"]}}.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiTypes, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import persons, scope
from ..employers import case_employer_replace
from ..intake.validation import employer_validate
from ..masking import mask_id, mask_phone
from ..models import Party, Role
from .serializers import CaseSerializer


def _body(request) -> dict:
    data = request.data
    if not isinstance(data, dict) and not hasattr(data, "getlist"):
        raise ValidationError({"body": _("请求内容应为一个 JSON 对象。")})
    return data


def reason_of(body) -> str:
    """The body's "reason": text, or a 400 naming it."""
    reason = body.get("reason", "")
    if reason is not None and not isinstance(reason, str):
        raise ValidationError({"reason": _("理由应为文字。")})
    return reason or ""


def person_data(party: Party, rows) -> dict:
    return {
        "id": party.pk,
        "name": party.name,
        "id_number": mask_id(party.id_number),
        "phone": mask_phone(party.phone),
        "cases": [
            {
                "case_no": r.case.case_no,
                "status": r.case.status,
                "status_display": r.case.get_status_display(),
                "employer": r.case.employer.name,
                "roles": r.roles,
                "claimed": str(r.claimed),
                "owed": str(r.owed),
                "paid": str(r.paid),
                "outstanding": str(r.outstanding),
            }
            for r in rows
        ],
        "merges": [
            {"at": m.at, "merged_party": m.merged_party_id, "reason": m.reason} for m in persons.person_merges(party)
        ],
    }


class PersonDetailAPI(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, party_id: int):
        party, cases = scope.party_for_user(request.user, party_id)
        return Response(person_data(party, persons.person_cases(party, cases)))


MERGE_REQUEST = inline_serializer(
    "PersonMergeRequest",
    {"duplicate": serializers.IntegerField(help_text="the duplicate record's id"), "reason": serializers.CharField()},
)
REPLACE_REQUEST = inline_serializer(
    "CaseEmployerReplaceRequest",
    {
        "name": serializers.CharField(),
        "uscc": serializers.CharField(required=False),
        "address": serializers.CharField(required=False),
        "legal_representative": serializers.CharField(required=False),
        "uscc_override_reason": serializers.CharField(required=False),
        "reason": serializers.CharField(),
    },
)


class PersonMergeAPI(APIView):
    @extend_schema(request=MERGE_REQUEST, responses=OpenApiTypes.OBJECT)
    def post(self, request, party_id: int):
        keep, _cases = scope.party_for_user(request.user, party_id)
        if not scope.has_role(request.user, Role.LEADER):
            raise PermissionDenied
        body = _body(request)
        raw = body.get("duplicate")
        if isinstance(raw, bool) or not str(raw or "").strip().isdigit() or len(str(raw).strip()) > 12:
            raise ValidationError({"duplicate": _("请填写重复记录的编号（整数）。")})
        duplicate = Party.objects.filter(pk=int(str(raw).strip())).first()
        if duplicate is None:
            raise ValidationError({"duplicate": _("没有这条记录。")})
        try:
            scope.party_for_user(request.user, duplicate.pk)
        except Http404:
            raise ValidationError({"duplicate": _("没有这条记录。")}) from None
        persons.person_merge(keep=keep, duplicate=duplicate, actor=request.user, reason=reason_of(body))
        keep.refresh_from_db()
        _keep, cases = scope.party_for_user(request.user, keep.pk)
        return Response(person_data(keep, persons.person_cases(keep, cases)))


class CaseEmployerAPI(APIView):
    @extend_schema(request=REPLACE_REQUEST, responses=CaseSerializer)
    def post(self, request, case_no: str):
        case = scope.case_for_user(request.user, case_no)
        role = scope.role_on_any(request.user, scope.EMPLOYER_REPLACERS, [case])
        if role is None:
            raise PermissionDenied
        body = _body(request)
        raw = {k: body.get(k) for k in ("name", "uscc", "address", "legal_representative", "uscc_override_reason")}
        clean, errors = employer_validate(raw, staff=True)
        if errors:
            raise ValidationError(errors)
        case = case_employer_replace(case=case, employer=clean, actor=request.user, role=role,
                                     reason=reason_of(body))  # fmt: skip
        return Response(CaseSerializer(case).data)
