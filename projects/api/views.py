"""REST API of the construction projects: thin views, every object through projects.scope, one service each.
Errors as {"errors": {"field": ["message"]}} (cases.api.errors)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import scope as case_scope
from cases.liable_units import liable_units
from cases.rights import Right

from .. import accounts, chain, importing, prefill, registry, scope, selectors
from ..models import ProjectUnit

UPLOAD = {
    "multipart/form-data": inline_serializer(
        "ProjectFileUpload", {"file": serializers.FileField(), "month": serializers.CharField(required=False)}
    )
}
REPORT = {200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT}


class ProjectRowSerializer(serializers.Serializer):
    project_no = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField(source="region.code")
    department = serializers.CharField()
    status = serializers.CharField()
    government_invested = serializers.BooleanField()


class ByNewest(CursorPagination):
    ordering = "-id"
    page_size = 50


def _file(request):
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError({"file": [_("请选择要导入的文件。")]})
    return upload, upload.name


def plain(value):
    """Amounts as strings with 2 places ("30000.00", as the cases API writes money), recursively."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _data(request) -> dict:
    if not hasattr(request.data, "get"):
        raise ValidationError({"body": [_("请求内容应为对象。")]})
    return request.data


def _report(report) -> Response:
    return Response(report.as_dict(), status=status.HTTP_200_OK)


@extend_schema(parameters=[OpenApiParameter("department", str, description="housing, transport, water or other")])
class ProjectListAPI(generics.ListAPIView):
    """GET: the projects the user may read (newest first). POST: register a project (JSON)."""

    serializer_class = ProjectRowSerializer
    pagination_class = ByNewest

    def get_queryset(self):
        qs = scope.projects_visible(self.request.user).select_related("region")
        department = self.request.query_params.get("department", "")
        return qs.filter(department=department) if department else qs

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT, 200: OpenApiTypes.OBJECT})
    def post(self, request):
        if not scope.manages_anywhere(request.user):
            raise PermissionDenied
        clean = registry.project_validate(request.data)
        project, state = registry.project_register(actor=request.user, clean=clean)
        code = status.HTTP_201_CREATED if state == "created" else status.HTTP_200_OK
        return Response(plain(selectors.project_detail(project)), status=code)


class ProjectImportAPI(APIView):
    """POST: the project list (在建项目清单, CSV or XLSX); a report of each row."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=UPLOAD, responses=REPORT)
    def post(self, request):
        if not scope.manages_anywhere(request.user):
            raise PermissionDenied
        upload, name = _file(request)
        return _report(importing.projects_import(actor=request.user, file=upload, filename=name))


class ProjectDetailAPI(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, project_no):
        return Response(plain(selectors.project_detail(scope.project_for_user(request.user, project_no))))


class ProjectUnitsAPI(APIView):
    """POST {name, uscc, role, parent?}: a unit joins the chain."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def post(self, request, project_no):
        project = scope.project_for_user(request.user, project_no, manage=True)
        data = _data(request)
        parent = None
        if data.get("parent"):
            raw = str(data.get("parent"))
            parent = (
                ProjectUnit.objects.filter(project=project, pk=int(raw)).first()
                if raw.isdigit() and len(raw) < 18
                else None
            )
            if parent is None:
                raise ValidationError({"parent": [_("上级单位不属于本项目。")]})
        registry.project_unit_add(
            actor=request.user, project=project, name=data.get("name", ""), uscc=data.get("uscc", ""),
            role=data.get("role", ""), parent=parent,
        )  # fmt: skip
        return Response({"units": selectors.chain(project)}, status=status.HTTP_201_CREATED)


class ProjectNoticeBoardAPI(APIView):
    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def post(self, request, project_no):
        project = scope.project_for_user(request.user, project_no, manage=True)
        registry.project_notice_board_record(
            actor=request.user, project=project, posted_on=_data(request).get("posted_on"),
            note=_data(request).get("note", ""),
        )  # fmt: skip
        return Response(plain(selectors.project_data(project)))


class ProjectStatusAPI(APIView):
    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def post(self, request, project_no):
        project = scope.project_for_user(request.user, project_no, manage=True)
        registry.project_status_set(
            actor=request.user, project=project, status=_data(request).get("status"),
            completed_on=_data(request).get("completed_on"),
        )  # fmt: skip
        return Response(plain(selectors.project_data(project)))


