"""双随机一公开 (issue 18 items 1–4): the pools, a draw re-run from its seed, recusal and a logged redraw, the
inspections (rectification and its verification; a proactive case), the 20-working-day publication."""

import re
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Employer, Region, Role, TimelineEvent
from cases.proactive import case_file_proactive, filing_proposal_validate, filing_propose
from cases.timeline.labels import EVENT_LABELS
from cases.workdays import add_working_days
from inspections import draw
from inspections.models import Inspection, Inspector, Plan
from inspections.services import (
    CHECKLIST,
    draw_recompute,
    inspection_case_propose,
    inspection_record,
    inspection_rectification_verify,
    inspection_recuse,
    inspector_enrol,
    plan_complete,
    plan_create,
    plan_draw,
    plan_draw_verify,
    plan_publish,
    recusal_record,
    target_enrol,
)
from tests.clock import at
from tests.factories import staff, uscc

pytestmark = pytest.mark.django_db
CODE = "360302"
ALL_OK = dict.fromkeys(CHECKLIST, "ok")


def _pools(*, targets=8, inspectors=6, uncertified=1):
    region = Region.objects.get(code=CODE)
    leader = staff(Role.LEADER, CODE)
    from cases.services import staff_create

    pool = []
    for n in range(inspectors + uncertified):
        user = staff_create(username=f"dr_insp_{n}", region=region, role=Role.INSPECTOR)
        cert = f"JX{n:06d}" if n < inspectors else ""
        pool.append(inspector_enrol(region=region, user=user, name=f"检查员{n}", certificate_no=cert, actor=leader))
    tpool = []
    for n in range(targets):
        employer = Employer.objects.create(name=f"抽查单位{n}", name_key=f"抽查单位{n}", uscc=uscc(900 + n),
                                           region=region, industry="C" if n % 2 else "H")  # fmt: skip
        tpool.append(target_enrol(region=region, actor=leader, industry=employer.industry, employer=employer))
    return region, leader, pool, tpool


def _moment(*ymd):
    return timezone.make_aware(datetime(*ymd, 10, 0))


def _plan(region, leader, **kw):
    kw.setdefault("count", 4)
    return plan_create(region=region, name="2026年第一批双随机抽查", period_start=date(2026, 3, 1),
                       period_end=date(2026, 6, 30), actor=leader, **kw)  # fmt: skip


def test_draw_rerun_from_its_seed_gives_the_same_targets_and_inspectors():
    region, leader, pool, _targets = _pools()
    plan = plan_draw(plan=_plan(region, leader), actor=leader, seed="fixed-seed-1")
    drawn = sorted((i.target_id, sorted(i.drawn_inspectors)) for i in plan.inspections.all())
    assert len(drawn) == 4 and all(len(p) == 2 and p[0] != p[1] for _t, p in drawn)
    assert draw.run(seed="fixed-seed-1", snapshot=plan.snapshot) == drawn
    assert draw_recompute(plan) and plan_draw_verify(plan=plan, actor=leader)
    # the uncertified inspector is never in the pool the draw sees
    assert pool[-1].pk not in plan.snapshot["inspectors"]
    # a changed snapshot or seed no longer verifies
    plan.snapshot = {**plan.snapshot, "k": 3}
    assert not draw_recompute(plan)
    event = TimelineEvent.objects.filter(region=region, kind="draw.drawn").get()
    assert event.data["seed"] == "fixed-seed-1" and event.data["snapshot_hash"] == plan.snapshot_hash


def test_share_and_industry_filter():
    region, leader, _pool, targets = _pools()
    plan = plan_draw(plan=_plan(region, leader, count=None, share_percent=50, industries=["H"]), actor=leader)
    h_ids = {t.pk for t in targets if t.industry == "H"}
    assert plan.snapshot["targets"] == sorted(h_ids) and plan.snapshot["k"] == 2  # ceil(4 * 50%)
    assert {i.target_id for i in plan.inspections.all()} <= h_ids


