"""People pick regions by name (issue 14 item 7): the picker's field resolves names, the region tree's JSON
endpoints (staff: their scope; public: the province, throttled), the forms that use it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Complaint, Region, Role
from cases.region_picker import RegionField
from cases.regions import region_labels, regions_named
from tests import world

pytestmark = pytest.mark.django_db

def _codes(regions) -> list[str]:
    return [r.code for r in regions]


def test_a_name_a_full_name_or_its_beginning_finds_the_region():
    jiangxi = Region.objects.filter(path__startswith="36/")
    assert _codes(regions_named("萍乡", jiangxi)) == ["360300"]
    assert _codes(regions_named("萍乡市", jiangxi)) == ["360300"]
    assert _codes(regions_named("安源区", jiangxi)) == ["360302"]
    assert _codes(regions_named("萍乡市安源区", jiangxi)) == ["360302"]
    assert _codes(regions_named("江西省 萍乡市 安源区", jiangxi)) == ["360302"]
    assert _codes(regions_named("360302", jiangxi)) == ["360302"]
    assert regions_named("火星市", jiangxi) == []
    assert regions_named("430102", jiangxi) == []  # outside what may be picked
    region = Region.objects.get(code="360302")
    assert region_labels([region])[region.pk] == "江西省 萍乡市 安源区"


def test_the_field_cleans_to_a_code_and_names_itself_in_its_errors():
    field = RegionField(label="用工所在地", regions=Region.objects.filter(path__startswith="36/"))
    assert field.clean("萍乡") == "360300"
    assert field.clean("") == ""
    with pytest.raises(Exception) as bad:
        field.clean("萍乡x")
    assert "用工所在地" in str(bad.value) and "萍乡x" in str(bad.value)
    html = str(field.widget.render("region", "360302"))
    assert "data-region-picker" in html and "安源区" in html and 'value="360302" selected' in html


def test_the_staff_tree_is_the_users_scope(client):
    url = reverse("cases:regions")
    assert client.get(url).status_code == 302  # login first
    client.force_login(world.user(Role.LEADER, "360300"))
    data = client.get(url).json()["regions"]
    codes = {r["code"] for r in data}
    assert {"360300", "360302", "360313"} <= codes and "360102" not in codes and "360000" not in codes
    found = client.get(url, {"q": "萍乡"}).json()["regions"]
    city = {"code": "360300", "name": "萍乡市", "label": "江西省 萍乡市", "level": "city", "parent": "360000"}
    assert found[0] == city
    children = {r["code"] for r in client.get(url, {"parent": "360300"}).json()["regions"]}
    assert "360302" in children and "360300" not in children
    assert client.get(url, {"parent": "360100"}).status_code == 404  # another city: not in scope
    client.force_login(world.user(Role.CLERK, "360302"))  # a county office: its own county
    assert {r["code"] for r in client.get(url).json()["regions"]} == {"360302"}


def test_a_user_without_a_role_gets_403(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody_regions"))
    assert client.get(reverse("cases:regions")).status_code == 403


def test_the_public_tree_is_the_province_and_is_throttled(settings):
    settings.ZHIQIAN_THROTTLE_RATES = {"public_regions": "3/minute", "public_pages": "1000/hour"}
    client = Client(REMOTE_ADDR="198.51.100.77")
    url = reverse("public:regions")
    first = client.get(url)
    assert first.status_code == 200
    codes = {r["code"] for r in first.json()["regions"]}
    assert {"360000", "360300", "360302", "360102"} <= codes and "430102" not in codes
    assert client.get(url, {"q": "萍乡"}).json()["regions"][0]["code"] == "360300"
    assert client.get(url).status_code == 200
    refused = client.get(url)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_the_case_list_filters_by_a_region_name(client):
    inside = world.make_case("360302")
    client.force_login(world.user(Role.LEADER, "360300"))
    page = client.get(reverse("cases:index"), {"region": "安源区"})
    assert page.status_code == 200 and inside.case_no in page.content.decode()
    bad = client.get(reverse("cases:index"), {"region": "萍乡x"}).content.decode()
    assert "没有找到名为“萍乡x”的行政区划" in bad


PUBLIC_FORM = {
    "complainant_name": "张三",
    "complainant_id_number": "34052419800101001X",
    "complainant_phone": "13807990001",
    "employer_name": "萍乡市某区划测试建筑有限公司",
    "project_name": "安源区某安置房项目",
    "workers_count": "12",
    "amount_owed": "86000.00",
    "period_start": "2026-05-01",
    "period_end": "2026-10-31",
    "description": "工程完工后拖欠工资。",
}


def test_the_public_form_takes_a_region_by_name_and_refuses_a_bad_one(settings):
    settings.ZHIQIAN_THROTTLE_RATES = {"complaint_burst": "100/minute", "complaint": "100/hour"}
    client = Client(REMOTE_ADDR="198.51.100.78")
    page = client.get(reverse("public:complaint")).content.decode()
    assert "data-region-picker" in page and "安源区" in page and "区划代码" not in page
    before = Complaint.objects.count()
    bad = client.post(reverse("public:complaint"), {**PUBLIC_FORM, "region_code": "萍乡x", "idempotency_key": "rp1"})
    assert bad.status_code == 400 and "用工所在地" in bad.content.decode() and "萍乡x" in bad.content.decode()
    assert Complaint.objects.count() == before  # nothing written
    good = client.post(
        reverse("public:complaint"), {**PUBLIC_FORM, "region_code": "萍乡市 安源区", "idempotency_key": "rp2"}
    )
    assert good.status_code == 200
    assert Complaint.objects.order_by("-id").first().region.code == "360302"


def test_the_publication_periods_are_picked_in_words(client):
    from accountability.forms import ViolationFilterForm, period_label

    assert period_label("2026Q3") == "2026年第三季度" and period_label("2026H2") == "2026年下半年"
    form = ViolationFilterForm(periods=["2026Q3"])
    assert ("2026Q3", "2026年第三季度") in form.fields["period"].choices
    page = client.get(reverse("accountability:violations")).content.decode()
    assert "2026Q3、2026H2" not in page and "data-region-picker" in page


def test_staff_may_list_the_whole_province_for_a_transfer(client):
    client.force_login(world.user(Role.CLERK, "360302"))
    codes = {r["code"] for r in client.get(reverse("cases:regions"), {"scope": "province"}).json()["regions"]}
    assert {"360302", "360313", "360102"} <= codes and "430102" not in codes


def test_the_transfer_target_is_picked_by_name():
    from workflows.intake.forms import AcceptanceForm

    form = AcceptanceForm(data={"decision": "transfer", "reason": "用工地在湘东区", "target_region_code": "湘东区"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["target_region"].code == "360313"
    bad = AcceptanceForm(data={"decision": "transfer", "reason": "x", "target_region_code": "湘东"})
    assert bad.is_valid()  # "湘东" is the beginning of one name only
    unknown = AcceptanceForm(data={"decision": "transfer", "reason": "x", "target_region_code": "长沙市"})
    assert not unknown.is_valid() and "移送至" in str(unknown.errors["target_region_code"])
    empty = AcceptanceForm(data={"decision": "transfer", "reason": "x", "target_region_code": ""})
    assert not empty.is_valid() and "target_region_code" in empty.errors