class WageAccountAPI(APIView):
    """GET: the account (number masked). POST {bank, account_no, opened_on, tripartite_signed_on}: open it."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, project_no):
        return Response(plain(selectors.account_info(scope.project_for_user(request.user, project_no))))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def post(self, request, project_no):
        project = scope.project_for_user(request.user, project_no, manage=True)
        d = _data(request)
        accounts.wage_account_open(
            actor=request.user, project=project, bank=d.get("bank"), account_no=d.get("account_no"),
            opened_on=d.get("opened_on"), tripartite_signed_on=d.get("tripartite_signed_on"),
        )  # fmt: skip
        return Response(plain(selectors.account_info(project)), status=status.HTTP_201_CREATED)


class LabourCostAPI(APIView):
    """POST {month, amount, received_on}: labour costs received into the account."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def post(self, request, project_no):
        project = scope.project_for_user(request.user, project_no, manage=True)
        d = _data(request)
        accounts.labour_cost_record(
            actor=request.user, project=project, month=d.get("month"), amount=d.get("amount"),
            received_on=d.get("received_on"),
        )  # fmt: skip
        return Response({"payroll": plain(selectors.payroll_months(project))}, status=status.HTTP_201_CREATED)


class WageAccountCloseAPI(APIView):
    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def post(self, request, project_no):
        project = scope.project_for_user(request.user, project_no, manage=True)
        accounts.wage_account_close(actor=request.user, project=project, closed_on=_data(request).get("closed_on"))
        return Response(plain(selectors.account_info(project)))


class _ProjectFileAPI(APIView):
    parser_classes = [MultiPartParser, FormParser]
    service = staticmethod(importing.roster_import)
    monthly = False

    @extend_schema(request=UPLOAD, responses=REPORT)
    def post(self, request, project_no):
        project = scope.project_for_user(request.user, project_no, manage=True)
        upload, name = _file(request)
        extra = {"month": _data(request).get("month") or None} if self.monthly else {}
        return _report(self.service(actor=request.user, project=project, file=upload, filename=name, **extra))


class RosterAPI(_ProjectFileAPI):
    """GET: the roster (ID numbers masked). POST: the real-name platform's roster file."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, project_no):
        return Response({"workers": selectors.roster(scope.project_for_user(request.user, project_no))})


class AttendanceAPI(_ProjectFileAPI):
    service = staticmethod(importing.attendance_import)


class WageSheetAPI(_ProjectFileAPI):
    service = staticmethod(importing.wage_sheet_import)
    monthly = True


class PaymentsAPI(_ProjectFileAPI):
    service = staticmethod(importing.payments_import)
    monthly = True


def _liable_units(case) -> list[dict]:
    return [
        {
            "id": u.pk,
            "employer": u.employer.name,
            "uscc": u.employer.uscc,
            "role": u.role,
            "role_label": str(u.get_role_display()),
            "basis": u.basis,
            "basis_label": str(u.get_basis_display()),
            "note": u.note,
        }
        for u in liable_units(case)
    ]


class CaseChainLiableUnitsAPI(APIView):
    """按项目关联责任单位. GET: the case's liable units and what its employer's project chain proposes.
    POST {roles?, reason?}: name the chain's liable units on the case (default: the direct employer and the
    general contractor, WPR art. 30; "construction" for the construction unit, WPR art. 29)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, case_no):
        case = case_scope.case_for_user(request.user, case_no)
        proposals = [p.as_dict() for p in chain.chain_liable_units_propose(case)]
        return Response({"liable_units": _liable_units(case), "proposals": proposals})

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def post(self, request, case_no):
        case = case_scope.case_for_user(request.user, case_no, Right.INVESTIGATE)
        data = _data(request)
        roles = data.getlist("roles") if hasattr(data, "getlist") else data.get("roles")
        reason = data.get("reason", "")
        if not isinstance(reason, str):
            raise ValidationError({"reason": [_("理由应为文字。")]})
        chain.case_chain_liable_units_add(case=case, actor=request.user, roles=roles or None, reason=reason)
        return Response({"liable_units": _liable_units(case)}, status=status.HTTP_201_CREATED)


class CaseLedgerPrefillAPI(APIView):
    """POST {months: ["YYYY-MM", …], unit?}: the case's ledger pre-filled from the project's roster and wage
    sheets (the unit: the case's employer's, or a liable unit's chain unit id)."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def post(self, request, case_no):
        case = case_scope.case_for_user(request.user, case_no, Right.INVESTIGATE)
        data = _data(request)
        months = data.getlist("months") if hasattr(data, "getlist") else data.get("months")
        unit = None
        if data.get("unit"):
            raw = str(data.get("unit"))
            unit = ProjectUnit.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 18 else None
            if unit is None:
                raise ValidationError({"unit": [_("该单位不是本案的用人单位或责任单位。")]})
        result = prefill.case_ledger_prefill(case=case, actor=request.user, months=months, unit=unit)
        return Response(result.as_dict(), status=status.HTTP_201_CREATED)
