"""REST API of the flows (SPEC §7): public complaint submission and status, and the
generic task API every flow reuses (list, detail with the form's fields, assign, complete)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import intake, throttling
from cases import selectors as case_selectors
from cases.deadlines import subject_link

from . import leader, selectors, services, starts
from .public_views import request_hash

# Public endpoints: throttled per client address on the shared cache (cases.throttling, cases.clientip).
COMPLAINT_THROTTLES = [throttling.ComplaintBurstThrottle, throttling.ComplaintSubmitThrottle]
STATUS_THROTTLES = [throttling.StatusLookupThrottle]


class TaskRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case_no = serializers.SerializerMethodField()
    receipt_no = serializers.SerializerMethodField()
    flow = serializers.SerializerMethodField()
    step = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    status = serializers.CharField()
    region_code = serializers.CharField(source="process.caseprocess.region.code")
    owner = serializers.CharField(source="owner.username", default=None, allow_null=True)
    due_at = serializers.SerializerMethodField()

    def _process(self, task):
        return task.process.caseprocess

    def get_case_no(self, task) -> str | None:
        case = self._process(task).case
        return case.case_no if case else None

    def get_receipt_no(self, task) -> str | None:
        complaint = self._process(task).complaint
        return complaint.receipt_no if complaint else None

    def get_flow(self, task) -> str:
        return task.flow_task.flow_class.__name__

    def get_step(self, task) -> str:
        return task.flow_task.name

    def get_title(self, task) -> str:
        return str(task.flow_task.task_title or task.flow_task.name)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_due_at(self, task):
        due = getattr(task, "case_due", None) or getattr(task, "complaint_due", None)
        return serializers.DateTimeField().to_representation(due) if due else None


def _subject_words(deadline) -> str | None:
    """The words of a clock's subject when it is neither a case nor a complaint (cases.deadlines.subjects)."""
    link = subject_link(deadline) if deadline.subject_ref else None
    return link[0] if link else None


def form_fields(form: forms.Form) -> list[dict]:
    kinds = {  # DecimalField and FloatField are IntegerFields too: before it
        forms.BooleanField: "boolean",
        forms.DecimalField: "decimal",
        forms.FloatField: "number",
        forms.IntegerField: "integer",
        forms.DateField: "date",
        forms.ModelMultipleChoiceField: "multiple_choice",
        forms.MultipleChoiceField: "multiple_choice",
        forms.ChoiceField: "choice",
    }
    fields = []
    for name, field in form.fields.items():
        kind = next((v for k, v in kinds.items() if isinstance(field, k)), "string")
        entry = {"name": name, "label": str(field.label or name), "type": kind, "required": field.required}
        if isinstance(field, forms.ChoiceField | forms.ModelMultipleChoiceField):
            entry["choices"] = [{"value": str(v), "label": str(lbl)} for v, lbl in field.choices]
        fields.append(entry)
    return fields


def _task_or_404(request, task_id):
    return selectors.task_for_user(request.user, task_id)


class TaskPageSerializer(serializers.Serializer):
    results = TaskRowSerializer(many=True)
    next_after = serializers.IntegerField(allow_null=True)


class FieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(
        ["string", "boolean", "integer", "decimal", "number", "date", "choice", "multiple_choice"]
    )
    required = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.DictField(), required=False)


class TaskDetailSerializer(TaskRowSerializer):
    can_claim = serializers.BooleanField()
    fields = FieldSerializer(many=True)


class NextTasksSerializer(serializers.Serializer):
    next_tasks = TaskRowSerializer(many=True)


class ComplaintStatusSerializer(serializers.Serializer):
    receipt_no = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    received_at = serializers.DateTimeField()
    accept_due = serializers.DateTimeField(allow_null=True)
    case_no = serializers.CharField(allow_null=True)
    reason = serializers.CharField()
    # the stages the complainant may know (cases.public_status): received, accepted/refused, order issued, closed
    stages = serializers.ListField(child=serializers.DictField())
    order_due = serializers.DateField(allow_null=True)
    amount_recovered = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    outcome = serializers.CharField()
    documents = serializers.ListField(child=serializers.DictField())
    history = serializers.ListField(child=serializers.DictField())


class ReceiptSerializer(serializers.Serializer):
    receipt_no = serializers.CharField()
    status = serializers.CharField()
    region_code = serializers.CharField()
    accept_due = serializers.DateTimeField(allow_null=True)


class TaskListAPI(APIView):
    @extend_schema(
        operation_id="tasks_list",
        parameters=[OpenApiParameter("scope", str, enum=["mine", "queue"]), OpenApiParameter("after", int)],
        responses=TaskPageSerializer,
    )
    def get(self, request):
        which = request.query_params.get("scope", "mine")
        if which not in ("mine", "queue"):
            raise ParseError({"scope": ["scope 只能是 mine 或 queue"]})
        qs = selectors.tasks_inbox(request.user) if which == "mine" else selectors.tasks_queue(request.user)
        try:
            after = int(request.query_params.get("after") or 0) or None
        except ValueError:
            raise ParseError({"after": ["after 必须是任务编号"]})
        rows, next_after = selectors.keyset_page(qs, after=after)
        return Response({"results": TaskRowSerializer(rows, many=True).data, "next_after": next_after})


class TaskDetailAPI(APIView):
    @extend_schema(responses=TaskDetailSerializer)
    def get(self, request, task_id: int):
        task = _task_or_404(request, task_id)
        node = task.flow_task
        data = TaskRowSerializer(task).data
        data["can_claim"] = task.status == "NEW" and node.allowed(request.user, task)
        data["fields"] = form_fields(node.form_class(task=task))
        return Response(data)


