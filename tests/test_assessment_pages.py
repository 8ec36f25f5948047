"""The assessment's pages (issue 19 item 4): every page answers in scope 200, out of scope 404, a wrong role 403;
the score sheet shows the data behind each figure and links each to its list; the XLSX; adjusting, reviewing and
finalising through the pages; the circular drafted → approved by the leader → read by the staff of its region and
below, not by others."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from assessment import services
from assessment.models import Assessment, Circular, Score
from tests import world
from tests.assesskit import YEAR, two_counties

pytestmark = pytest.mark.django_db


def browser(role: str, code: str) -> Client:
    client = Client()
    client.force_login(world.user(role, code))
    return client


def nobody() -> Client:
    client = Client()
    user, _ = get_user_model().objects.get_or_create(username="no_role")
    client.force_login(user)
    return client


@pytest.fixture
def assessment() -> Assessment:
    two_counties()
    return services.assessment_compute(region=world.region("360300"), year=YEAR, actor=world.user("leader", "360300"))


def final(assessment: Assessment) -> Circular:
    leader = world.user("leader", "360300")
    services.assessment_review(assessment=assessment, actor=leader)
    services.assessment_finalise(assessment=assessment, actor=leader)
    return Circular.objects.get(assessment=assessment)


def test_read_pages_in_scope_200_out_of_scope_404_wrong_role_403(assessment):
    score = assessment.scores.get(region__code="360302", indicator="complaints")
    pages = [f"/assessment/{assessment.pk}/", f"/assessment/{assessment.pk}/export.xlsx"]
    for url in pages:
        for who in [("leader", "360300"), ("auditor", "360300"), ("leader", "360000"), ("auditor", "360000")]:
            assert browser(*who).get(url).status_code == 200, (url, who)
        for who in [("leader", "360302"), ("auditor", "360313")]:  # a county's: the city's assessment is above it
            assert browser(*who).get(url).status_code == 404, (url, who)
        for who in [("clerk", "360300"), ("inspector", "360300"), ("legal", "360300"), ("admin", "360300")]:
            assert browser(*who).get(url).status_code == 403, (url, who)
    # the list: leaders and auditors; the county's leader sees no assessment of the city
    assert "萍乡市" in browser("leader", "360300").get("/assessment/").content.decode()
    assert browser("clerk", "360300").get("/assessment/").status_code == 403
    county = browser("leader", "360302").get("/assessment/")
    assert county.status_code == 200 and f'href="/assessment/{assessment.pk}/"' not in county.content.decode()
    # acting: the city's leader only; the province's leader reads but does not act on the city's assessment
    adjust = f"/assessment/{assessment.pk}/scores/{score.pk}/"
    assert browser("leader", "360300").get(adjust).status_code == 200
    assert browser("leader", "360000").get(adjust).status_code == 403
    assert browser("auditor", "360300").get(adjust).status_code == 403
    assert browser("clerk", "360300").get(adjust).status_code == 403
    assert browser("leader", "360302").get(adjust).status_code == 404
    review = f"/assessment/{assessment.pk}/review/"
    assert browser("auditor", "360300").post(review).status_code == 403
    assert browser("leader", "360313").post(review).status_code == 404
    assert browser("leader", "360300").post(f"/assessment/{assessment.pk}/nonsense/").status_code == 404
    # the records behind a figure: the assessed region's and those above it read them; a neighbour 404; bad 404
    records = f"/assessment/records/?indicator=complaints&region=360302&year={YEAR}"
    for who in [("leader", "360300"), ("auditor", "360000"), ("leader", "360302")]:
        assert browser(*who).get(records).status_code == 200, who
    assert browser("leader", "360313").get(records).status_code == 404
    assert browser("clerk", "360302").get(records).status_code == 403
    assert (
        browser("leader", "360302").get("/assessment/records/?indicator=incidents&region=360302&year=2025").status_code
        == 200
    )
    assert (
        browser("leader", "360302").get("/assessment/records/?indicator=incidents&region=360313&year=2025").status_code
        == 404
    )
    assert (
        browser("leader", "360300").get("/assessment/records/?indicator=x&region=360302&year=2025").status_code == 404
    )
    assert (
        browser("leader", "360300").get("/assessment/records/?indicator=incidents&region=360302&year=x").status_code
        == 404
    )


def test_the_sheet_shows_each_figure_with_its_data_and_the_list_behind_it(assessment):
    page = browser("leader", "360300").get(f"/assessment/{assessment.pk}/").content.decode()
    assert "安源区" in page and "61.25" in page and "C级（差）" in page
    assert "25,000.00" in page and "40,000.00" in page  # the wages: paid of owed
    assert "75.0%" in page  # complaints decided on in time: 3 of 4
    assert f"/cases/?figure=closed&amp;region=360302&amp;date_from={YEAR}-01-01&amp;date_to={YEAR}-12-31" in page
    assert f"/projects/?figure=real_name&amp;month={YEAR}-12&amp;region=360302" in page
    assert f"/projects/?figure=building&amp;month={YEAR}-12&amp;region=360302" in page
    assert f"/assessment/records/?indicator=incidents&amp;region=360313&amp;year={YEAR}" in page
    for key in ("real_name", "complaints", "incidents", "computed"):
        assert f">{key}<" not in page  # no internal key on the page
    # the list behind a figure holds what it counts: the 4 cases closed in the year, the 3 incidents, the 4 clocks
    cases = browser("leader", "360300").get(
        f"/cases/?figure=closed&region=360302&date_from={YEAR}-01-01&date_to={YEAR}-12-31"
    )
    assert cases.content.decode().count('href="/cases/360302-') >= 4
    incidents = browser("leader", "360300").get(f"/assessment/records/?indicator=incidents&region=360313&year={YEAR}")
    assert incidents.content.decode().count('href="/cases/360313-') == 3
    clocks = browser("leader", "360300").get(f"/assessment/records/?indicator=complaints&region=360302&year={YEAR}")
    assert clocks.content.decode().count("<tr><td>") == 4


def test_the_sheet_exports_to_xlsx_with_the_data_behind_each_figure(assessment):
    response = browser("auditor", "360300").get(f"/assessment/{assessment.pk}/export.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("地区", "指标", "分子", "分母")
    wages = next(r for r in rows if r[0] == "安源区" and r[1] == "欠薪追回率")
    assert (wages[2], wages[3], wages[7], wages[9], wages[10]) == (25000, 40000, 12.5, 61.25, "C")
    assert len(rows) == 1 + 5 * 8


def test_adjust_review_and_finalise_through_the_pages(assessment):
    leader = browser("leader", "360300")
    score = assessment.scores.get(region__code="360302", indicator="complaints")
    url = f"/assessment/{assessment.pk}/scores/{score.pk}/"
    bad = leader.post(url, {"numerator": "5", "denominator": "4", "reason": "核查"})
    assert bad.status_code == 200 and "分子不能大于分母" in bad.content.decode()
    assert leader.post(url, {"numerator": "4", "denominator": "4", "reason": ""}).status_code == 200
    assert Score.objects.get(pk=score.pk).numerator == 3  # nothing changed
    assert leader.post(url, {"numerator": "4", "denominator": "4", "reason": "实地核查"}).status_code == 302
    assert Score.objects.get(pk=score.pk).numerator == 4
    assert leader.post(f"/assessment/{assessment.pk}/finalise/").status_code == 302  # refused: not reviewed
    assert Assessment.objects.get(pk=assessment.pk).status == "computed"
    leader.post(f"/assessment/{assessment.pk}/review/")
    leader.post(f"/assessment/{assessment.pk}/finalise/")
    assert Assessment.objects.get(pk=assessment.pk).status == "final"
    page = leader.get(f"/assessment/{assessment.pk}/").content.decode()
    assert "调查核实" in page  # the accountability's state, linking to the register


def test_compute_from_the_list_page_and_bad_input(assessment):
    leader = browser("leader", "360000")
    bad = leader.post("/assessment/", {"region": "360000", "year": "2016"})
    assert bad.status_code == 200 and "2017" in bad.content.decode()
    wrong = leader.post("/assessment/", {"region": "360300", "year": "2025"})  # not the province leader's own
    assert wrong.status_code == 200 and not Assessment.objects.filter(region__code="360000").exists()
    done = leader.post("/assessment/", {"region": "360000", "year": "2025"})
    assert done.status_code == 302
    assert browser("auditor", "360000").post("/assessment/", {"region": "360000", "year": "2025"}).status_code == 403


def test_the_circular_drafted_approved_by_the_leader_then_read_by_its_region_and_below_only(assessment):
    circular = final(assessment)
    url = f"/assessment/circulars/{circular.pk}/"
    # a draft: the assessing leader edits it; the staff of the counties do not see it yet
    leader = browser("leader", "360300")
    assert leader.get(url).status_code == 200
    assert browser("clerk", "360302").get(url).status_code == 404
    assert browser("clerk", "360300").post(url, {"title": "x", "body": "y", "publish": "1"}).status_code == 404
    assert browser("leader", "360000").post(url, {"title": "x", "body": "y", "publish": "1"}).status_code == 403
    assert nobody().get(url).status_code == 403
    bad = leader.post(url, {"title": circular.title, "body": "", "publish": "1"})
    assert bad.status_code == 200 and Circular.objects.get(pk=circular.pk).status == "draft"
    body = circular.body + "\n特此通报。"
    assert leader.post(url, {"title": circular.title, "body": body, "publish": "1"}).status_code == 302
    assert Circular.objects.get(pk=circular.pk).status == "published"
    # published: the staff of the city and of its counties read it and find it in their list; others do not
    for who in [("clerk", "360300"), ("inspector", "360302"), ("clerk", "360313"), ("leader", "360302")]:
        client = browser(*who)
        page = client.get(url)
        assert page.status_code == 200 and "特此通报。" in page.content.decode(), who
        assert f'href="{url}"' in client.get("/assessment/circulars/").content.decode(), who
    for who in [("clerk", "360000"), ("inspector", "360000")]:  # the province's own office: not below the city
        assert browser(*who).get(url).status_code == 404, who
        assert f'href="{url}"' not in browser(*who).get("/assessment/circulars/").content.decode()
    assert browser("admin", "360300").get("/assessment/circulars/").status_code == 403
    assert nobody().get("/assessment/circulars/").status_code == 403
    # its PDF, for the same readers
    pdf = browser("clerk", "360313").get(f"{url}pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert browser("clerk", "360000").get(f"{url}pdf/").status_code == 404
    assert nobody().get(f"{url}pdf/").status_code == 403
    # once published it is no longer editable
    assert leader.post(url, {"title": "x", "body": "y"}).status_code == 403


def test_the_settings_are_the_province_administrators_in_the_admin():
    from django.urls import reverse

    from assessment.models import AssessmentConfig
    from cases.models import TimelineEvent

    url = reverse("admin:assessment_assessmentconfig_add")
    admin = browser("admin", "360000")
    assert admin.get(url).status_code == 200
    assert browser("admin", "360302").get(url).status_code in (302, 403)
    assert browser("leader", "360000").get(url).status_code in (302, 403)
    province = world.region("360000")
    body = {"province": province.pk, "weight_complaints": 15, "weight_cases": 20, "weight_wages": 20,
            "weight_real_name": 10, "weight_account": 10, "weight_deposit": 10, "weight_incidents": 10,
            "weight_supervision": 10, "incident_deduction": "5", "grade_a_min": "90", "grade_b_min": "70"}  # fmt: skip
    refused = admin.post(url, body)  # the weights add up to 105
    assert refused.status_code == 200 and "各项指标权重之和须为100分" in refused.content.decode()
    assert not AssessmentConfig.objects.exists()
    body["weight_supervision"] = 5
    body["grade_b_min"] = "60"
    assert admin.post(url, body).status_code == 302
    assert AssessmentConfig.objects.get(province=province).grade_b_min == 60
    assert TimelineEvent.objects.filter(region=province, kind="config.assessment_changed").exists()
