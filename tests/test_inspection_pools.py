"""双随机一公开, issue 18 item 1: the pools enrolled on pages — inspectors with their certificates (an expired or
missing one is never drawn, and the page says why), targets one by one and in bulk, removal with a reason,
recusals, the XLSX exports — each change one service and one event; every page 200 / 404 / 403."""

import itertools
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Employer, Region, Role, TimelineEvent
from cases.services import staff_create
from cases.timeline.labels import EVENT_LABELS
from cases.web.list_export import XLSX_CONTENT_TYPE
from inspections.models import Conflict, Inspector, Target
from inspections.pools import drawable_inspectors, inspector_enrol
from inspections.services import plan_create, pool_snapshot
from projects.models import Project
from tests.factories import staff, uscc

pytestmark = pytest.mark.django_db
CODE, OTHER = "360302", "360313"


def _region(code=CODE):
    return Region.objects.get(code=code)


def _inspector_account(n, code=CODE):
    return staff_create(username=f"pool_insp_{code}_{n}", region=_region(code), role=Role.INSPECTOR)


_serial = itertools.count(7000)


def _employers(n, *, code=CODE, industry="C"):
    made = []
    for _i in range(n):
        k = next(_serial)
        made.append(Employer.objects.create(name=f"名录单位{k}", name_key=f"名录单位{k}", uscc=uscc(k),
                                            region=_region(code), industry=industry))  # fmt: skip
    return made


def _url(name, *args, code=CODE):
    return reverse(f"inspections:{name}", args=[code, *args])


def test_an_inspector_without_a_valid_certificate_is_never_drawn_and_the_page_says_why(client):
    leader = staff(Role.LEADER, CODE)
    client.force_login(leader)
    accounts = [_inspector_account(n) for n in range(4)]
    yesterday = timezone.localdate() - timedelta(days=1)
    bodies = [
        {"certificate_no": "JX100001", "certificate_valid_until": ""},
        {"certificate_no": "JX100002", "certificate_valid_until": (yesterday + timedelta(days=365)).isoformat()},
        {"certificate_no": "JX100003", "certificate_valid_until": yesterday.isoformat()},  # expired
        {"certificate_no": "", "certificate_valid_until": ""},  # none
    ]
    for user, body in zip(accounts, bodies, strict=True):
        response = client.post(_url("inspector-add"), {"user": user.pk, "name": "", **body})
        assert response.status_code == 302
    pool = {i.certificate_no: i for i in Inspector.objects.filter(region=_region(), user__in=accounts)}
    assert set(drawable_inspectors(_region()).filter(user__in=accounts)) == {pool["JX100001"], pool["JX100002"]}
    assert pool["JX100003"].undrawable_reason == "执法证已过有效期" and pool[""].undrawable_reason == "未登记执法证号"
    plan = plan_create(region=_region(), name="名录测试", period_start=date(2026, 3, 1), period_end=date(2026, 6, 30),
                       count=1, actor=leader)  # fmt: skip
    snapshot = pool_snapshot(plan)["inspectors"]
    assert pool["JX100001"].pk in snapshot and pool["JX100003"].pk not in snapshot and pool[""].pk not in snapshot
    html = client.get(_url("pools")).content.decode()
    assert "执法证已过有效期" in html and "未登记执法证号" in html
    # a staff account without the inspector role at the region is refused, the field named, nothing changed
    clerk = staff(Role.CLERK, CODE)
    response = client.post(_url("inspector-add"), {"user": clerk.pk, "certificate_no": "JX9"})
    assert response.status_code == 200 and "user" in response.context["inspector_form"].errors
    assert not Inspector.objects.filter(user=clerk).exists()
    events = TimelineEvent.objects.filter(region=_region(), kind="inspection.inspector_enrolled")
    assert events.count() >= 4 and "inspection.inspector_enrolled" in EVENT_LABELS
    # removed with a reason: never drawn, the reason shown; the reason is required
    gone = pool["JX100001"]
    assert client.post(_url("inspector-remove", gone.pk), {"reason": ""}).status_code == 302
    assert Inspector.objects.get(pk=gone.pk).active
    assert client.post(_url("inspector-remove", gone.pk), {"reason": "调离执法岗位"}).status_code == 302
    gone.refresh_from_db()
    assert not gone.active and gone not in drawable_inspectors(_region())
    assert TimelineEvent.objects.get(kind="inspection.inspector_removed").data["reason"] == "调离执法岗位"
    assert "调离执法岗位" in client.get(_url("pools")).content.decode()


