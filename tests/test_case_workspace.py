"""Issue 14 item 4: the case page as a workspace — a header whose figures are the ledger's totals and which names
the next deadline with its days left; the actions this user may take now (the tasks routed to them); the sections
as tabs chosen by `?tab=` (or an anchor) without JS; after service, the next step; a print stylesheet; evidence
picked from the case's list in the service and referral forms, never typed by number."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.evidence import evidence_upload
from cases.ledger import ledger_entry_add, ledger_summary, payment_record
from cases.models import Case, Role
from tests import factories, world
from tests.matrix import assigned_case_target
from tests.test_ledger import END, START, worker

pytestmark = pytest.mark.django_db
TABS = ("overview", "deadlines", "parties", "ledger", "documents", "evidence", "records", "linked", "timeline")
GROUND = "flight"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case():
    return Case.objects.get(case_no=assigned_case_target("360302").case_no)


@pytest.fixture
def inspector():
    return world.user(Role.INSPECTOR, "360302")


def page(client, user, case, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.case_no]), params)
    assert response.status_code == 200
    return response.content.decode()


def figure(html: str, name: str, attr: str = "data-figure") -> str:
    match = re.search(rf'{attr}="{name}">\s*([^<]*?)\s*<', html)
    assert match, name
    return match[1]


def test_the_header_figures_are_the_ledgers_totals(client, case, inspector):
    for n, amount in [(1, "6000.00"), (2, "4500.50"), (3, "3000.00")]:
        entry = ledger_entry_add(case=case, worker=worker(n), period_start=START, period_end=END,
                                 amount_owed=Decimal(amount), actor=inspector)  # fmt: skip
    payment_record(entry=entry, amount="1000.00", paid_on=date(2026, 11, 20), actor=inspector)
    html = page(client, inspector, case)
    summary = ledger_summary(case)
    assert figure(html, "owed") == str(summary["owed"]) == figure(html, "owed", "data-total") == "13500.50"
    assert figure(html, "paid") == str(summary["paid"]) == figure(html, "paid", "data-total") == "1000.00"
    assert figure(html, "outstanding") == str(summary["outstanding"]) == "12500.50"
    assert figure(html, "workers") == str(summary["workers"]) == figure(html, "workers", "data-total") == "3"


def test_the_header_names_the_next_deadline_with_its_working_days_left(client):
    from cases.deadlines import days_left, deadlines_for

    flowing = factories.case("investigating", region="360302")
    first = min((d for d in deadlines_for(case=flowing) if d.is_open), key=lambda d: d.due_at)
    html = page(client, factories.staff(Role.INSPECTOR), flowing)
    block = html.split('data-figure="next-deadline">')[1].split("</dd>")[0]
    assert f"{first.due_at.astimezone().date():%Y-%m-%d}" in block or first.due_at.strftime("%Y-%m-%d") in block
    assert f"剩余{days_left(first)}个工作日" in block, block


def test_sections_are_tabs_picked_by_the_query_or_an_anchor_without_js(client, case, inspector):
    html = page(client, inspector, case)
    for tab in TABS:
        assert f'<section id="{tab}" class="zq-panel' in html and f'href="?tab={tab}#{tab}"' in html
    assert '<section id="overview" class="zq-panel is-active">' in html
    html = page(client, inspector, case, tab="ledger")
    assert '<section id="ledger" class="zq-panel is-active">' in html
    assert '<section id="overview" class="zq-panel">' in html
    html = page(client, inspector, case, tab="<script>")  # an unknown tab: the overview
    assert '<section id="overview" class="zq-panel is-active">' in html and "&lt;script" not in html
    css = open("cases/static/cases/case-workspace.css", encoding="utf-8").read()
    assert ".zq-panel:target" in css and ".zq-panel.is-active { display: block; }" in css


def test_the_actions_are_this_users_tasks_and_rights(client, case, inspector):
    from viewflow.workflow.models import Task

    html = page(client, inspector, case)
    actions = html.split('class="zq-card zq-ws-actions"')[1].split("</section>")[0]
    assert "?tab=ledger#ledger" in actions  # the assigned inspector may enter the ledger
    assert reverse("cases:ledger-entry-add", args=[case.case_no]) in html
    clerk_html = page(client, world.user(Role.CLERK, "360302"), case)
    clerk_actions = clerk_html.split('class="zq-card zq-ws-actions"')[1].split("</section>")[0]
    assert "?tab=ledger#ledger" not in clerk_actions and "本案当前没有您可办理的事项" in clerk_actions
    assert reverse("cases:ledger-entry-add", args=[case.case_no]) not in clerk_html
    # a case in its flow: the task routed to the assigned inspector is at the top, linked
    flowing = factories.case("investigating", region="360302")
    mine = Task.objects.filter(process__caseprocess__case=flowing, status__in=["NEW", "ASSIGNED"]).first()
    assert mine is not None
    html = page(client, factories.staff(Role.INSPECTOR), flowing)
    actions = html.split('class="zq-card zq-ws-actions"')[1].split("</section>")[0]
    assert reverse("tasks:detail", args=[mine.pk]) in actions


def test_after_service_the_page_says_what_comes_next(client):
    enforcing = factories.case("enforcing", region="360302")
    html = page(client, factories.staff(Role.INSPECTOR), enforcing)
    block = html.split('data-next="after-service"')[1].split("</p>")[0]
    assert "送达" in block and "下一步" in block and re.search(r"期限 \d{4}-\d{2}-\d{2}", block), block


def test_the_page_prints_every_section_without_the_frame(client, case, inspector):
    html = page(client, inspector, case)
    assert 'case-print.css" media="print"' in html and "window.print()" in html
    css = open("cases/static/cases/case-print.css", encoding="utf-8").read()
    assert "@page" in css and ".zq-tabs" in css and ".zq-panel.is-active" in css and "break-inside: avoid" in css


def test_names_never_wrap_a_character_per_line(client, case, inspector):
    ledger_entry_add(
        case=case, worker=worker(1), period_start=START, period_end=END, amount_owed="100", actor=inspector
    )
    html = page(client, inspector, case, tab="ledger")
    assert '<td class="zq-name">工人01<br>' in html
    css = open("cases/static/cases/case-workspace.css", encoding="utf-8").read()
    assert ".zq-workspace .zq-name { white-space: nowrap; min-width: 5em; }" in css


def test_the_case_page_is_404_out_of_scope(client, case):
    client.force_login(world.user(Role.INSPECTOR, "360313"))
    assert client.get(reverse("cases:detail", args=[case.case_no])).status_code == 404


# --- evidence chosen from a list -----------------------------------------------------------------


def test_the_service_form_lists_the_cases_evidence_and_refuses_anothers(case):
    from viewflow.workflow.models import Task

    from workflows.investigation.forms import ServeForm

    deciding = factories.case("deciding", region="360302")
    inspector = factories.staff(Role.INSPECTOR)
    factories.step(deciding, inspector, decision="order_to_pay", facts="拖欠工资。",
                   order_due=date(2026, 12, 31).isoformat())  # fmt: skip
    photo = evidence_upload(case=deciding, upload=SimpleUploadedFile("送达照片.png", PNG, "image/png"),
                            description="张贴送达照片", actor=inspector)  # fmt: skip
    other = evidence_upload(case=case, upload=SimpleUploadedFile("他案.png", PNG, "image/png"),
                            description="他案证据", actor=world.user(Role.INSPECTOR, "360302"))  # fmt: skip
    task = Task.objects.filter(process__caseprocess__case=deciding, status__in=["NEW", "ASSIGNED"]).order_by("-id")[0]
    form = ServeForm(task=task)
    labels = dict(form.fields["proof"].choices)
    assert str(photo.pk) in labels and "张贴送达照片" in labels[str(photo.pk)] and "PNG" in labels[str(photo.pk)]
    assert str(other.pk) not in labels
    body = {"method": "direct", "served_at": "2026-11-20T10:00", "recipient": "王某"}
    assert ServeForm({**body, "proof": str(photo.pk)}, task=task).is_valid()
    bad = ServeForm({**body, "proof": str(other.pk)}, task=task)
    assert not bad.is_valid() and "proof" in bad.errors


def test_the_referral_start_lists_the_evidence_of_a_case_in_scope_only(case, inspector):
    from workflows.referral.forms import ReferralStartForm

    ev = evidence_upload(case=case, upload=SimpleUploadedFile("工资表.png", PNG, "image/png"),
                         description="工资表照片", actor=inspector)  # fmt: skip
    form = ReferralStartForm(initial={"case_no": case.case_no}, user=inspector)
    assert "工资表照片" in str(form["ground_evidence"])
    outsider = ReferralStartForm(initial={"case_no": case.case_no}, user=world.user(Role.INSPECTOR, "360313"))
    assert "工资表照片" not in str(outsider["ground_evidence"])
    typed = ReferralStartForm({"case_no": case.case_no, "ground": GROUND, "ground_evidence": "abc"})
    assert not typed.is_valid() and "ground_evidence" in typed.errors
    picked = ReferralStartForm({"case_no": case.case_no, "ground": GROUND, "ground_evidence": str(ev.pk)})
    assert picked.is_valid(), picked.errors
