"""Permission-matrix entries of the penalty procedure and the case's causes (cases.web.penalty_actions,
cases.api.penalty_api): writes on a fresh case assigned to the office's inspector — its inspector adds a cause
(201 in the API, 302 back to the page), everyone else in scope 403, out of scope 404; the state reads like the
case."""

from django.urls import reverse

from tests.matrix import Entry, assigned_case_target, inspector_acts, reader_page

API_ANON = (401, 403)
CAUSE = {"violation": "no_notice_board", "note": "施工现场未设维权信息告示牌"}

ENTRIES = {
    "cases:penalty-action": Entry(
        lambda t: reverse("cases:penalty-action", args=[t.case_no, "cause"]), inspector_acts(302), method="post",
        prepare=assigned_case_target, data=CAUSE,
    ),
    "api-case-penalty": Entry(
        lambda t: reverse("api-case-penalty", args=[t.case_no]), reader_page, anonymous=API_ANON,
    ),
    "api-case-penalty-action": Entry(
        lambda t: reverse("api-case-penalty-action", args=[t.case_no, "cause"]), inspector_acts(201), method="post",
        prepare=assigned_case_target, data=CAUSE, anonymous=API_ANON,
    ),
}  # fmt: skip