def test_a_recused_inspector_is_never_drawn_for_that_target():
    region, leader, pool, targets = _pools(targets=3, inspectors=3)
    for t in targets:
        recusal_record(inspector=pool[0], target=t, reason="近亲属任职", actor=leader)
    for seed in range(30):
        plan = plan_draw(plan=_plan(region, leader, count=3), actor=leader, seed=str(seed))
        assert all(pool[0].pk not in i.drawn_inspectors for i in plan.inspections.all())
    # recused pairs are part of the recorded inputs
    assert [pool[0].pk, targets[0].pk] in plan.snapshot["recusals"]


def test_recusal_after_the_draw_is_a_logged_redraw():
    region, leader, pool, _targets = _pools()
    plan = plan_draw(plan=_plan(region, leader), actor=leader, seed="s")
    inspection = plan.inspections.first()
    out = inspection.inspectors.first()
    redraw = inspection_recuse(inspection=inspection, inspector=out, reason="曾在该单位任职", actor=leader)
    now = set(inspection.inspectors.values_list("pk", flat=True))
    assert out.pk not in now and redraw.added_id in now and len(now) == 2
    eligible = TimelineEvent.objects.get(region=region, kind="draw.redrawn").data["eligible"]
    assert draw.replacement(seed=redraw.seed, eligible=eligible) == redraw.added_id
    assert draw_recompute(plan)  # the original draw still verifies
    with pytest.raises(ValidationError) as err:
        inspection_recuse(inspection=inspection, inspector=out, reason="x", actor=leader)
    assert "inspector" in err.value.message_dict


def test_bad_plan_input_names_the_field():
    region, leader, _pool, _targets = _pools(targets=1)
    for kw, field in [({"count": None}, "count"), ({"count": 0}, "count"), ({"industries": ["Z"]}, "industries"),
                      ({"count": None, "share_percent": 101}, "share_percent")]:  # fmt: skip
        with pytest.raises(ValidationError) as err:
            _plan(region, leader, **kw)
        assert field in err.value.message_dict
    assert not Plan.objects.exists()


def test_walk_plan_draw_rectification_verified_and_a_proactive_case_then_publication():
    region, leader, _pool, _targets = _pools()
    with at(_moment(2026, 4, 1)):
        plan = plan_draw(plan=_plan(region, leader, count=2), actor=leader, seed="walk")
        first, second = plan.inspections.all()
        actor = first.inspectors.first().user
        with pytest.raises(ValidationError):
            inspection_record(inspection=first, checklist={**ALL_OK, "wage_records": "problem"}, findings="",
                              outcome="rectify", inspected_on=date(2026, 4, 1), actor=actor)  # fmt: skip
        first = inspection_record(inspection=first, checklist={**ALL_OK, "notice_board": "problem"},
                                  findings="未设置维权信息告示牌", outcome="rectify", inspected_on=date(2026, 4, 1),
                                  actor=actor)  # fmt: skip
        assert first.rectify_due == add_working_days(date(2026, 4, 1), 10)
        with pytest.raises(ValidationError):
            plan_complete(plan=plan, actor=leader)
        inspection_rectification_verify(inspection=first, verified_on=date(2026, 4, 1), note="已设置", actor=actor)
        proposal = filing_proposal_validate({
            "origin": Case.Origin.DOUBLE_RANDOM, "facts": "双随机抽查发现拖欠工资",
            "employer": {"name": second.target.employer.name, "uscc": second.target.employer.uscc},
            "workers_count": 3, "amount_owed": "30000",
        })  # fmt: skip
        inspector = second.inspectors.first().user
        filing = filing_propose(region=region, proposal=proposal, actor=inspector)
        inspection_case_propose(inspection=second, checklist={**ALL_OK, "wage_records": "problem"},
                                findings="拖欠三名劳动者工资", inspected_on=date(2026, 4, 1), filing=filing,
                                actor=inspector)  # fmt: skip
        case = case_file_proactive(region=region, proposal=proposal, actor=leader, opinion="同意立案", filing=filing)
        assert case.origin == Case.Origin.DOUBLE_RANDOM
        plan = plan_complete(plan=plan, actor=leader, on=date(2026, 4, 1))
    assert plan.publish_due == add_working_days(date(2026, 4, 1), 20)
    plan_publish(plan=plan, actor=leader)
    kinds = list(TimelineEvent.objects.filter(region=region).filter(kind__regex=r"^(draw|inspection)\.")
                 .values_list("kind", flat=True))  # fmt: skip
    assert all(k in EVENT_LABELS for k in kinds)
    assert {"draw.planned", "draw.drawn", "inspection.rectification_ordered", "inspection.rectification_verified",
            "inspection.case_proposed", "inspection.plan_completed", "inspection.published"} <= set(kinds)  # fmt: skip
    assert Inspection.objects.get(pk=second.pk).filing.case == case


