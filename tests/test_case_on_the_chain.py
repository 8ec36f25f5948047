"""Issue 15 item 5: cases on the contractor chain. A case names its liable units with their roles; the chain of
a registered project proposes them (the general contractor pays a subcontractor's workers first, WPR art. 30);
the handling decision is addressed to the unit chosen and names it, its role and the legal basis."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.documents import document_pdf_bytes
from cases.enforcement import case_handling_decide
from cases.liable_units import case_liable_unit_add, case_liable_unit_remove
from cases.models import Case, CaseLiableUnit, Document, LiableBasis, LiableRole
from cases.timeline.labels import EVENT_LABELS
from projects.chain import case_chain_liable_units_add, chain_liable_units_propose
from projects.models import ProjectUnit
from projects.registry import project_unit_add
from tests import factories, world
from tests.factories import uscc
from tests.projectkit import make_project

pytestmark = pytest.mark.django_db
K = Document.Kind
SUB_NAME = "萍乡市某劳务有限公司"  # the case's employer: a labour subcontractor of the project


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _text(document: Document) -> str:
    reader = PdfReader(io.BytesIO(document_pdf_bytes(document)))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def case_on_a_labour_subcontractor(
    n: int = 81, state: str = "deciding", *, ledger: bool = True
) -> tuple[Case, ProjectUnit]:
    """A case on the workers of a labour subcontractor of a registered project; the project's general
    contractor."""
    name = SUB_NAME if n == 81 else f"{SUB_NAME}{n}"
    case = factories.case(state, region="360302", workers=2, amount="12000.00", employer=name,
                          employer__uscc=uscc(7700 + n))  # fmt: skip
    project = make_project(n, labour=False)
    project_unit_add(actor=None, project=project, name=name, uscc=uscc(7700 + n), role="labour")
    if ledger:
        factories.ledger(case)
        case.refresh_from_db()
    return case, project.units.get(role=ProjectUnit.Role.GENERAL)


def test_a_case_on_a_subcontractors_workers_orders_the_general_contractor_to_pay_first_and_names_it():
    case, general = case_on_a_labour_subcontractor()
    inspector = world.user("inspector", "360302")
    proposals = {p.role: p for p in chain_liable_units_propose(case)}
    assert proposals[LiableRole.GENERAL_CONTRACTOR].employer == general.employer
    assert proposals[LiableRole.GENERAL_CONTRACTOR].basis == LiableBasis.WPR_30
    assert proposals[LiableRole.CONSTRUCTION_UNIT].basis == LiableBasis.WPR_29
    assert proposals[LiableRole.SUBCONTRACTING_UNIT].employer == case.employer

    added = case_chain_liable_units_add(case=case, actor=inspector, reason="劳务分包单位拖欠其招用的劳动者工资")
    assert {(u.role, u.basis) for u in added} == {
        (LiableRole.SUBCONTRACTING_UNIT, LiableBasis.EMPLOYER),
        (LiableRole.GENERAL_CONTRACTOR, LiableBasis.WPR_30),
    }  # the construction unit only when chosen (WPR 29 needs labour costs not paid in)
    assert case.events.filter(kind="case.liable_unit_added").count() == 2
    gc = CaseLiableUnit.objects.get(case=case, role=LiableRole.GENERAL_CONTRACTOR)

    due = timezone.localdate() + timedelta(days=10)
    leader = world.user("leader", "360302")
    document = case_handling_decide(case=case, actor=leader, order_due=due, facts="拖欠工资。", liable_unit=gc)
    assert document.kind == K.HANDLING_DECISION
    assert document.data["liable_unit"]["name"] == general.employer.name
    assert document.data["liable_unit"]["role"] == LiableRole.GENERAL_CONTRACTOR
    assert document.data["liable_unit"]["basis"] == LiableBasis.WPR_30
    text = _text(document)
    assert f"{general.employer.name}：" in text  # 主送: the general contractor, not the subcontractor
    assert f"{SUB_NAME}：" not in text
    assert f"统一社会信用代码：{general.employer.uscc}" in text
    assert "施工总承包单位" in text and "《保障农民工工资支付条例》第三十条" in text
    assert "先行清偿" in text and f"本案劳动者由{SUB_NAME}招用" in text
    assert "支付拖欠的工资共计12,000.00元" in text
    # without facts of its own, the facts name the subcontractor as the one who owes the wages
    again = case_handling_decide(case=case, actor=leader, order_due=due, liable_unit=gc)
    assert f"经查，{SUB_NAME}在" in _text(again)


def test_a_handling_decision_without_a_liable_unit_is_addressed_to_the_employer():
    case, _general = case_on_a_labour_subcontractor()
    due = timezone.localdate() + timedelta(days=10)
    document = case_handling_decide(case=case, actor=world.user("leader", "360302"), order_due=due)
    text = _text(document)
    assert f"{SUB_NAME}：" in text and "先行清偿" not in text and "liable_unit" not in document.data


def test_a_document_addressed_to_a_unit_not_liable_on_the_case_is_refused_naming_the_field():
    case, _general = case_on_a_labour_subcontractor()
    other, _ = case_on_a_labour_subcontractor(82)
    unit = case_liable_unit_add(
        case=other, employer=other.employer, role=LiableRole.DIRECT_EMPLOYER, basis=LiableBasis.EMPLOYER,
        actor=world.user("inspector", "360302"),
    )  # fmt: skip
    due = timezone.localdate() + timedelta(days=10)
    with pytest.raises(ValidationError) as refused:
        case_handling_decide(case=case, actor=world.user("leader", "360302"), order_due=due, liable_unit=unit)
    assert "liable_unit" in refused.value.message_dict
    assert not case.documents.filter(kind=K.HANDLING_DECISION).exists()


def test_the_basis_must_fit_the_role_wpr_30_makes_only_the_general_contractor_liable():
    case, general = case_on_a_labour_subcontractor()
    inspector = world.user("inspector", "360302")
    with pytest.raises(ValidationError) as refused:
        case_liable_unit_add(case=case, employer=case.employer, role=LiableRole.CONSTRUCTION_UNIT,
                             basis=LiableBasis.WPR_30, actor=inspector)  # fmt: skip
    assert "basis" in refused.value.message_dict
    unit = case_liable_unit_add(case=case, employer=general.employer, role=LiableRole.GENERAL_CONTRACTOR,
                                basis=LiableBasis.WPR_36, actor=inspector)  # fmt: skip
    with pytest.raises(ValidationError) as twice:
        case_liable_unit_add(case=case, employer=general.employer, role=LiableRole.GENERAL_CONTRACTOR,
                             basis=LiableBasis.WPR_30, actor=inspector)  # fmt: skip
    assert "employer" in twice.value.message_dict
    with pytest.raises(ValidationError):
        case_liable_unit_remove(unit=unit, actor=inspector, reason=" ")
    case_liable_unit_remove(unit=unit, actor=inspector, reason="登记有误")
    assert not case.liable_units.exists()
    kinds = list(case.events.filter(kind__startswith="case.liable_unit").values_list("kind", flat=True))
    assert kinds == ["case.liable_unit_added", "case.liable_unit_removed"]
    assert all(k in EVENT_LABELS for k in kinds)


def test_a_case_whose_employer_is_on_no_chain_has_no_proposal_and_is_refused_on_case():
    case = factories.case("filed", region="360302", employer="不在任何项目的公司")
    assert chain_liable_units_propose(case) == []
    with pytest.raises(ValidationError) as refused:
        case_chain_liable_units_add(case=case, actor=world.user("inspector", "360302"))
    assert "case" in refused.value.message_dict


# --- the API action on the case (按项目关联责任单位) ----------------------------------------------


def _url(case: Case) -> str:
    return reverse("api-case-chain-liable-units", args=[case.case_no])


def test_api_the_assigned_inspector_names_the_chains_liable_units_and_readers_see_them(client):
    case, general = case_on_a_labour_subcontractor(83)
    client.force_login(world.user("inspector", "360302"))
    shown = client.get(_url(case)).json()
    assert shown["liable_units"] == []
    assert {p["role"] for p in shown["proposals"]} == {"subcontracting", "general", "construction"}
    bad = client.post(_url(case), {"roles": ["boss"]}, content_type="application/json")
    assert bad.status_code == 400 and "roles" in bad.json()["errors"]
    assert not case.liable_units.exists()
    added = client.post(_url(case), {"roles": ["general"], "reason": "先行清偿"}, content_type="application/json")
    assert added.status_code == 201, added.content
    [unit] = added.json()["liable_units"]
    assert (unit["employer"], unit["role"], unit["basis"]) == (general.employer.name, "general", "wpr_30")
    client.force_login(world.user("auditor", "360302"))
    assert client.get(_url(case)).json()["liable_units"][0]["role_label"] == "施工总承包单位"


def test_api_permissions_in_scope_out_of_scope_404_wrong_role_403(client):
    case, _general = case_on_a_labour_subcontractor(84)
    client.force_login(world.user("leader", "360302"))  # in scope, not the investigating inspector
    assert client.get(_url(case)).status_code == 200
    assert client.post(_url(case), {}, content_type="application/json").status_code == 403
    client.force_login(world.user("inspector", "360313"))  # another county
    assert client.get(_url(case)).status_code == 404
    assert client.post(_url(case), {}, content_type="application/json").status_code == 404
    client.force_login(world.user("admin", "360302"))
    assert client.get(_url(case)).status_code in (403, 404)
    assert not case.liable_units.exists()


def test_api_an_industry_department_user_sees_no_case_on_the_chain(client):
    from django.contrib.auth import get_user_model

    from cases.models import Region
    from projects.registry import industry_role_grant

    case, _general = case_on_a_labour_subcontractor(85)
    user = get_user_model().objects.create_user(username="zhujian_chain", password="x")
    industry_role_grant(actor=None, user=user, region=Region.objects.get(code="360302"), department="housing")
    client.force_login(user)
    assert client.get(_url(case)).status_code in (403, 404)
    assert client.post(_url(case), {}, content_type="application/json").status_code in (403, 404)


# --- intake: the complaint names a registered project --------------------------------------------


def test_intake_a_complaint_naming_the_project_number_links_to_the_registered_project_and_its_chain():
    from projects.links import registry_project
    from projects.selectors import project_cases

    project = make_project(87, labour=False)
    project_unit_add(actor=None, project=project, name="萍乡某劳务87", uscc=uscc(7787), role="labour")
    # by number: the complaint's name for the project differs from the registry's
    case = factories.case("filed", region="360302", employer="萍乡某劳务87", employer__uscc=uscc(7787),
                          project={"name": "城东安置房", "project_no": project.project_no})  # fmt: skip
    assert case.project.project_no == project.project_no
    assert registry_project(case.project) == project
    assert case in project_cases(project, world.user("leader", "360302"))
    proposals = {p.role: p for p in chain_liable_units_propose(case)}
    assert proposals[LiableRole.GENERAL_CONTRACTOR].project_no == project.project_no
    # by name in its region, no number given
    by_name = factories.case("filed", region="360302", project={"name": project.name})
    assert registry_project(by_name.project) == project
    assert by_name in project_cases(project, world.user("leader", "360302"))
    elsewhere = factories.case("filed", region="360313", project={"name": project.name})
    assert registry_project(elsewhere.project) is None  # the same name in another county is another project


def test_intake_refuses_a_project_number_longer_than_40_characters_naming_the_field():
    from cases import intake

    body = factories.complaint_body(project={"name": "某项目", "project_no": "X" * 41})
    with pytest.raises(ValidationError) as refused:
        intake.complaint_validate(body, staff=True)
    assert "project.project_no" in refused.value.message_dict


def test_the_decide_step_addresses_the_order_to_pay_to_the_liable_unit_chosen():
    case, general = case_on_a_labour_subcontractor(88)
    inspector = world.user("inspector", "360302")
    case_chain_liable_units_add(case=case, actor=inspector, roles=["general"])
    gc = case.liable_units.get(role=LiableRole.GENERAL_CONTRACTOR)
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    factories.step(case, inspector, decision="order_to_pay", facts="分包单位拖欠工资。", order_due=due,
                   liable_unit=gc.pk)  # fmt: skip
    decision = case.documents.get(kind=K.HANDLING_DECISION)
    assert decision.data["liable_unit"]["name"] == general.employer.name
    assert f"{general.employer.name}：" in _text(decision)
