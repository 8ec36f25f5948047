"""The province administrator's day in Chromium (issue 14): log in, land on 账号管理, add a clerk in its own
subtree (done), try to add one outside it (refused with a message naming the rule; nothing created), then open
省级参数 and 工作日调整 and record one override. Screenshots feed docs/guide/admin.md."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from cases.models import ProvinceConfig, Region, Role, StaffRole, WorkdayOverride
from cases.regions import regions_load
from tests.journeys import PASSWORD, account, chromium, desk, login, screenshot, submit, world_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

User = get_user_model()
OVERRIDE_DAY = date(2027, 2, 20)  # a Saturday worked (调休上班)


def _new_account_form(page, base: str, username: str, full_name: str, region_code: str, role: str) -> None:
    page.goto(f"{base}/manage/accounts/")
    page.click("a:has-text('新增账号')")
    page.wait_for_selector("[name=username]")
    page.fill("[name=username]", username)
    page.fill("[name=first_name]", full_name)
    region = Region.objects.get(code=region_code)
    select = page.locator("select[name=region]")
    offered = select.evaluate("el => Array.from(el.options).map(o => o.value)")
    if str(region.pk) not in offered:  # not offered: a forged form (another tab, an old page, a crafted request)
        select.evaluate(
            "(el, o) => { const opt = new Option(o.text, o.value); el.add(opt); el.value = o.value; }",
            {"value": str(region.pk), "text": str(region)},
        )
    else:
        select.select_option(str(region.pk))
    page.select_option("[name=role]", role)
    page.fill("[name=password1]", PASSWORD)
    page.fill("[name=password2]", PASSWORD)


def test_an_admin_adds_an_account_in_its_subtree_is_refused_outside_and_keeps_the_calendar(live_server, monkeypatch):
    world_regions()
    regions_load(province="430000")  # 湖南省: another province, outside the administrator's subtree
    account("j_admin", Role.ADMIN, "360000", full_name="郑管理")
    base = live_server.url
    with chromium(monkeypatch) as browser:
        page = desk(browser)
        login(page, base, "j_admin", landing="/manage/accounts/")
        screenshot(page, "admin", "1-accounts")

        # inside: a clerk for 安源区
        _new_account_form(page, base, "ay_clerk2", "吴窗口", "360302", Role.CLERK)
        screenshot(page, "admin", "2-add")
        submit(page, "保存")
        page.wait_for_load_state("networkidle")
        assert not page.locator(".errorlist").count()
        page.goto(f"{base}/manage/accounts/?q=ay_clerk2")
        assert "吴窗口" in page.locator("table").inner_text()
        screenshot(page, "admin", "3-added")

        # outside: 长沙市芙蓉区 is not the administrator's — not offered, and a forged choice is refused
        _new_account_form(page, base, "hn_clerk", "越权账号", "430102", Role.CLERK)
        submit(page, "保存")
        page.wait_for_load_state("networkidle")
        errors = page.locator(".errorlist").all_inner_texts()
        assert any("只能在本级及下级区划内授予岗位" in e for e in errors), errors
        screenshot(page, "admin", "4-refused")

        # 省级参数 and 工作日调整, from the menu
        page.goto(f"{base}/manage/accounts/")
        page.locator("a:has-text('省级参数')").first.click()
        page.wait_for_load_state("networkidle")
        if page.locator(".object-tools a.addlink").count():  # the province's parameters not saved yet
            page.locator(".object-tools a.addlink").first.click()  # 增加 省级参数
            page.wait_for_selector("[name=province]")
            page.select_option("[name=province]", label=str(Region.objects.get(code="360000")))
        else:
            page.locator("#result_list a").first.click()
        page.wait_for_load_state("networkidle")
        screenshot(page, "admin", "5-province")
        submit(page, "保存")
        page.wait_for_load_state("networkidle")
        assert not page.locator(".errorlist").count()
        page.goto(f"{base}/manage/accounts/")
        page.locator("a:has-text('工作日调整')").first.click()
        page.wait_for_load_state("networkidle")
        screenshot(page, "admin", "6-workdays")
        page.locator(".object-tools a.addlink").first.click()  # 增加 工作日调整
        page.wait_for_selector("[name=date]")
        page.fill("[name=date]", OVERRIDE_DAY.isoformat())
        page.check("[name=is_workday]")
        page.fill("[name=note]", "春节调休上班")
        screenshot(page, "admin", "7-workday-add")
        submit(page, "保存")
        page.wait_for_load_state("networkidle")
        assert not page.locator(".errorlist").count()

    added = User.objects.get(username="ay_clerk2")
    assert added.check_password(PASSWORD) and added.first_name == "吴窗口"
    assert list(StaffRole.objects.filter(user=added).values_list("region__code", "role")) == [("360302", Role.CLERK)]
    assert added.account_events.filter(kind="account.created").exists()
    assert not User.objects.filter(username="hn_clerk").exists()
    assert not StaffRole.objects.filter(region__code__startswith="43").exists()
    assert ProvinceConfig.objects.filter(province__code="360000").exists()
    override = WorkdayOverride.objects.get(date=OVERRIDE_DAY)
    assert override.is_workday and override.note == "春节调休上班"


@pytest.mark.django_db
def test_an_account_outside_the_administrators_subtree_is_refused_in_the_rules_words(client):
    """Without a browser: a forged region (another city) on the add-account form is refused on the region
    field with the rule's words, and nothing is created."""
    from tests import factories

    world_regions()
    client.force_login(factories.staff(Role.ADMIN, "360300"))  # 萍乡市
    nanchang = Region.objects.get(code="360102")
    response = client.post(
        "/admin/auth/user/add/",
        {"username": "nc_clerk", "first_name": "越权", "region": nanchang.pk, "role": Role.CLERK,
         "password1": PASSWORD, "password2": PASSWORD},
    )  # fmt: skip
    assert response.status_code == 200
    assert "只能在本级及下级区划内授予岗位" in response.content.decode()
    assert not User.objects.filter(username="nc_clerk").exists()
