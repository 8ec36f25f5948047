"""The timeline's number column runs through the complaint's and the case's events without restarting, and
the top bar names the section of the page shown (issue 14 item 4 / the defects of issue 14)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cases.models import Role, TimelineEvent
from cases.timeline import for_case
from cases.timeline.numbering import case_order
from tests import world

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr data-kind="([a-z_.]+)">\s*<td[^>]*>(\d+)</td>')


def _numbers(html: str) -> list[tuple[str, int]]:
    return [(kind, int(n)) for kind, n in ROW.findall(html)]


def test_the_chains_restart_but_the_page_numbers_do_not(client):
    case = world.make_case("360302")
    events = list(for_case(case))
    seqs = [e.seq for e in events]
    assert any(e.complaint_id for e in events) and any(e.case_id for e in events)
    assert len(set(seqs)) < len(seqs)  # why the column used to restart: one chain per subject, each from 1
    assert list(case_order(case).values()) == list(range(1, len(events) + 1))

    client.force_login(world.user(Role.AUDITOR, "360302"))
    for url in (reverse("cases:timeline", args=[case.case_no]), reverse("cases:detail", args=[case.case_no])):
        rows = _numbers(client.get(url).content.decode())
        assert [n for _kind, n in rows] == list(range(1, len(events) + 1)), url


def test_a_filtered_timeline_keeps_each_events_place(client):
    case = world.make_case("360302")
    events = list(for_case(case))
    last = events[-1]
    client.force_login(world.user(Role.AUDITOR, "360302"))
    html = client.get(reverse("cases:timeline", args=[case.case_no]), {"kind": last.kind}).content.decode()
    rows = _numbers(html)
    places = {e.pk: n for n, e in enumerate(events, start=1)}
    expected = [places[e.pk] for e in events if e.kind == last.kind]
    assert [n for _kind, n in rows] == expected
    assert TimelineEvent.objects.filter(pk=last.pk, seq=last.seq).exists()  # nothing renumbered in the store


TOP_BAR = re.compile(r'<span class="mdc-top-app-bar__title">\s*(.*?)\s*</span>', re.S)


@pytest.mark.parametrize(
    ("role", "url_name", "title"),
    [
        (Role.AUDITOR, "cases:audit", "审计查询"),
        (Role.LEADER, "cases:dashboard", "统计分析"),
        (Role.LEADER, "cases:index", "案件查询"),
    ],
)
def test_the_top_bar_names_the_section(client, role, url_name, title):
    client.force_login(world.user(role, "360302"))
    html = client.get(reverse(url_name)).content.decode()
    assert TOP_BAR.search(html).group(1) == title


def test_the_case_page_top_bar_is_not_the_application_name(client):
    case = world.make_case("360302")
    client.force_login(world.user(Role.LEADER, "360302"))
    html = client.get(reverse("cases:detail", args=[case.case_no])).content.decode()
    assert TOP_BAR.search(html).group(1) == "案件查询"
    client.force_login(world.user(Role.AUDITOR, "360302"))
    html = client.get(reverse("cases:timeline", args=[case.case_no])).content.decode()
    assert TOP_BAR.search(html).group(1) == "时间线"  # the page names itself