def test_publication_within_20_working_days_across_a_holiday():
    # completed on Wed 2026-09-30: the National Day week is not counted
    region, leader, _pool, _targets = _pools(targets=1)
    plan = plan_draw(plan=_plan(region, leader, count=1), actor=leader, seed="p")
    inspection = plan.inspections.get()
    with at(_moment(2026, 9, 30)):
        inspection_record(inspection=inspection, checklist=ALL_OK, findings="", outcome="no_problem",
                          inspected_on=date(2026, 9, 30), actor=leader)  # fmt: skip
        plan = plan_complete(plan=plan, actor=leader, on=date(2026, 9, 30))
    assert plan.publish_due == add_working_days(date(2026, 9, 30), 20)
    assert (plan.publish_due - date(2026, 9, 30)).days > 28  # 20 working days + the holiday
    from inspections.services import plans_publication_overdue

    assert list(plans_publication_overdue(plan.publish_due)) == []
    assert list(plans_publication_overdue(add_working_days(plan.publish_due, 1))) == [plan]


# --- pages ------------------------------------------------------------------------------------------------

FULL_ID = re.compile(r"\d{17}[\dXx]")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def _published():
    region, leader, pool, _targets = _pools(targets=2)
    plan = plan_draw(plan=_plan(region, leader, count=2), actor=leader, seed="pub")
    with at(_moment(2026, 4, 1)):
        for inspection in plan.inspections.all():
            inspection_record(inspection=inspection, checklist=ALL_OK, findings="", outcome="no_problem",
                              inspected_on=date(2026, 4, 1), actor=leader)  # fmt: skip
        plan = plan_complete(plan=plan, actor=leader, on=date(2026, 4, 1))
    return plan_publish(plan=plan, actor=leader), pool


