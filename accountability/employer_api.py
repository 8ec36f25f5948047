"""REST API of the employer record (staff):

- `GET /api/v1/employers/<id>/`: the employer, its cases in the user's scope, their listings and
  publications, and the corrections history;
- `POST /api/v1/employers/<id>/corrections/` {"uscc"?, "name"?, "legal_representative"?, "address"?,
  "reason"}: the handling office's clerk or leader corrects the record (cases.employers.employer_correct).

Out of scope → 404, without the right → 403, a broken rule → 400 {"errors": {"field": ["…"]}}.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiTypes, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import scope
from cases.api.record_api import reason_of
from cases.employers import CORRECTABLE, employer_correct

from .employer_records import employer_record


def employer_data(record: dict) -> dict:
    e = record["employer"]
    return {
        "id": e.pk,
        "name": e.name,
        "uscc": e.uscc,
        "legal_representative": e.legal_representative,
        "address": e.address,
        "cases": [
            {"case_no": c.case_no, "region": c.region.code, "status": c.status,
             "status_display": c.get_status_display(), "workers_count": c.workers_count,
             "amount_owed": str(c.amount_owed), "amount_paid": str(c.amount_paid)}
            for c in record["cases"]
        ],
        "listings": [
            {"case_no": item.case.case_no, "status": item.status, "status_display": item.get_status_display(),
             "decision_number": item.decision.number if item.decision_id else "", "listed_at": item.listed_at,
             "expires_at": item.expires_at}
            for item in record["listings"]
        ],
        "publications": [
            {"case_no": p.case.case_no, "office": p.publication.region.code, "period": p.publication.period,
             "status": p.publication.status, "legal_representative": p.legal_representative}
            for p in record["publications"]
        ],
        "history": [
            {"at": h.at, "kind": h.kind, "kind_display": h.get_kind_display(), "field": h.field,
             "field_display": h.field_label, "old": h.old_value, "new": h.new_value, "reason": h.reason,
             "case_no": h.case.case_no if h.case_id else "", "actor": h.actor.username if h.actor_id else ""}
            for h in record["history"]
        ],
    }  # fmt: skip


class EmployerDetailAPI(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        employer, cases = scope.employer_for_user(request.user, pk)
        return Response(employer_data(employer_record(employer, cases)))


CORRECT_REQUEST = inline_serializer(
    "EmployerCorrectRequest",
    {
        **{f: serializers.CharField(required=False) for f in CORRECTABLE},
        "reason": serializers.CharField(),
    },
)


class EmployerCorrectAPI(APIView):
    @extend_schema(request=CORRECT_REQUEST, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        employer, cases = scope.employer_for_user(request.user, pk)
        role = scope.role_on_any(request.user, scope.EMPLOYER_CORRECTORS, cases)
        if role is None:
            raise PermissionDenied
        body = request.data
        if not isinstance(body, dict) and not hasattr(body, "getlist"):
            raise ValidationError({"body": _("请求内容应为一个 JSON 对象。")})
        given = {}
        for field in CORRECTABLE:
            if field in body:
                value = body.get(field)
                if value is not None and not isinstance(value, str):
                    raise ValidationError({field: _("应为文字。")})
                given[field] = value or ""
        employer_correct(employer=employer, actor=request.user, role=role, reason=reason_of(body), **given)
        employer.refresh_from_db()
        return Response(employer_data(employer_record(employer, cases)), status=200)
