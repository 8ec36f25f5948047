"""Pages and API of the early warning: in scope 200, out of scope 404, wrong role 403; the evidence readable
(no rule code, no raw key); bad input named by field, nothing changed."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Role
from earlywarning.checks.run import project_month_check
from earlywarning.models import Signal
from tests.ewkit import MAY, project_with_month
from tests.factories import staff

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def signal():
    project, _unit, _w = project_with_month(account=False)
    project_month_check(project=project, month=MAY)
    return Signal.objects.get(project=project, rule="account_not_opened")


def test_list_and_detail_permissions(signal):
    inspector, clerk = staff(Role.INSPECTOR), staff(Role.CLERK)
    outsider, admin = staff(Role.INSPECTOR, "360313"), staff(Role.ADMIN, "360000")
    page = _client(inspector).get(reverse("earlywarning:index"), {"level": "red"})
    assert page.status_code == 200 and "施工合同签订后逾期未开设工资专用账户" in page.content.decode()
    assert _client(clerk).get(reverse("earlywarning:index")).status_code == 200
    link = reverse("earlywarning:detail", args=[signal.pk])
    assert link in page.content.decode()
    assert link not in _client(outsider).get(reverse("earlywarning:index")).content.decode()
    assert _client(admin).get(reverse("earlywarning:index")).status_code == 403
    detail = reverse("earlywarning:detail", args=[signal.pk])
    body = _client(inspector).get(detail).content.decode()
    assert "施工合同签订日期" in body and "account_not_opened" not in body and "contract_signed_on" not in body
    assert _client(outsider).get(detail).status_code == 404
    assert _client(admin).get(detail).status_code == 403


def test_enter_by_hand_page():
    inspector, clerk, admin = staff(Role.INSPECTOR), staff(Role.CLERK), staff(Role.ADMIN, "360000")
    url = reverse("earlywarning:new")
    assert _client(inspector).get(url).status_code == 200
    assert _client(clerk).get(url).status_code == 403
    assert _client(admin).get(url).status_code == 403
    before = Signal.objects.count()
    bad = _client(inspector).post(url, {"source": "hotline", "level": "red", "facts": "", "project_no": "NOPE"})
    assert bad.status_code == 400 and Signal.objects.count() == before
    ok = _client(inspector).post(url, {"source": "hotline", "level": "red", "facts": "12333热线反映某工地欠薪"})
    assert ok.status_code == 302 and Signal.objects.count() == before + 1


def test_project_check_button():
    project, _unit, _w = project_with_month(account=False)
    inspector, clerk, outsider = staff(Role.INSPECTOR), staff(Role.CLERK), staff(Role.INSPECTOR, "360313")
    page = _client(inspector).get(reverse("projects:detail", args=[project.project_no])).content.decode()
    assert "立即执行月度检查" in page
    assert (
        "立即执行月度检查"
        not in _client(clerk).get(reverse("projects:detail", args=[project.project_no])).content.decode()
    )
    url = reverse("earlywarning:check", args=[project.project_no])
    assert _client(clerk).post(url, {"month": "2026-05"}).status_code == 403
    assert _client(outsider).post(url, {"month": "2026-05"}).status_code == 404
    assert _client(inspector).post(url, {"month": "2026-05"}).status_code == 302
    assert Signal.objects.filter(project=project, rule="account_not_opened").exists()


def test_api_permissions(signal):
    inspector, clerk = staff(Role.INSPECTOR), staff(Role.CLERK)
    outsider, admin = staff(Role.INSPECTOR, "360313"), staff(Role.ADMIN, "360000")
    listed = _client(inspector).get("/api/v1/signals/", {"rule": "account_not_opened"})
    assert listed.status_code == 200 and listed.json()["results"][0]["rule_title"]
    assert _client(admin).get("/api/v1/signals/").status_code == 403
    one = f"/api/v1/signals/{signal.pk}/"
    data = _client(inspector).get(one).json()
    assert data["level"] == "red" and any(e["label"] == "施工合同签订日期" for e in data["evidence"])
    assert _client(outsider).get(one).status_code == 404
    assert _client(admin).get(one).status_code == 403
    check = f"/api/v1/projects/{signal.project.project_no}/check/"
    assert _client(inspector).post(check, {"month": "2026-05"}, content_type="application/json").status_code == 200
    bad = _client(inspector).post(check, {"month": "May"}, content_type="application/json")
    assert bad.status_code == 400 and "month" in bad.json()["errors"]
    assert _client(clerk).post(check, {"month": "2026-05"}, content_type="application/json").status_code == 403
    assert _client(outsider).post(check, {"month": "2026-05"}, content_type="application/json").status_code == 404
    new = _client(inspector).post("/api/v1/signals/", {"source": "media", "level": "yellow", "facts": "报道"},
                                  content_type="application/json")  # fmt: skip
    assert new.status_code == 201 and new.json()["source_display"] == "媒体报道"
    refused = _client(inspector).post("/api/v1/signals/", {"source": "x", "level": "yellow", "facts": "报道"},
                                      content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "source" in refused.json()["errors"]
    assert _client(clerk).post("/api/v1/signals/", {"source": "media", "level": "yellow", "facts": "x"},
                               content_type="application/json").status_code == 403  # fmt: skip


def test_menu_entry_for_readers_only():
    from workflows.menu import GROUPS

    entry = next(e for _label, entries in GROUPS for e in entries if e.key == "warnings")
    assert entry.allowed(staff(Role.INSPECTOR)) and not entry.allowed(staff(Role.ADMIN, "360000"))


def test_signal_page_in_english(signal):
    c = _client(staff(Role.INSPECTOR))
    body = c.get(reverse("earlywarning:detail", args=[signal.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No wage account opened in time after the construction contract" in body
    assert "Construction contract signed on" in body
