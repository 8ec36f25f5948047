"""Permission-matrix entries: starting flows by hand, and suspending / resuming an investigation."""

from django.urls import reverse

from cases.investigation import case_suspend
from cases.models import Case, Role
from tests import world
from tests.matrix import Entry, Target, any_staff, assigned_case_target, inspector_acts

PROPOSERS = {Role.INSPECTOR, Role.LEADER}


def _proposer(ok: int):
    return lambda role, in_scope: ok if role in PROPOSERS else 403


def suspended_case_target(code: str) -> Target:
    target = assigned_case_target(code)
    case = Case.objects.get(case_no=target.case_no)
    case_suspend(
        case=case, actor=world.user_by_name(world.username("inspector", code)), reason="用人单位负责人下落不明"
    )
    return target


REASON = {"reason": "用人单位负责人下落不明"}

ENTRIES = {
    "tasks:start": Entry(lambda t: reverse("tasks:start", args=["filing"]), _proposer(200), scoped=False),
    "api-flow-list": Entry(lambda t: reverse("api-flow-list"), any_staff, scoped=False, anonymous=(401, 403)),
    # an empty proposal: the field errors (400) for those who may propose, 403 for the others
    "api-flow-start": Entry(
        lambda t: reverse("api-flow-start", args=["filing"]), _proposer(400), method="post", scoped=False,
        anonymous=(401, 403),
    ),
    "cases:suspend": Entry(
        lambda t: reverse("cases:suspend", args=[t.case_no]), inspector_acts(302), method="post",
        prepare=assigned_case_target, data=REASON,
    ),
    "cases:resume": Entry(
        lambda t: reverse("cases:resume", args=[t.case_no]), inspector_acts(302), method="post",
        prepare=suspended_case_target, data=REASON,
    ),
    "api-case-suspend": Entry(
        lambda t: reverse("api-case-suspend", args=[t.case_no]), inspector_acts(200), method="post",
        prepare=assigned_case_target, data=REASON, anonymous=(401, 403),
    ),
    "api-case-resume": Entry(
        lambda t: reverse("api-case-resume", args=[t.case_no]), inspector_acts(200), method="post",
        prepare=suspended_case_target, data=REASON, anonymous=(401, 403),
    ),
}  # fmt: skip
