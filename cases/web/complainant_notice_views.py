"""Recording that the complainants without a phone were told of a suspension or extension another way
(cases.complainant_notices.case_complainants_notice_record): the case page form and
`POST /api/v1/cases/<case_no>/complainant-notices/`. The case's assigned inspectors (Right.INVESTIGATE): out of
scope 404, otherwise 403; a missing method or note 400 naming the field; no notice awaited 400 on "case"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import scope
from ..complainant_notices import case_complainants_notice_record
from ..models import Case


def notice_record_perform(user, case_no: str, data) -> Case:
    case = scope.case_for_user(user, case_no, scope.Right.INVESTIGATE)
    return case_complainants_notice_record(
        case=case, actor=user, method=str(data.get("method") or ""), note=str(data.get("note") or "")
    )


@require_POST
@login_required
def complainant_notice_record(request, case_no: str):
    try:
        notice_record_perform(request.user, case_no, request.POST)
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("已登记告知投诉人情况。"))
    return redirect("cases:detail", case_no=case_no)
