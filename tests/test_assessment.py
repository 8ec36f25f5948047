"""The yearly assessment (考核, issue 19 item 4): the scores of two seeded counties equal figures worked out by
hand; the weights and the grade boundaries are the province's settings, read (a change moves the result); the A/B/C
edges; counting is set-based; adjust → review → finalise; a grade C opens an accountability through accountability's
own opening and flow (the register shows it); the circular is drafted from the results."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability import accountability as acc
from accountability.models import Accountability
from assessment import services
from assessment.config import assessment_config_save
from assessment.indicators import grade_for
from assessment.models import Assessment, Circular, Grade, Score
from cases.models import TimelineEvent
from cases.timeline.labels import EVENT_LABELS
from cases.transitions import StateConflict
from tests import world
from tests.assesskit import YEAR, expected_points, two_counties
from tests.flowkit import api

pytestmark = pytest.mark.django_db
DEFAULT_WEIGHTS = {"complaints": 15, "cases": 20, "wages": 20, "real_name": 10, "account": 10, "deposit": 10,
                   "incidents": 10, "supervision": 5}  # fmt: skip


@pytest.fixture
def facts():
    return two_counties()


def compute(year: int = YEAR) -> Assessment:
    return services.assessment_compute(region=world.region("360300"), year=year, actor=world.user("leader", "360300"))


def scores_of(assessment: Assessment, code: str) -> dict[str, Score]:
    return {s.indicator: s for s in assessment.scores.filter(region__code=code)}


def test_the_scores_of_two_counties_equal_the_figures_worked_out_by_hand(facts):
    assessment = compute()
    for code, figures in facts.items():
        scores = scores_of(assessment, code)
        assert set(scores) == set(figures)
        for key, (num, den) in figures.items():
            assert scores[key].numerator == num, (code, key)
            assert (scores[key].denominator if den is not None else None) == den, (code, key)
        expected = expected_points(figures, DEFAULT_WEIGHTS, 5)
        assert {k: float(s.points) for k, s in scores.items()} == expected, code
        grade = Grade.objects.get(assessment=assessment, region__code=code)
        assert float(grade.total) == pytest.approx(sum(expected.values()))
    # by hand: 安源区 11.25 + 15 + 12.5 + 7.5 + 5 + 2.5 + 5 + 2.5; 湘东区 15 + 20 + 20 + 10 + 10 + 10 + 0 + 5
    grades = {g.region.code: (g.total, g.grade) for g in assessment.grades.select_related("region")}
    assert grades["360302"] == (Decimal("61.25"), "C")
    assert grades["360313"] == (Decimal("90.00"), "A")  # exactly the A boundary
    # the other counties of 萍乡市 have nothing to count: full marks (a rate with nothing behind it)
    assert set(grades) == {"360302", "360313", "360321", "360322", "360323"}
    assert grades["360321"] == (Decimal("100.00"), "A")
    assert TimelineEvent.objects.filter(region=world.region("360300"), kind="assessment.computed").count() == 1


def test_counting_is_set_based_one_query_per_indicator_for_all_regions(facts):
    with CaptureQueriesContext(connection) as city:
        compute()
    sql = [q["sql"] for q in city.captured_queries]
    assert sum('FROM "projects_project"' in q for q in sql) == 3  # real-name, accounts, deposits
    # the province's eleven cities take no more queries than the city's five counties (the city looks its
    # province's settings up by one more query)
    with CaptureQueriesContext(connection) as province:
        assessment = services.assessment_compute(region=world.region("360000"), year=YEAR,
                                                 actor=world.user("leader", "360000"))  # fmt: skip
    assert assessment.grades.count() == 11
    assert len(province.captured_queries) == len(city.captured_queries) - 1
    pingxiang = assessment.scores.get(region__code="360300", indicator="complaints")
    assert (pingxiang.numerator, pingxiang.denominator) == (
        5,
        7,
    )  # of 安源区 4, 湘东区 2 and the city's own office 1: 3 + 2 + 0


def test_a_weight_change_in_the_province_setting_changes_the_score(facts):
    assessment_config_save(actor=None, province=world.region("360000"),
                           values={"weight_incidents": 5, "weight_supervision": 10})  # fmt: skip
    assessment = compute()
    weights = {**DEFAULT_WEIGHTS, "incidents": 5, "supervision": 10}
    for code, figures in facts.items():
        expected = expected_points(figures, weights, 5)
        total = Grade.objects.get(assessment=assessment, region__code=code).total
        assert float(total) == pytest.approx(sum(expected.values()))
    assert Grade.objects.get(assessment=assessment, region__code="360313").total == Decimal("95.00")
    assert Grade.objects.get(assessment=assessment, region__code="360302").total == Decimal("58.75")
    assert assessment.config["weights"]["supervision"] == 10  # kept with the assessment


def test_the_deduction_per_incident_is_the_setting(facts):
    assessment_config_save(actor=None, province=world.region("360000"), values={"incident_deduction": Decimal("2")})
    scores = scores_of(compute(), "360313")
    assert scores["incidents"].points == Decimal("4.00")  # 10 − 3 × 2


def test_the_grade_boundaries_are_the_setting(facts):
    assessment_config_save(actor=None, province=world.region("360000"), values={"grade_a_min": Decimal("95")})
    grade = Grade.objects.get(assessment=compute(), region__code="360313")
    assert (grade.total, grade.grade) == (Decimal("90.00"), "B")


@pytest.mark.parametrize(
    ("total", "grade"),
    [("100", "A"), ("90", "A"), ("89.99", "B"), ("70", "B"), ("69.99", "C"), ("0", "C")],
)
def test_grades_at_the_edges_of_the_default_boundaries(total, grade):
    config = {"grade_a_min": "90", "grade_b_min": "70"}  # C below 70: the published provincial example
    assert grade_for(Decimal(total), config) == grade


def test_settings_refuse_weights_not_adding_up_to_100():
    with pytest.raises(ValidationError) as e:
        assessment_config_save(actor=None, province=world.region("360000"), values={"weight_cases": 25})
    assert "weight_complaints" in e.value.message_dict


def test_only_the_assessing_leader_computes(facts):
    for who in [("leader", "360000"), ("auditor", "360300"), ("clerk", "360300"), ("leader", "360302")]:
        with pytest.raises(PermissionDenied):
            services.assessment_compute(region=world.region("360300"), year=YEAR, actor=world.user(*who))
    with pytest.raises(ValidationError) as e:
        compute(year=2016)
    assert "year" in e.value.message_dict
    assert not Assessment.objects.exists()


def test_an_adjusted_figure_keeps_the_computed_one_and_its_reason_on_the_timeline(facts):
    assessment = compute()
    leader = world.user("leader", "360300")
    score = scores_of(assessment, "360302")["complaints"]
    with pytest.raises(ValidationError) as e:
        services.score_adjust(score=score, numerator="5", denominator="4", reason="核查", actor=leader)
    assert "numerator" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.score_adjust(score=score, numerator="4", denominator="4", reason=" ", actor=leader)
    assert "reason" in e.value.message_dict
    services.score_adjust(
        score=score, numerator="4", denominator="4", reason="实地核查：一件系投诉人撤回", actor=leader
    )
    score.refresh_from_db()
    assert (score.numerator, score.computed_numerator, score.points) == (4, 3, Decimal("15.00"))
    assert Grade.objects.get(assessment=assessment, region__code="360302").total == Decimal("65.00")
    event = TimelineEvent.objects.get(kind="assessment.figure_adjusted")
    assert event.data["reason"] == "实地核查：一件系投诉人撤回" and event.data["from"] == ["3.00", "4.00"]
    compute()  # counted again while a draft: the adjusted figure stays adjusted
    score.refresh_from_db()
    assert (score.numerator, score.adjust_reason) == (4, "实地核查：一件系投诉人撤回")
    services.assessment_review(assessment=assessment, actor=leader)
    with pytest.raises(StateConflict):
        services.score_adjust(score=score, numerator="3", denominator="4", reason="再改", actor=leader)
    with pytest.raises(StateConflict):
        compute()


def test_a_grade_c_opens_an_accountability_through_its_flow_and_the_register_shows_it(facts):
    leader = world.user("leader", "360300")
    assessment = compute()
    with pytest.raises(StateConflict):
        services.assessment_finalise(assessment=assessment, actor=leader)  # not reviewed yet
    services.assessment_review(assessment=assessment, actor=leader)
    services.assessment_finalise(assessment=assessment, actor=leader)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.FINAL
    opened = Accountability.objects.get(trigger=Accountability.Trigger.ASSESSMENT)
    assert (opened.region.code, opened.deciding_region.code, opened.case, opened.year) == (
        "360302",
        "360300",
        None,
        YEAR,
    )
    assert Grade.objects.get(assessment=assessment, region__code="360302").accountability == opened
    assert Grade.objects.get(assessment=assessment, region__code="360313").accountability is None
    assert list(acc.accountability_register(leader, year=YEAR)) == [opened]
    browser = Client()
    browser.force_login(leader)
    page = browser.get("/accountability/register/", {"year": YEAR})
    text = page.content.decode()
    assert page.status_code == 200 and "年度考核评为C级" in text and "安源区" in text
    listed = api("leader_360300").get("/api/v1/accountability/", {"year": YEAR}).json()["results"]
    assert [(r["region_code"], r["case_no"], r["trigger_display"]) for r in listed] == [
        ("360302", None, "年度考核评为C级")
    ]
    # the AccountabilityFlow runs for the office as a whole: facts, decision, notice by the city's leader
    client = api("leader_360300")
    for step, data in [
        ("fact_finding", {"facts": "安源区年度考核61.25分。"}),
        ("decision", {"measure": "talk", "reason": "约谈区政府分管负责人，限期整改。"}),
        ("notice", {"method": "direct", "served_at": "2026-01-10T10:00:00+08:00", "recipient": "安源区人民政府"}),
    ]:
        rows = client.get("/api/v1/tasks/", {"scope": "queue"}).json()["results"]
        rows += client.get("/api/v1/tasks/", {"scope": "mine"}).json()["results"]
        task = next(r for r in rows if r["step"] == step)
        client.post(f"/api/v1/tasks/{task['id']}/assign/")
        shown = browser.get(reverse("tasks:detail", args=[task["id"]]))  # a step with no case: the flow's title
        assert shown.status_code == 200 and "问责" in shown.content.decode()
        response = client.post(f"/api/v1/tasks/{task['id']}/complete/", data, format="json")
        assert response.status_code == 200, response.json()
    opened.refresh_from_db()
    assert (opened.status, opened.measure, opened.decision) == (Accountability.Status.DECIDED, "talk", None)
    kinds = list(TimelineEvent.objects.filter(region=opened.region, kind__startswith="accountability.")
                 .values_list("kind", flat=True))  # fmt: skip
    assert kinds == ["accountability.opened", "accountability.facts_found", "accountability.decided",
                     "accountability.notified"]  # fmt: skip
    # every event written has its words (the pages never show a key)
    written = set(TimelineEvent.objects.filter(kind__startswith="assessment.").values_list("kind", flat=True))
    assert {
        "assessment.computed",
        "assessment.reviewed",
        "assessment.finalised",
        "assessment.circular_drafted",
    } <= written
    assert all(k in EVENT_LABELS for k in written | set(kinds))


def test_finalising_drafts_the_circular_from_the_scores(facts):
    leader = world.user("leader", "360300")
    assessment = compute()
    services.assessment_review(assessment=assessment, actor=leader)
    services.assessment_finalise(assessment=assessment, actor=leader)
    circular = Circular.objects.get(assessment=assessment)
    assert circular.status == Circular.Status.DRAFT and circular.region.code == "360300"
    assert circular.title == f"萍乡市关于{YEAR}年度保障农民工工资支付工作考核结果的通报"
    assert "湘东区：90.00分，A级（好）" in circular.body
    assert "安源区：61.25分，C级（差）" in circular.body
    assert "对考核为A级的" in circular.body and "湘东区" in circular.body
    # the most points lost first, a tie in the sheet's order: wages and deposits 7.5, cases, accounts, incidents 5 …
    weakest = (
        "欠薪追回率（12.50/20）；工资保证金覆盖率（2.50/10）；案件按期办结率（15.00/20）；工资专用账户覆盖率（5.00/10）"
    )
    assert f"安源区考核为C级，主要失分指标：{weakest}" in circular.body
    services.circular_edit(circular=circular, title=circular.title, body=circular.body + "\n特此通报。", actor=leader)
    services.circular_publish(circular=circular, actor=leader)
    circular.refresh_from_db()
    assert circular.status == Circular.Status.PUBLISHED and circular.body.endswith("特此通报。")
    with pytest.raises(StateConflict):
        services.circular_edit(circular=circular, title="x", body="y", actor=leader)
    with pytest.raises(PermissionDenied):
        services.circular_publish(circular=circular, actor=world.user("clerk", "360300"))
