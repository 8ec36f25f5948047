"""The case's liable units in HTML (issue 15 item 5): the page lists them with their roles on the chain and the
chain's proposals; the assigned inspector names a unit liable (from the proposals, from the units offered, or
another registered unit by USCC) and takes one off with a reason and a confirmation — the services of the API,
errors naming the field and nothing changed. Permissions: 200 in scope, 404 out of it, 403 for a wrong role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.enforcement import case_handling_decide
from cases.models import CaseLiableUnit, LiableBasis, LiableRole
from tests import world
from tests.test_case_on_the_chain import case_on_a_labour_subcontractor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _urls(case):
    return (
        reverse("cases:liable-units", args=[case.case_no]),
        reverse("cases:liable-unit-add", args=[case.case_no]),
        reverse("cases:liable-unit-remove", args=[case.case_no]),
    )


def test_the_inspector_names_the_general_contractor_from_the_chain_and_takes_it_off(client):
    case, general = case_on_a_labour_subcontractor(61)
    page, add, remove = _urls(case)
    client.force_login(world.user("inspector", "360302"))
    shown = client.get(page)
    html = shown.content.decode()
    assert shown.status_code == 200
    assert "尚未列明责任单位" in html and general.employer.name in html  # a proposal of the chain
    assert "施工总承包单位" in html and "第三十条（施工总承包单位先行清偿）" in html

    # the proposal's button
    added = client.post(add, {"employer": general.employer_id, "role": "general", "basis": "wpr_30",
                              "note": "项目JX-360302-0061", "reason": "总包先行清偿"})  # fmt: skip
    assert added.status_code == 302
    unit = CaseLiableUnit.objects.get(case=case)
    assert (unit.employer, unit.role) == (general.employer, LiableRole.GENERAL_CONTRACTOR)
    assert unit.basis == LiableBasis.WPR_30
    assert case.events.filter(kind="case.liable_unit_added").count() == 1
    html = client.get(page).content.decode()
    assert f"已将{general.employer.name}列为本案施工总承包单位" in html
    assert "可选择该单位为主送单位，责令其先行清偿" in html
    assert f"liable_unit={unit.pk}" in html  # the way on to the credit list

    # the order to pay first, addressed to it, is listed against the unit
    due = timezone.localdate() + timedelta(days=10)
    order = case_handling_decide(case=case, actor=world.user("leader", "360302"), order_due=due, liable_unit=unit)
    assert order.number in client.get(page).content.decode()

    # removal: without the confirmation, refused naming the field; with it, gone
    refused = client.post(remove, {"unit": unit.pk, "reason": "登记有误"})
    assert refused.status_code == 400 and 'data-field="confirm"' in refused.content.decode()
    assert CaseLiableUnit.objects.filter(pk=unit.pk).exists()
    assert client.post(remove, {"unit": unit.pk, "reason": "登记有误", "confirm": "on"}).status_code == 302
    assert not CaseLiableUnit.objects.filter(pk=unit.pk).exists()
    assert case.events.filter(kind="case.liable_unit_removed").count() == 1


def test_bad_input_names_the_field_and_changes_nothing(client):
    case, general = case_on_a_labour_subcontractor(62)
    _page, add, remove = _urls(case)
    client.force_login(world.user("inspector", "360302"))
    events = case.events.count()
    # a basis that does not fit the role
    bad = client.post(add, {"employer": case.employer_id, "role": "construction", "basis": "wpr_30"})
    assert bad.status_code == 400
    assert 'data-field="basis"' in bad.content.decode() and "该法律依据不适用于此责任角色" in bad.content.decode()
    # no unit chosen; an unknown USCC; both given
    none = client.post(add, {"role": "general", "basis": "wpr_30"})
    assert none.status_code == 400 and 'data-field="employer"' in none.content.decode()
    unknown = client.post(add, {"uscc": "91360302MA0000000X", "role": "general", "basis": "wpr_30"})
    assert unknown.status_code == 400 and "未找到统一社会信用代码为" in unknown.content.decode()
    both = client.post(add, {"employer": case.employer_id, "uscc": general.employer.uscc, "role": "direct",
                             "basis": "wpr_3"})  # fmt: skip
    assert both.status_code == 400 and 'data-field="uscc"' in both.content.decode()
    # a unit of no offer (another employer's id) is not a choice
    forged = client.post(add, {"employer": 999999, "role": "general", "basis": "wpr_30"})
    assert forged.status_code == 400 and 'data-field="employer"' in forged.content.decode()
    # a removal of a unit of no such id, or with garbage
    assert client.post(remove, {"unit": 999999, "reason": "x", "confirm": "on"}).status_code == 400
    assert client.post(remove, {"unit": "abc"}).status_code == 400
    assert not case.liable_units.exists() and case.events.count() == events
    # another registered unit by its USCC: accepted
    by_code = client.post(add, {"uscc": general.employer.uscc, "role": "general", "basis": "wpr_36"})
    assert by_code.status_code == 302 and case.liable_units.get().basis == LiableBasis.WPR_36
    # the same unit in the same role again: the service's error, on the employer
    again = client.post(add, {"employer": general.employer_id, "role": "general", "basis": "wpr_30"})
    assert again.status_code == 400 and "该单位已以此角色列为责任单位" in again.content.decode()


def test_permissions_200_in_scope_404_out_of_scope_403_wrong_role(client):
    case, general = case_on_a_labour_subcontractor(63)
    page, add, remove = _urls(case)
    body = {"employer": general.employer_id, "role": "general", "basis": "wpr_30"}
    client.force_login(world.user("leader", "360302"))  # in scope, reads; not the investigating inspector
    shown = client.get(page)
    assert shown.status_code == 200 and "列明新的责任单位</h3>" not in shown.content.decode()  # no action forms
    assert client.post(add, body).status_code == 403
    assert client.post(remove, {"unit": 1, "reason": "x", "confirm": "on"}).status_code == 403
    client.force_login(world.user("inspector", "360313"))  # another county
    assert client.get(page).status_code == 404
    assert client.post(add, body).status_code == 404
    client.force_login(world.user("admin", "360302"))  # no right to read cases
    assert client.get(page).status_code in (403, 404)
    assert not case.liable_units.exists()


def test_the_case_page_shows_the_liable_units_and_links_to_their_page(client):
    case, general = case_on_a_labour_subcontractor(64)
    client.force_login(world.user("inspector", "360302"))
    client.post(_urls(case)[1], {"employer": general.employer_id, "role": "general", "basis": "wpr_30"})
    html = client.get(reverse("cases:detail", args=[case.case_no])).content.decode()
    assert reverse("cases:liable-units", args=[case.case_no]) in html
    assert general.employer.name in html and "施工总承包单位" in html


def test_the_page_speaks_english(client):
    case, _general = case_on_a_labour_subcontractor(65)
    client.force_login(world.user("inspector", "360302"))
    html = client.get(_urls(case)[0], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Liable units" in html and "尚未列明责任单位" not in html


def test_the_decision_step_offers_the_case_liable_units_by_name_and_role(client):
    from tests.test_listing import queue

    case, general = case_on_a_labour_subcontractor(66)
    client.force_login(world.user("inspector", "360302"))
    client.post(_urls(case)[1], {"employer": general.employer_id, "role": "general", "basis": "wpr_30"})
    unit = case.liable_units.get()
    task = queue("inspector_360302", case.case_no, "decide")
    html = client.get(reverse("tasks:detail", args=[task["id"]])).content.decode()
    assert f'<option value="{unit.pk}">{general.employer.name}（施工总承包单位）</option>' in html
    assert "（编号）" not in html
