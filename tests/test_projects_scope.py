"""Scope of the construction projects (issue 15, item 6): the industry-department role sees and manages its
own industry's projects in its region and below, and no case or complaint data; the bureau's roles follow
cases.scope's region rules. Out of scope 404, in scope without the right 403."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from projects.registry import industry_role_grant
from tests import world
from tests.projectkit import make_project

pytestmark = pytest.mark.django_db


def industry_user(department: str, code: str):
    user = get_user_model().objects.create(username=f"{department}_{code}")
    industry_role_grant(actor=None, user=user, region=world.region(code), department=department)
    return user


@pytest.fixture
def projects():
    return {
        "housing_360302": make_project(31, region="360302", department="housing"),
        "transport_360302": make_project(32, region="360302", department="transport"),
        "housing_360313": make_project(33, region="360313", department="housing"),
    }


def _get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


def test_housing_user_of_360302_sees_its_projects_not_transports_not_360313s(client, projects):
    housing = industry_user("housing", "360302")
    own, transport, other = (projects[k].project_no for k in ("housing_360302", "transport_360302", "housing_360313"))
    listed = {row["project_no"] for row in _get(client, housing, "api-project-list").json()["results"]}
    assert own in listed and transport not in listed and other not in listed
    for name in ("projects:detail", "api-project-detail", "api-project-roster", "api-project-account"):
        assert _get(client, housing, name, own).status_code == 200, name
        assert _get(client, housing, name, transport).status_code == 404, name
        assert _get(client, housing, name, other).status_code == 404, name
    page = _get(client, housing, "projects:index").content.decode()
    assert own in page and transport not in page and other not in page


def test_city_housing_department_sees_the_counties_below(client, projects):
    city = industry_user("housing", "360300")
    assert _get(client, city, "api-project-detail", projects["housing_360302"].project_no).status_code == 200
    assert _get(client, city, "api-project-detail", projects["housing_360313"].project_no).status_code == 200
    assert _get(client, city, "api-project-detail", projects["transport_360302"].project_no).status_code == 404


def test_industry_department_sees_no_case_or_complaint_data(client, projects):
    housing = industry_user("housing", "360302")
    project = projects["housing_360302"]
    case = world.make_case("360302", employer=project.units.get(role="general").employer.name)
    receipt = case.complaints.first().receipt_no
    assert _get(client, housing, "cases:index").status_code == 403
    assert _get(client, housing, "api-case-list").status_code == 403
    assert _get(client, housing, "complaints:index").status_code == 403
    assert _get(client, housing, "cases:detail", case.case_no).status_code == 404
    assert _get(client, housing, "complaints:detail", receipt).status_code == 404
    page = _get(client, housing, "projects:detail", project.project_no).content.decode()
    assert case.case_no not in page and "行业主管部门不查看案件信息" in page
    # the bureau's clerk sees the case on the project page: its employer is the general contractor
    clerk_page = _get(client, world.user("clerk", "360302"), "projects:detail", project.project_no).content.decode()
    assert case.case_no in clerk_page


def test_industry_department_manages_its_projects_only(client, projects):
    housing = industry_user("housing", "360302")
    client.force_login(housing)
    url = reverse("api-project-units", args=[projects["housing_360302"].project_no])
    from tests.factories import uscc

    body = {"name": "萍乡某专业分包公司", "uscc": uscc(4242), "role": "specialist"}
    assert client.post(url, body, content_type="application/json").status_code == 201
    other = reverse("api-project-units", args=[projects["transport_360302"].project_no])
    assert client.post(other, body, content_type="application/json").status_code == 404
    # registering: its own industry and region only
    new = {"project_no": "JX-NEW-1", "name": "新项目", "region_code": "360302", "department": "housing"}
    assert client.post(reverse("api-project-list"), new, content_type="application/json").status_code == 201
    wrong = {**new, "project_no": "JX-NEW-2", "department": "transport"}
    assert client.post(reverse("api-project-list"), wrong, content_type="application/json").status_code == 403
    elsewhere = {**new, "project_no": "JX-NEW-3", "region_code": "360313"}
    assert client.post(reverse("api-project-list"), elsewhere, content_type="application/json").status_code == 403


def test_wrong_role_cannot_manage_in_scope_403(client, projects):
    project = projects["housing_360302"].project_no
    inspector = world.user("inspector", "360302")
    client.force_login(inspector)
    assert client.get(reverse("api-project-detail", args=[project])).status_code == 200
    body = {"bank": "建设银行", "account_no": "6217002000012345678", "opened_on": "2026-01-20"}
    assert client.post(reverse("api-project-account", args=[project]), body).status_code == 403
    assert client.post(reverse("api-project-list"), {"project_no": "x"}).status_code == 403
    client.force_login(world.user("clerk", "360302"))
    assert client.post(reverse("api-project-account", args=[project]), body).status_code == 201
    # the leader of the city reads (subtree) but does not manage
    client.force_login(world.user("leader", "360300"))
    assert client.get(reverse("api-project-account", args=[project])).json()["account_no"] == "6217***********5678"
    assert client.post(reverse("api-project-units", args=[project]), {}).status_code == 403


def test_import_page_reports_each_bad_row_and_writes_nothing_for_it(client, projects):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import person_id
    from tests.projectkit import ROSTER_HEADER, csv_bytes

    project = projects["housing_360302"]
    client.force_login(industry_user("housing", "360302"))
    unit = project.units.get(role="labour").employer.uscc
    good, bad = person_id(1, prefix="36030219800101"), person_id(2, prefix="36030219800101")
    bad = bad[:-1] + ("0" if bad[-1] != "0" else "1")
    rows = [[1, "赵一", "男", good, unit], [2, "钱二", "男", bad, unit]]
    upload = SimpleUploadedFile("花名册.csv", csv_bytes(ROSTER_HEADER[:5], rows))
    url = reverse("projects:project-import", args=[project.project_no])
    page = client.post(url, {"kind": "roster", "file": upload}).content.decode()
    assert "第3行「身份证号」：身份证号校验位错误" in page and "新增或更新1行，错误1行" in page
    assert [w.person.name for w in project.workers.all()] == ["赵一"]
    assert client.get(url).status_code == 200
    transport = reverse("projects:project-import", args=[projects["transport_360302"].project_no])
    assert client.get(transport).status_code == 404
