"""Permission-matrix entries: construction projects (issue 15). The labour bureau's case staff read the
projects of the regions they cover (404 outside); the clerk of the project's office manages them (others in
scope 403); the administrator reads none (lists 403, a project 404). The industry-department role is not a
cases Role: its cells are in tests/test_projects_scope.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from cases.models import Role
from tests.matrix import READERS, Entry, Target, clerk_acts


@dataclass
class ProjectTarget(Target):
    project_no: str = ""


_made = [0]


def project_target(code: str) -> ProjectTarget:
    from tests.projectkit import make_project

    _made[0] += 1
    project = make_project(500 + _made[0], region=code, labour=False)
    return ProjectTarget(project_no=project.project_no)


def reader_project(role: str, in_scope: bool) -> int:
    if role not in READERS or not in_scope:
        return 404
    return 200


def reader_list(role: str, _in_scope: bool) -> int:
    return 200 if role in READERS else 403


def manager_list(ok: int):
    def expect(role: str, _in_scope: bool) -> int:
        return ok if role == Role.CLERK else 403

    return expect


def _e(name: str, expect, *, method: str = "get", scoped: bool = True, **kw) -> Entry:
    if scoped:
        url = lambda t: reverse(name, args=[t.project_no])  # noqa: E731
        return Entry(url, expect, method=method, prepare=project_target, **kw)
    return Entry(lambda t: reverse(name), expect, method=method, scoped=False, **kw)


API = {"anonymous": (401, 403)}
ENTRIES = {
    "projects:index": _e("projects:index", reader_list, scoped=False),
    "projects:detail": _e("projects:detail", reader_project),
    "projects:import": _e("projects:import", manager_list(200), scoped=False),
    "projects:project-import": _e("projects:project-import", clerk_acts(200)),
    "api-project-list": _e("api-project-list", reader_list, scoped=False, **API),
    # a POST without a body: the clerk gets 400 naming the fields, others 403
    "api-project-import": _e("api-project-import", manager_list(400), method="post", scoped=False, **API),
    "api-project-detail": _e("api-project-detail", reader_project, **API),
    "api-project-units": _e("api-project-units", clerk_acts(400), method="post", **API),
    "api-project-notice-board": _e("api-project-notice-board", clerk_acts(400), method="post", **API),
    "api-project-status": _e("api-project-status", clerk_acts(400), method="post", **API),
    "api-project-account": _e("api-project-account", reader_project, **API),
    "api-project-labour-costs": _e("api-project-labour-costs", clerk_acts(400), method="post", **API),
    "api-project-account-close": _e("api-project-account-close", clerk_acts(400), method="post", **API),
    "api-project-roster": _e("api-project-roster", reader_project, **API),
    "api-project-attendance": _e("api-project-attendance", clerk_acts(400), method="post", **API),
    "api-project-wage-sheets": _e("api-project-wage-sheets", clerk_acts(400), method="post", **API),
    "api-project-payments": _e("api-project-payments", clerk_acts(400), method="post", **API),
}
