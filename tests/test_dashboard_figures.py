"""The dashboard on the demo (issue 14 item 5): live after `seed_demo` (the figures are computed, not all 0),
and every figure that opens a list opens a list of exactly that many cases ("在办 4" opens 4, no closed case);
a figure no case list counts one for one (deadlines, payments, money) opens nothing."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cases.models import Case
from workflows.demo import seed_demo

pytestmark = pytest.mark.django_db

FIGURE_LINK = re.compile(r'<a [^>]*href="([^"]+)" data-figure="([a-z_]+)" data-value="(\d+)"')
TOTAL = re.compile(r'id="case-total">共 (\d+) 件<')


@pytest.fixture
def demo():
    seed_demo(progress=lambda *a: None)


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def figure_links(client: Client, **params) -> list[tuple[str, str, int]]:
    page = client.get(reverse("cases:dashboard"), params)
    assert page.status_code == 200
    found = FIGURE_LINK.findall(page.content.decode())
    return [(url.replace("&amp;", "&"), key, int(value)) for url, key, value in found]


def listed(client: Client, url: str) -> int:
    page = client.get(url)
    assert page.status_code == 200, url
    return int(TOTAL.search(page.content.decode()).group(1))


def test_each_dashboard_figure_equals_the_count_of_the_list_it_links_to(demo):
    """Before: the demo's figures were all 0 (never computed), "在办 4" opened the region's whole list (a
    closed case included), and every figure linked to a list of another size."""
    for username in ["leader_360000", "leader_360300", "auditor_360300", "clerk_360302"]:
        client = client_for(username)
        links = figure_links(client)
        assert {key for _url, key, _n in links} == {"open_now", "supervised_now", "accepted", "closed"}
        for url, key, value in links:
            assert listed(client, url) == value, (username, key, url)

    client = client_for("leader_360300")
    links = figure_links(client)
    totals = {key: value for url, key, value in links if "own=1" not in url}
    assert totals["accepted"] > 0 and totals["open_now"] > 0  # live after the seed
    open_page = client.get(next(url for url, key, _n in links if key == "open_now")).content.decode()
    closed = list(Case.objects.filter(status=Case.Status.CLOSED).values_list("case_no", flat=True))
    assert closed and not [no for no in closed if no in open_page]
    page = client.get(reverse("cases:dashboard")).content.decode()
    # money, deadlines and workers are not counts of cases: no list of another size behind them
    assert 'data-figure="amount_owed"' not in page and 'data-figure="overdue_now"' not in page


def test_the_dashboard_heading_is_its_own_and_its_charts_are_echarts_from_our_static_files(demo):
    """Before: the header said 案件 and the charts were CSS bars of zeros."""
    page = client_for("leader_360300").get(reverse("cases:dashboard")).content.decode()
    title = page.split('<span class="mdc-top-app-bar__title">', 1)[1].split("</span>", 1)[0]
    assert "统计分析" in title and "案件" not in title
    assert "/static/zhiqian/vendor/echarts/echarts.min.js" in page and "//cdn" not in page
    assert 'id="zq-chart-data"' in page and 'id="zq-chart-amounts"' in page
