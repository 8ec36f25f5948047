"""Management commands: load_regions, create_staff, seed_demo, verify_timeline."""

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from cases.models import Case, Region, StaffRole

pytestmark = pytest.mark.django_db

JIANGXI_CITIES = {
    "360100": "南昌市", "360200": "景德镇市", "360300": "萍乡市", "360400": "九江市", "360500": "新余市",
    "360600": "鹰潭市", "360700": "赣州市", "360800": "吉安市", "360900": "宜春市", "361000": "抚州市",
    "361100": "上饶市",
}  # fmt: skip


def test_jiangxi_is_complete():
    jx = Region.objects.filter(code__startswith="36")
    assert dict(jx.filter(level="city").values_list("code", "name")) == JIANGXI_CITIES
    counties = jx.filter(level="county")
    assert counties.count() == 100
    assert counties.get(code="360302").name == "安源区"
    assert counties.get(code="360313").name == "湘东区"
    assert counties.get(code="360704").name == "赣县区"  # current names, not 赣县
    assert counties.get(code="360483").name == "庐山市"
    for county in counties.select_related("parent__parent"):
        assert county.parent.level == "city" and county.parent.parent.code == "360000"
        assert county.path == f"36/{county.code[:4]}/{county.code}/"


def test_counties_under_the_province_hang_under_it():
    xiantao = Region.objects.get(code="429004")  # 仙桃市, administered directly by 湖北省
    assert xiantao.level == "county" and xiantao.parent.code == "420000"
    assert xiantao.path == "42/429004/"
    assert Region.objects.filter(path__startswith="42/").filter(code="429004").exists()


def test_load_regions_is_idempotent_and_reports_progress(capsys):
    call_command("load_regions", "--province", "360000")
    out = capsys.readouterr().out
    assert "regions 112/112" in out and "0 created, 0 updated" in out


def test_load_regions_refuses_a_code_that_is_not_a_province():
    with pytest.raises(CommandError, match="province: 360300 is not a province code"):
        call_command("load_regions", "--province", "360300")


def test_create_staff_prints_a_token(capsys):
    call_command("create_staff", "new_clerk", "--region", "360302", "--role", "clerk", "--token")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("new_clerk: clerk at 安源区")
    assert Token.objects.get(user__username="new_clerk").key == lines[-1]
    assert StaffRole.objects.filter(user__username="new_clerk", region__code="360302", role="clerk").exists()


def test_create_staff_token_authenticates_the_api(client, capsys):
    call_command("create_staff", "api_leader", "--region", "360300", "--role", "leader", "--token")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    response = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    regions = {row["region_code"] for row in response.json()["results"]}
    assert "360302" in regions and "360102" not in regions


@pytest.mark.parametrize(
    "args, message",
    [
        (["x", "--region", "999999", "--role", "clerk"], "region: no region with code '999999'"),
        (["bad name!", "--region", "360302", "--role", "clerk"], "username:"),
    ],
)
def test_create_staff_names_the_bad_field(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_staff", *args)


def test_seed_demo_prints_logins_that_work(client, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    for role in ["clerk", "inspector", "legal", "leader", "auditor", "admin"]:
        for code in ["360000", "360300", "360302", "360313"]:
            assert f"{role}_{code}" in out
    assert client.login(username="leader_360000", password="zhiqian-demo-2026")
    assert client.get("/cases/").status_code == 200
    call_command("seed_demo")  # idempotent
    assert Case.objects.filter(region__code="360302").count() >= 2


def test_every_demo_login_logs_in_through_the_login_page(client, capsys):
    call_command("seed_demo")
    capsys.readouterr()
    for role in ["clerk", "inspector", "legal", "leader", "auditor", "admin"]:
        response = client.post("/accounts/login/", {"username": f"{role}_360302", "password": "zhiqian-demo-2026"})
        assert response.status_code == 302, role
        client.logout()


def test_verify_timeline_unknown_case():
    with pytest.raises(CommandError, match="case: no case 'nope'"):
        call_command("verify_timeline", "--case", "nope")