def test_targets_one_by_one_in_bulk_removed_and_exported(client):
    client.force_login(staff(Role.LEADER, CODE))
    employers = _employers(3) + _employers(1, industry="H")
    Employer.objects.create(name="未分类单位", name_key="未分类单位", uscc=uscc(7990), region=_region())
    outside = _employers(1, code=OTHER)[0]
    project = Project.objects.create(project_no="JX-P-0001", name="安源区某安置房项目", region=_region(),
                                     department="housing")  # fmt: skip
    # one by one: an employer by its USCC (industry from its record), a project by its number (section E)
    assert client.post(_url("target-add"), {"uscc": employers[0].uscc, "size": "medium"}).status_code == 302
    assert client.post(_url("target-add"), {"project_no": project.project_no, "size": "large"}).status_code == 302
    target = Target.objects.get(region=_region(), employer=employers[0])
    assert target.industry == "C" and target.size == "medium"
    assert Target.objects.get(region=_region(), project=project).industry == "E"
    # twice, or outside the region, or neither: refused with the field named
    for body, field in [({"uscc": employers[0].uscc}, "uscc"), ({"uscc": outside.uscc}, "uscc"), ({}, "uscc")]:
        response = client.post(_url("target-add"), {"size": "small", **body})
        assert response.status_code == 200 and field in response.context["target_form"].errors
    assert Target.objects.filter(region=_region()).count() == 2
    # in bulk: the region's employers of section C not yet in the pool (the unclassified one is left out)
    response = client.post(_url("targets-bulk"), {"source": "employers", "industry": "C", "size": "small"})
    assert response.status_code == 302
    pooled = set(Target.objects.filter(region=_region(), employer__isnull=False).values_list("employer_id", flat=True))
    assert pooled == {e.pk for e in employers if e.industry == "C"}
    event = TimelineEvent.objects.get(kind="inspection.targets_bulk_enrolled")
    assert event.data["count"] == 2 and event.data["industry"] == "C"
    response = client.post(_url("targets-bulk"), {"source": "employers", "industry": "C", "size": "small"})
    assert response.status_code == 200 and "source" in response.context["bulk_form"].errors  # nothing left
    # removed with a reason: out of the pool the draw sees
    assert client.post(_url("target-remove", target.pk), {"reason": "企业已注销"}).status_code == 302
    target.refresh_from_db()
    assert not target.active and target.removed_reason == "企业已注销"
    # the exports
    for pool in ("inspectors", "targets", "recusals"):
        response = client.get(_url("pools"), {"format": "xlsx", "pool": pool})
        assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE


def test_a_recusal_entered_on_the_page(client):
    leader = staff(Role.LEADER, CODE)
    client.force_login(leader)
    inspector = inspector_enrol(region=_region(), user=_inspector_account(9), name="回避人", certificate_no="JX1",
                                actor=leader)  # fmt: skip
    employer = _employers(1)[0]
    client.post(_url("target-add"), {"uscc": employer.uscc, "size": "small"})
    target = Target.objects.get(employer=employer)
    response = client.post(_url("recusal-add"), {"inspector": inspector.pk, "target": target.pk, "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["recusal_form"].errors
    body = {"inspector": inspector.pk, "target": target.pk, "reason": "配偶在该单位任职"}
    assert client.post(_url("recusal-add"), body).status_code == 302
    assert Conflict.objects.get(inspector=inspector, target=target).reason == "配偶在该单位任职"
    assert TimelineEvent.objects.get(kind="inspection.recusal_recorded").data["reason"] == "配偶在该单位任职"
    response = client.post(_url("recusal-add"), body)  # twice: refused, the field named
    assert response.status_code == 200 and "target" in response.context["recusal_form"].errors
    assert "配偶在该单位任职" in client.get(_url("pools")).content.decode()


def test_pool_pages_permissions(client):
    leader = staff(Role.LEADER, CODE)
    inspector = inspector_enrol(region=_region(), user=_inspector_account(5), name="甲", certificate_no="JX5",
                                actor=leader)  # fmt: skip
    employer = _employers(1)[0]
    target = Target.objects.create(region=_region(), employer=employer, industry="C")
    posts = {
        _url("inspector-add"): {"user": inspector.user_id, "certificate_no": "JX6"},
        _url("inspector-remove", inspector.pk): {"reason": "调离"},
        _url("target-add"): {"uscc": employer.uscc, "size": "small"},
        _url("targets-bulk"): {"source": "employers", "size": "small"},
        _url("target-remove", target.pk): {"reason": "注销"},
        _url("recusal-add"): {"inspector": inspector.pk, "target": target.pk, "reason": "亲属"},
    }
    client.force_login(leader)
    assert client.get(_url("pools")).status_code == 200
    assert client.get(reverse("inspections:index")).status_code == 200
    assert _url("pools") in client.get(reverse("inspections:index")).content.decode()
    client.force_login(staff(Role.LEADER, OTHER))  # out of scope
    assert client.get(_url("pools")).status_code == 404
    for url, body in posts.items():
        assert client.post(url, body).status_code == 404, url
    client.force_login(staff(Role.CLERK, CODE))  # in scope, reads the pools, may not change them
    assert client.get(_url("pools")).status_code == 200
    for url, body in posts.items():
        assert client.post(url, body).status_code == 403, url
    client.force_login(staff(Role.ADMIN, CODE))  # no reading role
    assert client.get(_url("pools")).status_code == 403
    inspector.refresh_from_db()
    target.refresh_from_db()
    assert inspector.active and target.active and not Conflict.objects.exists()


def test_the_pools_page_in_english(client, settings):
    leader = staff(Role.LEADER, CODE)
    inspector_enrol(region=_region(), user=_inspector_account(7), name="乙", certificate_no="", actor=leader)
    client.force_login(leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(_url("pools"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Inspection pools" in html and "no certificate number entered" in html and "Add in bulk" in html
    assert "检查名录库" not in html and "未登记执法证号" not in html and "批量加入" not in html
