"""Permission matrix: the region tree of the region picker (issue 14 item 7). Staff: the regions their roles
cover (a parent region outside them: 404); the public tree: anyone, the province."""

from __future__ import annotations

from django.urls import reverse

from tests.matrix import Entry, Target, any_staff


def region_target(code: str) -> Target:
    return Target(case_no=code)  # the region's code rides in the target's first field


def picks(_role: str, in_scope: bool) -> int:
    return 200 if in_scope else 404


ENTRIES = {
    "cases:regions": Entry(lambda t: f"{reverse('cases:regions')}?parent={t.case_no}", picks, prepare=region_target),
    "public:regions": Entry(lambda t: reverse("public:regions"), any_staff, scoped=False, anonymous=200),
}
