"""Issue 15 item 5: listings addressed to the right unit. When one of a case's liable units (the general
contractor that was to pay a subcontractor's workers first, WPR art. 30) is the one proposed for the credit
list, the listing is its own, and the notice (告知书), the decision (列入决定书) and the removal decision
(移出决定书) name and address it — its name, USCC, legal representative and address — not the case's employer."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accountability import listing as lst
from accountability.models import CreditListing
from cases.liable_units import case_liable_unit_add, case_liable_unit_remove
from cases.models import Document, Employer, LiableBasis, LiableRole
from tests import factories, world
from tests.test_case_on_the_chain import SUB_NAME, _text, case_on_a_labour_subcontractor
from tests.test_listing import _ledger, person_id

pytestmark = pytest.mark.django_db
K = Document.Kind


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _eligible_case_with_its_general_contractor_liable(n: int = 91, state: str = "filed"):
    case, general = case_on_a_labour_subcontractor(n, state, ledger=False)
    case = factories.order_served_and_due(case)
    _ledger(case, ["6000.00"] * 10)
    gc = general.employer
    Employer.objects.filter(pk=gc.pk).update(address="南昌市红谷滩区某大道88号", legal_representative="赵总")
    gc.refresh_from_db()
    unit = case_liable_unit_add(
        case=case, employer=gc, role=LiableRole.GENERAL_CONTRACTOR, basis=LiableBasis.WPR_30,
        actor=world.user("inspector", "360302"), reason="总包单位未先行清偿",
    )  # fmt: skip
    return case, unit


def _to_the_decision(listing):
    lst.listing_defence_close(listing=listing)
    lst.listing_legal_review(listing=listing, actor=world.user("legal", "360302"), approved=True, opinion="同意")
    return lst.listing_decide(listing=listing, actor=world.user("leader", "360302"), approved=True, opinion="同意")


def test_the_listing_of_a_liable_general_contractor_names_and_addresses_it():
    case, unit = _eligible_case_with_its_general_contractor_liable()
    gc = unit.employer
    inspector = world.user("inspector", "360302")
    listing = lst.listing_propose(case=case, actor=inspector, legal_representative_id=person_id(1), liable_unit=unit)
    assert listing.employer == gc and listing.persons.get().name == "赵总"  # the unit's legal representative
    proposed = case.events.get(kind="listing.proposed")
    assert proposed.data["employer"] == gc.name and proposed.data["liable_unit"] == unit.pk
    notice = lst.listing_notice(listing=listing, actor=inspector)
    text = _text(notice)
    sub = case.employer.name
    assert sub.startswith(SUB_NAME)
    assert f"{gc.name}：" in text and f"{sub}：" not in text  # 主送 the general contractor
    assert f"统一社会信用代码：{gc.uscc}" in text
    assert "施工总承包单位" in text and "先行清偿" in text
    assert f"经查，{sub}在" in text  # the facts: the subcontractor owes the wages

    listing = _to_the_decision(listing)
    decision = _text(listing.decision)
    assert f"{gc.name}：" in decision and f"统一社会信用代码：{gc.uscc}" in decision
    assert "法定代表人：赵总" in decision and "地址：南昌市红谷滩区某大道88号" in decision
    assert f"{sub}：" not in decision
    assert listing.decision.data["liable_unit"]["employer_id"] == gc.pk

    # early removal: the removal decision is addressed to the same unit (no duty restated)
    application = lst.removal_apply(notice_number=listing.notice.number, uscc=gc.uscc, corrected_on=date(2025, 1, 1),
                                    pledge="承诺")  # fmt: skip
    lst.removal_review(application=application, actor=world.user("legal", "360302"), approved=True, opinion="同意")
    lst.removal_decide(application=application, actor=world.user("leader", "360302"), approved=True, opinion="同意")
    listing.refresh_from_db()
    removal = _text(listing.removal_decision)
    assert f"{gc.name}：" in removal and f"统一社会信用代码：{gc.uscc}" in removal and "先行清偿" not in removal


def test_a_unit_taken_off_the_case_after_the_proposal_is_still_the_one_addressed():
    case, unit = _eligible_case_with_its_general_contractor_liable(92)
    gc = unit.employer
    inspector = world.user("inspector", "360302")
    listing = lst.listing_propose(case=case, actor=inspector, legal_representative_id=person_id(1), liable_unit=unit)
    case_liable_unit_remove(unit=unit, actor=inspector, reason="登记有误")
    notice = lst.listing_notice(listing=listing, actor=inspector)
    assert notice.data["listed_employer"] == gc.pk
    assert f"{gc.name}：" in _text(notice)


def test_without_a_liable_unit_the_listing_is_the_employers_as_before():
    case, _unit = _eligible_case_with_its_general_contractor_liable(93)
    inspector = world.user("inspector", "360302")
    listing = lst.listing_propose(case=case, actor=inspector, legal_representative_id=person_id(1),
                                  legal_representative="王某")  # fmt: skip
    assert listing.employer == case.employer
    notice = lst.listing_notice(listing=listing, actor=inspector)
    assert "liable_unit" not in notice.data and "listed_employer" not in notice.data
    assert f"{case.employer.name}：" in _text(notice)


def test_a_liable_unit_of_another_case_is_refused_naming_the_field():
    case, _unit = _eligible_case_with_its_general_contractor_liable(94)
    _other, other_unit = _eligible_case_with_its_general_contractor_liable(95)
    with pytest.raises(ValidationError) as refused:
        lst.listing_propose(case=case, actor=world.user("inspector", "360302"),
                            legal_representative_id=person_id(1), liable_unit=other_unit)  # fmt: skip
    assert "liable_unit" in refused.value.message_dict
    assert not CreditListing.objects.filter(case=case).exists()


def test_the_listing_start_names_the_liable_unit_and_refuses_another_cases_naming_the_case():
    from tests.flowkit import api

    case, unit = _eligible_case_with_its_general_contractor_liable(96, "deciding")  # the inspector assigned
    _other, other_unit = _eligible_case_with_its_general_contractor_liable(97)
    body = {"case_no": case.case_no, "legal_representative_id": person_id(1)}
    refused = api("inspector_360302").post("/api/v1/flows/listing/start/", {**body, "liable_unit": other_unit.pk},
                                           format="json")  # fmt: skip
    assert refused.status_code == 400 and "case_no" in str(refused.json())
    assert not CreditListing.objects.filter(case=case).exists()
    started = api("inspector_360302").post("/api/v1/flows/listing/start/", {**body, "liable_unit": unit.pk},
                                           format="json")  # fmt: skip
    assert started.status_code == 201, started.json()
    listing = CreditListing.objects.get(case=case)
    assert listing.employer == unit.employer and listing.notice.data["liable_unit"]["id"] == unit.pk