class TaskAssignAPI(APIView):
    @extend_schema(request=None, responses={200: TaskRowSerializer, 403: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT})
    def post(self, request, task_id: int):
        task = _task_or_404(request, task_id)
        try:
            services.task_assign(task=task, actor=request.user)
        except services.TaskConflict as exc:
            return Response({"errors": {"detail": [str(exc)]}}, status=status.HTTP_409_CONFLICT)
        return Response(TaskRowSerializer(task).data)


class TaskCompleteAPI(APIView):
    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: NextTasksSerializer, 400: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
    )
    def post(self, request, task_id: int):
        task = _task_or_404(request, task_id)
        data = request.data
        if hasattr(data, "getlist"):
            payload = data
        else:  # JSON: lists stay lists for multiple-choice fields
            from django.utils.datastructures import MultiValueDict

            payload = MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in dict(data).items()})
        try:
            next_tasks = services.task_complete(task=task, actor=request.user, data=payload)
        except services.TaskConflict as exc:
            return Response({"errors": {"detail": [str(exc)]}}, status=status.HTTP_409_CONFLICT)
        return Response({"next_tasks": TaskRowSerializer(next_tasks, many=True).data})


class ComplaintSubmitAPI(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = COMPLAINT_THROTTLES

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        parameters=[OpenApiParameter("Idempotency-Key", str, location=OpenApiParameter.HEADER)],
        responses={201: ReceiptSerializer, 200: ReceiptSerializer, 400: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if len(key) > 64:
            raise ValidationError({"idempotency_key": ["Idempotency-Key 不能超过 64 个字符"]})
        clean = intake.complaint_validate(body, staff=False)
        complaint, created = services.intake_submit(
            actor=None,
            clean=clean,
            channel=clean.channel,
            idempotency_key=f"api:{key}" if key else None,
            request_hash=request_hash(body),
        )
        info = case_selectors.complaint_public_status(complaint)
        return Response(
            {k: info[k] for k in ("receipt_no", "status", "region_code", "accept_due")},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ComplaintStatusAPI(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = STATUS_THROTTLES

    @extend_schema(
        parameters=[OpenApiParameter("phone_last4", str, required=True)], responses=ComplaintStatusSerializer
    )
    def get(self, request, receipt_no: str):
        receipt_no = receipt_no.strip().upper()
        # a receipt number with too many failed lookups is locked for every address (429, Retry-After)
        if (wait := throttling.throttle_blocked("status_receipt", receipt_no)) is not None:
            raise throttling.receipt_locked_error(wait)
        complaint = case_selectors.complaint_public_lookup(
            receipt_no=receipt_no, phone_last4=request.query_params.get("phone_last4", "")
        )
        if complaint is None:
            throttling.throttle_hit("status_receipt", receipt_no)
            raise NotFound()
        info = case_selectors.complaint_public_status(complaint)
        info["history"] = [{"at": h["at"], "kind": h["kind"]} for h in info["history"]]
        return Response(ComplaintStatusSerializer(info).data)


class FlowSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    fields = FieldSerializer(many=True)


class FlowListAPI(APIView):
    @extend_schema(responses=FlowSerializer(many=True))  # a list, not an object
    def get(self, request):
        return Response(
            [
                {"name": s.name, "title": str(s.title), "fields": form_fields(s.form_class())}
                for s in starts.startable_for(request.user)
            ]
        )


class FlowStartAPI(APIView):
    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: NextTasksSerializer, 400: OpenApiTypes.OBJECT})
    def post(self, request, name: str):
        if name not in starts.STARTABLE:
            raise NotFound()
        process = starts.flow_start(name=name, actor=request.user, data=request.data)
        rows = selectors.tasks_for_process(process)
        return Response(
            {"process_id": process.pk, "next_tasks": TaskRowSerializer(rows, many=True).data},
            status=status.HTTP_201_CREATED,
        )


class LeaderScreenAPI(APIView):
    """`?section=approvals|overdue|supervised&after=<cursor>`: one section, oldest first, keyset-paged."""

    @extend_schema(
        parameters=[
            OpenApiParameter("section", str, enum=["approvals", "overdue", "supervised"]),
            OpenApiParameter("after", str),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        leader.require_leader(request.user)
        section = request.query_params.get("section", "approvals")
        after = request.query_params.get("after") or None
        if section == "approvals":
            rows, nxt = leader.approvals(request.user, after=int(after) if after and after.isdigit() else None)
            return Response({"results": TaskRowSerializer(rows, many=True).data, "next_after": nxt})
        if section == "overdue":
            rows, nxt = leader.overdue(request.user, after=after)
            data = [
                {"id": d.pk, "kind": d.kind, "title": d.title, "region_code": d.region.code, "due_at": d.due_at,
                 "case_no": d.case.case_no if d.case else None,
                 "receipt_no": d.complaint.receipt_no if d.complaint else None, "legal_basis": d.legal_basis,
                 "subject": _subject_words(d)}
                for d in rows
            ]  # fmt: skip
            return Response({"results": data, "next_after": nxt})
        if section == "supervised":
            rows, nxt = leader.supervised(request.user, after=int(after) if after and after.isdigit() else None)
            data = [
                {"id": s.pk, "case_no": s.case.case_no, "region_code": s.case.region.code,
                 "supervising_region_code": s.supervising_region.code, "status": s.status,
                 "started_at": s.started_at}
                for s in rows
            ]  # fmt: skip
            return Response({"results": data, "next_after": nxt})
        raise ParseError({"section": ["section 只能是 approvals、overdue 或 supervised"]})
