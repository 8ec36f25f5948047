"""REST API of the investigation (SPEC §7): evidence, the arrears ledger, records, the case ledger export
(output serializers: cases.api.investigation_serializers).

Thin views over cases.scope and the services. Reads need Right.READ_CASE on the case, writes
Right.INVESTIGATE (the case's assigned inspectors, or an assisting inspector). Out of scope → 404,
without the right → 403, a broken rule → 400 {"errors": {"field": ["…"]}}.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import evidence as evidence_services
from .. import ledger, records, scope
from ..models import Case, InvestigationRecord
from ..web import ledger_export
from ..web.downloads import evidence_file_response, xlsx_response
from ..web.investigation_forms import proof_for
from .investigation_serializers import EvidenceSerializer, LedgerEntrySerializer, LedgerSerializer, RecordSerializer

# --- helpers -------------------------------------------------------------------------------------


class AnyAccept:
    """File responses: an Accept header naming the file's type must not end in 406; errors stay JSON."""

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)


def _list(data, key: str) -> list:
    if hasattr(data, "getlist"):
        return data.getlist(key)
    value = data.get(key)
    if value in (None, ""):
        return []
    return value if isinstance(value, list) else [value]


def _worker(data) -> dict:
    """The worker as a JSON object, or as flat form fields worker_name / worker_id_number / worker_phone."""
    worker = data.get("worker")
    if isinstance(worker, dict):
        return worker
    return {
        "name": data.get("worker_name", ""),
        "id_number": data.get("worker_id_number", ""),
        "phone": data.get("worker_phone", ""),
    }


def _inspectors(case: Case, usernames: list) -> list:
    names = [str(n).strip() for n in usernames if str(n).strip()]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    unknown = [n for n in names if n not in users]
    if unknown:
        raise ValidationError({"inspectors": f"没有这些用户：{'、'.join(unknown)}。"})
    return list(users.values())


def _entry_row(entry, case: Case) -> dict:
    # The creator typed the ID number and phone; the response does not echo them unmasked.
    return ledger.ledger_entry_row(entry, unmasked=False)


CASE_FILTERS = [
    OpenApiParameter("status", str),
    OpenApiParameter("region", str, description="six-digit region code; includes the regions below it"),
    OpenApiParameter("q", str, description="case number, receipt number, employer name or USCC, complainant name"),
]
XLSX = ledger_export.XLSX_CONTENT_TYPE


# --- views ---------------------------------------------------------------------------------------


class CaseExportAPI(AnyAccept, APIView):
    """The 台账 of the cases in the user's scope, with the case list's filters."""

    @extend_schema(
        operation_id="cases_export_xlsx", parameters=CASE_FILTERS, responses={(200, XLSX): OpenApiTypes.BINARY}
    )
    def get(self, request):
        p = request.query_params
        content = ledger_export.cases_ledger_xlsx(
            user=request.user, status=p.get("status", ""), region=p.get("region", ""), q=p.get("q", "")
        )
        return xlsx_response(content)


class EvidenceListAPI(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=EvidenceSerializer(many=True))
    def get(self, request, case_no):
        case = scope.case_for_user(request.user, case_no)
        items = case.evidence.select_related("uploaded_by", "case").order_by("-uploaded_at", "-id")
        return Response(EvidenceSerializer(items, many=True).data)

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "EvidenceUpload", {"file": serializers.FileField(), "description": serializers.CharField()}
            )
        },
        responses={201: EvidenceSerializer},
    )
    def post(self, request, case_no):
        case = scope.case_for_user(request.user, case_no, scope.Right.INVESTIGATE)
        evidence = evidence_services.evidence_upload(
            case=case,
            upload=request.FILES.get("file"),
            description=request.data.get("description", ""),
            actor=request.user,
        )
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class EvidenceDownloadAPI(AnyAccept, APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, case_no, evidence_id):
        case = scope.case_for_user(request.user, case_no)
        evidence = case.evidence.filter(pk=evidence_id).first()
        if evidence is None:
            raise Http404
        return evidence_file_response(evidence)


class LedgerAPI(APIView):
    @extend_schema(responses=LedgerSerializer)
    def get(self, request, case_no):
        case = scope.case_for_user(request.user, case_no)
        view = ledger.ledger_view(case=case, viewer=request.user)
        return Response(LedgerSerializer({"case_no": case.case_no, **view}).data)

    @extend_schema(
        request=inline_serializer(
            "LedgerEntryCreate",
            {
                "worker": inline_serializer(
                    "LedgerWorker",
                    {
                        "name": serializers.CharField(),
                        "id_number": serializers.CharField(),
                        "phone": serializers.CharField(required=False),
                    },
                ),
                "period_start": serializers.DateField(),
                "period_end": serializers.DateField(),
                "amount_owed": serializers.DecimalField(max_digits=14, decimal_places=2),
            },
        ),
        responses={201: LedgerEntrySerializer},
    )
    def post(self, request, case_no):
        case = scope.case_for_user(request.user, case_no, scope.Right.INVESTIGATE)
        data = request.data
        entry = ledger.ledger_entry_add(
            case=case,
            worker=_worker(data),
            period_start=data.get("period_start"),
            period_end=data.get("period_end"),
            amount_owed=data.get("amount_owed"),
            actor=request.user,
        )
        return Response(LedgerEntrySerializer(_entry_row(entry, case)).data, status=status.HTTP_201_CREATED)


class PaymentAPI(APIView):
    @extend_schema(
        request=inline_serializer(
            "PaymentCreate",
            {
                "amount": serializers.DecimalField(max_digits=14, decimal_places=2),
                "paid_on": serializers.DateField(),
                "proof": serializers.IntegerField(required=False, help_text="id of this case's evidence"),
            },
        ),
        responses={201: LedgerEntrySerializer},
    )
    def post(self, request, case_no, entry_id):
        case = scope.case_for_user(request.user, case_no, scope.Right.INVESTIGATE)
        entry = case.ledger.select_related("worker").filter(pk=entry_id).first()
        if entry is None:
            raise Http404
        entry.case = case
        data = request.data
        ledger.payment_record(
            entry=entry,
            amount=data.get("amount"),
            paid_on=data.get("paid_on"),
            proof=proof_for(case, data.get("proof")),
            actor=request.user,
        )
        return Response(LedgerEntrySerializer(_entry_row(entry, case)).data, status=status.HTTP_201_CREATED)


class RecordListAPI(APIView):
    @extend_schema(responses=RecordSerializer(many=True))
    def get(self, request, case_no):
        case = scope.case_for_user(request.user, case_no)
        return Response(RecordSerializer(records.case_records(case), many=True).data)

    @extend_schema(
        request=inline_serializer(
            "RecordCreate",
            {
                "kind": serializers.ChoiceField(choices=InvestigationRecord.Kind.choices),
                "held_at": serializers.DateTimeField(),
                "place": serializers.CharField(),
                "subject": serializers.CharField(),
                "content": serializers.CharField(),
                "inspectors": serializers.ListField(child=serializers.CharField(), help_text="usernames, at least two"),
            },
        ),
        responses={201: RecordSerializer},
    )
    def post(self, request, case_no):
        case = scope.case_for_user(request.user, case_no, scope.Right.INVESTIGATE)
        data = request.data
        record = records.record_add(
            case=case,
            kind=data.get("kind", ""),
            held_at=data.get("held_at"),
            place=data.get("place", ""),
            subject=data.get("subject", ""),
            content=data.get("content", ""),
            inspectors=_inspectors(case, _list(data, "inspectors")),
            actor=request.user,
        )
        return Response(RecordSerializer(record).data, status=status.HTTP_201_CREATED)
