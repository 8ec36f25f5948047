"""`GET/POST /api/v1/cases/<case_no>/flags/`: the case's flags (群体性事件, 媒体反映, 领导批示, 上级督办,
政府投资项目), and setting or clearing one with a reason (cases.flags.case_flag_set). Reading needs
Right.READ_CASE; changing is for the case's inspectors and the leaders of its office and of those
above it (out of scope 404, otherwise 403); a bad flag, value or an empty reason: 400 naming the
field; a closed case: 400 on "case"."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import scope
from ..complainant_notices import METHODS
from ..flags import FLAGS, case_flags
from ..web.case_flags import case_flag_perform
from ..web.complainant_notice_views import notice_record_perform
from .serializers import CaseSerializer


class FlagSerializer(serializers.Serializer):
    flag = serializers.CharField()
    title = serializers.CharField(help_text="the flag as people read it")
    set = serializers.BooleanField()


class CaseFlagsSerializer(serializers.Serializer):
    case_no = serializers.CharField()
    flags = FlagSerializer(many=True)


FlagInput = inline_serializer(
    "CaseFlagInput",
    {
        "flag": serializers.ChoiceField(choices=list(FLAGS)),
        "value": serializers.BooleanField(help_text="true: set the flag; false: clear it"),
        "reason": serializers.CharField(),
    },
)


class CaseFlagsAPI(APIView):
    @extend_schema(responses=CaseFlagsSerializer)
    def get(self, request, case_no: str):
        case = scope.case_for_user(request.user, case_no)
        return Response(CaseFlagsSerializer({"case_no": case.case_no, "flags": case_flags(case)}).data)

    @extend_schema(request=FlagInput, responses=CaseFlagsSerializer)
    def post(self, request, case_no: str):
        case = case_flag_perform(request.user, case_no, request.data)
        return Response(CaseFlagsSerializer({"case_no": case.case_no, "flags": case_flags(case)}).data)


NoticeInput = inline_serializer(
    "ComplainantNoticeInput",
    {
        # a plain string in the schema: an enum here would collide with the service record's "method" enum
        "method": serializers.CharField(help_text="how they were told: " + ", ".join(METHODS)),
        "note": serializers.CharField(help_text="who was told, when, what"),
    },
)


class ComplainantNoticeAPI(APIView):
    """`POST /api/v1/cases/<case_no>/complainant-notices/`: the complainants without a phone were told of the
    suspension or extension another way; the notice clock closes (cases.web.complainant_notice_views)."""

    @extend_schema(request=NoticeInput, responses=CaseSerializer)
    def post(self, request, case_no: str):
        case = notice_record_perform(request.user, case_no, request.data)
        return Response(CaseSerializer(case).data)