def test_public_results_have_no_personal_data(client):
    plan, pool = _published()
    listing = client.get(reverse("inspections-public:results"))
    assert listing.status_code == 200 and plan.name in listing.content.decode()
    page = client.get(reverse("inspections-public:result", args=[plan.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    drawn = {i.certificate_no for i in Inspector.objects.filter(inspections__plan=plan)}
    assert drawn and all(c in html for c in drawn)
    assert not FULL_ID.search(html) and not MOBILE.search(html)
    assert not any(i.name in html for i in pool)  # inspectors by certificate number only, never by name
    assert not any(u.username in html for u in [i.user for i in pool])
    unpublished = _plan(plan.region, plan.created_by)
    assert client.get(reverse("inspections-public:result", args=[unpublished.pk])).status_code == 404


def test_staff_pages_permissions(client):
    plan, pool = _published()
    leader, clerk = staff(Role.LEADER, CODE), staff(Role.CLERK, CODE)
    other_leader = staff(Role.LEADER, "360313")
    detail = reverse("inspections:detail", args=[plan.pk])
    verify = reverse("inspections:verify", args=[plan.pk])
    client.force_login(leader)
    assert client.get(reverse("inspections:index")).status_code == 200
    assert client.get(detail).status_code == 200
    response = client.post(verify, follow=True)
    assert response.status_code == 200 and TimelineEvent.objects.filter(kind="draw.verified").count() == 1
    assert client.get(reverse("inspections:mine")).status_code == 403  # not an inspector
    client.force_login(other_leader)  # out of scope
    assert client.get(detail).status_code == 404 and client.post(verify).status_code == 404
    client.force_login(clerk)  # in scope, wrong role for 复核
    assert client.get(detail).status_code == 200 and client.post(verify).status_code == 403
    client.force_login(pool[0].user)
    assert client.get(reverse("inspections:mine")).status_code == 200
    client.force_login(staff(Role.ADMIN, CODE))  # no reading role: 403 everywhere
    for url in (reverse("inspections:index"), detail, reverse("inspections:mine")):
        assert client.get(url).status_code == 403
    assert client.post(verify).status_code == 403
    client.logout()
    assert client.get(detail).status_code == 302  # to the login page


def test_draw_verify_command():
    from io import StringIO

    from django.core.management import CommandError, call_command

    region, leader, _pool, _targets = _pools(targets=3)
    plan = plan_draw(plan=_plan(region, leader, count=2), actor=leader, seed="cmd")
    out = StringIO()
    call_command("draw_verify", str(plan.pk), stdout=out)
    assert "OK" in out.getvalue()
    Plan.objects.filter(pk=plan.pk).update(seed="other")
    with pytest.raises(CommandError):
        call_command("draw_verify", str(plan.pk))


def test_record_page(client):
    region, leader, pool, _targets = _pools(targets=2, inspectors=3, uncertified=0)
    plan = plan_draw(plan=_plan(region, leader, count=1), actor=leader, seed="page")
    inspection = plan.inspections.get()
    url = reverse("inspections:record", args=[inspection.pk])
    mine = inspection.inspectors.first().user
    other = next(i.user for i in pool if i.pk not in inspection.drawn_inspectors)
    client.force_login(other)  # an inspector in scope, not drawn for it
    assert client.get(url).status_code == 403
    client.force_login(staff(Role.LEADER, "360313"))  # out of scope
    assert client.get(url).status_code == 404
    client.force_login(mine)
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("inspections:mine")).content.decode()
    body = {f"check_{k}": "ok" for k in CHECKLIST} | {"outcome": "rectify", "inspected_on": "2000-01-01"}
    assert client.post(url, {**body, "inspected_on": ""}).status_code == 200  # the date is missing
    response = client.post(url, body)  # rectify without findings: refused, the field named
    assert response.status_code == 200 and "findings" in response.context["form"].errors
    assert Inspection.objects.get(pk=inspection.pk).outcome == ""
    body = {**body, "check_contracts": "problem", "findings": "未签订劳动合同"}
    assert client.post(url, body).status_code == 302
    inspection.refresh_from_db()
    assert inspection.outcome == "rectify" and inspection.rectify_due


def test_leader_makes_and_draws_a_plan_through_the_pages(client):
    region, leader, _pool, _targets = _pools(targets=3)
    client.force_login(leader)
    body = {"region_code": "360313", "name": "页面计划", "period_start": "2026-03-01", "period_end": "2026-06-30",
            "count": "2"}  # fmt: skip
    response = client.post(reverse("inspections:new"), body)  # another county: not the leader's
    assert response.status_code == 200 and "region_code" in response.context["form"].errors
    response = client.post(reverse("inspections:new"), {**body, "region_code": CODE, "count": ""})
    assert "count" in response.context["form"].errors and not Plan.objects.exists()
    response = client.post(reverse("inspections:new"), {**body, "region_code": CODE})
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert client.post(reverse("inspections:draw", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "drawn" and plan.inspections.count() == 2 and draw_recompute(plan)
    client.force_login(staff(Role.CLERK, CODE))
    assert client.get(reverse("inspections:new")).status_code == 403


def test_pages_in_english(client, settings):
    plan, _pool = _published()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("inspections-public:result", args=[plan.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Inspectors&#x27; certificate nos." in html or "Inspectors' certificate nos." in html
    assert "No problem found" in html and ("Manufacturing" in html or "Accommodation and catering" in html)
    client.force_login(staff(Role.LEADER, CODE))
    html = client.get(reverse("inspections:detail", args=[plan.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Random seed" in html and "Re-run the draw (verify)" in html and "随机种子" not in html
