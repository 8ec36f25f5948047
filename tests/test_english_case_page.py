"""Issue 13 gaps, item 6: the case page of a case in the penalty procedure, in English, has no Chinese in its
headings, its step names (the flow's tasks and the clocks with their titles) nor in its table headers: every new
string of the penalty procedure, enforcement, notices, flags and records has its English."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases import penalty
from tests import factories, world

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "th", "legend", "summary", "button")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def chinese_in(html: str, tag: str) -> list[str]:
    found = []
    for inner in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, flags=re.S):
        text = re.sub(r"<[^>]+>", " ", inner)
        if CJK.search(text):
            found.append(" ".join(text.split()))
    return found


def penalty_case():
    """A case in the penalty procedure through its flow: the notice proposed and served, a statement made."""
    case = factories.case("deciding", region="360302")
    inspector = world.user("inspector", "360302")
    factories.step(case, inspector, decision="penalty", facts="阻挠监察。", proposed_penalty="20000",
                   penalty_basis="lsir_30")  # fmt: skip
    factories.step(case, inspector, method="direct", served_at=timezone.now().isoformat(), recipient="王某")
    penalty.penalty_statement_record(case=case, actor=inspector, text="已支付部分工资。", made_on=timezone.localdate())
    return case


def test_the_case_page_of_a_penalty_procedure_in_english_has_no_chinese_headings_or_step_names(client):
    case = penalty_case()
    client.force_login(world.user("inspector", "360302"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("cases:detail", args=[case.case_no]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Penalty notice, statement and hearing" in html
    found = {tag: chinese_in(html, tag) for tag in TAGS}
    assert not any(found.values()), found
    # the clocks of the procedure, by their English names (their legal basis cites the statute's Chinese title)
    for title in ("Party&#x27;s statement period", "Party&#x27;s hearing request period",
                  "Deadline to serve the penalty notice"):  # fmt: skip
        assert title in html, title
    for raw in ("当事人陈述申辩期", "当事人要求听证期限", "陈述申辩内容", "记录听证申请", "书面放弃"):
        assert raw not in html.split("<h3>Timeline")[0], raw
    # the step names: the open task of the procedure, as its handler's task list shows it
    tasks = [
        *client.get("/api/v1/tasks/", {"scope": "mine"}, HTTP_ACCEPT_LANGUAGE="en").json()["results"],
        *client.get("/api/v1/tasks/", {"scope": "queue"}, HTTP_ACCEPT_LANGUAGE="en").json()["results"],
    ]
    mine = [t for t in tasks if t["case_no"] == case.case_no]
    assert mine, tasks
    assert [t["title"] for t in mine] == ["Statement, hearing and review"], mine


def test_the_case_workspace_in_english_names_its_tabs_and_keeps_a_sans_serif_font(client):
    """Issue 14 item 4: the workspace's tabs, header and ledger forms are in English; its stylesheet sets a
    sans-serif font for every language and keeps wide tables inside their cards (the browser journey,
    tests/test_journey_inspector.py, measures no horizontal overflow at 1280 px)."""
    case = factories.case("investigating", region="360302")
    client.force_login(world.user("inspector", "360302"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("cases:detail", args=[case.case_no]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    tabs = html.split('<nav class="zq-tabs"')[1].split("</nav>")[0]
    assert not CJK.search(re.sub(r"<[^>]+>", " ", tabs)), tabs
    for label in ("Overview", "Deadlines", "Parties", "Wage ledger", "Documents", "Evidence", "Timeline"):
        assert f">{label}" in tabs, label
    assert "What I can do now" in html and "Next deadline" in html and "working days left" in html
    assert "case-workspace.css" in html
    css = open("cases/static/cases/case-workspace.css", encoding="utf-8").read()
    font = css.split(".zq-workspace {")[1].split("}")[0]
    assert "sans-serif;" in font and ".mdc-drawer-app-content" in css
