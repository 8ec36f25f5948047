"""The crawl (issue 14): for every demo role, every link of its menu answers 200, and no page it reaches
from there shows a raw event key (`complaint.received`), a Python dict dump (`{'`) or an untranslated
English status ("Assigned", "New", "Done") on a Chinese page. Its menu is exactly what its role may open:
the links of the others answer it 403."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cases.models import TimelineEvent
from workflows.demo import seed_demo

pytestmark = pytest.mark.django_db

USERS = [
    "clerk_360302", "inspector_360302", "legal_360302", "leader_360302", "leader_360300", "auditor_360300",
    "admin_360302", "admin_360000", "police_360302", "finance_360302",
]  # fmt: skip
MENU_LINK = re.compile(r'href="([^"]+)" data-menu="([a-z-]+)"')
HREF = re.compile(r'href="(/[^"#]*)"')
ENGLISH_STATUS = re.compile(r"\b(Assigned|New|Done|ASSIGNED|NEW|DONE|Canceled|Started)\b")
# not crawled: other sites and files (the admin's own pages, the API, downloads), and links that change state
SKIP = ("/admin/", "/api/", "/static/", "/media/", "/i18n/", "/accounts/logout", "/public/")
SKIP_END = (".xlsx", "/pdf/", "/download/", "?template=1")
PER_USER = 40
PERSONAL_LISTS = {"inbox", "queue", "my-cases"}


def visible_text(page: str) -> str:
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def problems(url: str, page: str, kinds: set[str]) -> list[str]:
    text = visible_text(page)
    found = [f"{url}: raw event key {k!r}" for k in kinds if re.search(rf"(?<![\w.]){re.escape(k)}(?![\w.])", text)]
    if "{'" in text:
        found.append(f"{url}: a dict dump: …{text[text.index(chr(123) + chr(39)) - 40:][:120]!r}")
    english = ENGLISH_STATUS.search(text)
    if english:
        found.append(f"{url}: English status {english.group(0)!r}: …{text[english.start() - 40:][:100]!r}")
    return found


def crawl(client: Client, start: list[str], kinds: set[str]) -> tuple[list[str], int]:
    seen, todo, found = set(), list(start), []
    while todo and len(seen) < PER_USER:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            continue
        assert response.status_code == 200, f"{url}: {response.status_code}"
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        found += problems(url, page, kinds)
        for href in HREF.findall(page):
            href = html.unescape(href)
            path = urlsplit(href).path
            if href not in seen and not path.startswith(SKIP) and not href.endswith(SKIP_END):
                todo.append(href)
    return found, len(seen)


@pytest.fixture
def demo():
    seed_demo(progress=lambda *a: None)


def login(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_every_menu_link_of_every_demo_role_answers_200_and_no_page_shows_raw_codes(demo):
    kinds = set(TimelineEvent.objects.values_list("kind", flat=True).distinct())
    assert "complaint.received" in kinds
    found, menus = [], {}
    for username in USERS:
        client = login(username)
        landing = client.get("/")
        assert landing.status_code == 302, username
        page = client.get(landing["Location"])
        assert page.status_code == 200, (username, landing["Location"])
        links = MENU_LINK.findall(page.content.decode())
        menus[username] = dict((key, url) for url, key in links)
        assert links, username
        for url, key in links:
            assert client.get(url).status_code == 200, (username, key, url)
        more, crawled = crawl(client, [url for url, _key in links if not url.startswith("/admin/")], kinds)
        assert crawled > len([u for u, _k in links if not u.startswith("/admin/")]) or username.startswith("admin")
        found += [f"{username} {problem}" for problem in more]
    assert not found, "\n".join(found)

    # a role sees exactly what it may open: a link in another role's menu and not in its own answers 403
    # (but the inbox, the queue and my cases: personal lists any staff member may open, empty for one who acts on no
    # step — the auditor, the administrator — whose menu leaves them out)
    every = {key: url for menu in menus.values() for key, url in menu.items()}
    for username, menu in menus.items():
        client = login(username)
        for key, url in every.items():
            if key not in menu and key not in PERSONAL_LISTS and not url.startswith("/admin/"):
                assert client.get(url).status_code == 403, (username, key, url)
