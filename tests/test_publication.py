"""Publication of major violations (SPEC §4.5c, PUB2016): the quarterly compilation holds exactly the office's
cases decided in the quarter in a prescribed category; it is idempotent; the office's leader approves it;
the public page and API carry the prescribed fields only, no personal data; the archive by period."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client

from accountability import publication as pub
from accountability.models import Publication, PublicationEntry
from cases.documents import document_issue
from cases.ledger import ledger_entry_add
from cases.models import Case, Decision, Document, Referral
from tests import world
from tests.flowkit import api

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
C = PublicationEntry.Category
FULL_ID = re.compile(r"\d{17}[\dXx]")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
WORKER_ID = "360302199001010019"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def at(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


_names = iter(range(1, 1000))


def decided(code: str, when: datetime, *, unpaid=False, group=False, media=False, owed: str = "", kind=None) -> Case:
    """A case of `code` whose decision document was issued at `when`."""
    case = world.make_case(code, employer=f"某公布测试建筑公司{next(_names)}")
    if owed:
        ledger_entry_add(
            case=case, worker={"name": "工人甲", "id_number": WORKER_ID, "phone": "13807990009"},
            period_start="2026-04-01", period_end="2026-06-30", amount_owed=owed, actor=world.user("inspector", code),
        )  # fmt: skip
    Case.objects.filter(pk=case.pk).update(
        unpaid_after_order=unpaid, group_incident=group, media_reported=media, decision=Decision.ORDER_TO_PAY
    )
    case.employer.uscc, case.employer.address, case.employer.legal_representative = "", "萍乡市某路1号", "王某"
    case.employer.save()
    document_issue(
        case=case, kind=kind or Document.Kind.HANDLING_DECISION, actor=world.user("leader", code), role="leader",
        data={"facts": "拖欠工资。"}, at=when,
    )  # fmt: skip
    case.refresh_from_db()
    return case


def names(publication: Publication) -> set[str]:
    return set(publication.entries.values_list("employer_name", flat=True))


def test_a_quarterly_compilation_holds_exactly_the_right_cases():
    large = decided("360302", at(2026, 8, 10), unpaid=True, owed="10000.00")  # ≥ the single-worker threshold
    small = decided("360302", at(2026, 8, 11), unpaid=True, owed="9999.99")  # just under: not published
    group = decided("360302", at(2026, 7, 1, 0, 5), group=True)  # first minutes of the quarter
    media = decided("360302", at(2026, 9, 30, 23, 50), media=True)  # last minutes of the quarter
    referred = decided("360302", at(2026, 9, 1))
    Referral.objects.create(case=referred, proposed_by=world.user("inspector", "360302"), proposed_at=at(2026, 9, 2),
                            status=Referral.Status.TRANSFERRED, transferred_at=at(2026, 9, 3))  # fmt: skip
    ordinary = decided("360302", at(2026, 8, 12))  # decided in the quarter, no category
    q2 = decided("360302", at(2026, 6, 30, 23, 50), group=True)  # the quarter before
    q4 = decided("360302", at(2026, 10, 1, 0, 10), group=True)  # the quarter after
    earlier = decided("360302", at(2026, 6, 15), group=True)  # first decided in Q2, penalised in Q3
    document_issue(case=earlier, kind=Document.Kind.ORDER_TO_CORRECT, actor=world.user("leader", "360302"),
                   role="leader", data={"due_date": "2026-10-01"}, at=at(2026, 8, 20))  # fmt: skip
    sibling = decided("360313", at(2026, 8, 10), group=True)  # another county: its own list
    city = decided("360300", at(2026, 8, 10), media=True)  # the city office's own case
    province = decided("360000", at(2026, 8, 10), group=True)  # half-yearly, not quarterly

    out = io.StringIO()
    call_command("compile_publications", "--at", "2026-10-01", "--cadence", "quarterly", stdout=out)
    county = Publication.objects.get(region__code="360302", period="2026Q3")
    assert (county.status, county.period_start, county.period_end) == ("draft", date(2026, 7, 1), date(2026, 9, 30))
    assert names(county) == {c.employer.name for c in (large, group, media, referred)}
    for excluded in (small, ordinary, q2, q4, earlier, sibling, city, province):
        assert excluded.employer.name not in names(county)
    categories = dict(county.entries.values_list("employer_name", "category"))
    assert categories[large.employer.name] == categories[referred.employer.name] == C.WAGE_ARREARS
    assert categories[group.employer.name] == categories[media.employer.name] == C.SOCIAL_IMPACT
    assert names(Publication.objects.get(region__code="360313", period="2026Q3")) == {sibling.employer.name}
    assert names(Publication.objects.get(region__code="360300", period="2026Q3")) == {city.employer.name}
    assert not Publication.objects.filter(region__code="360000").exists()
    # idempotent: the same drafts, the same entries
    ids = sorted(Publication.objects.values_list("pk", flat=True))
    entries = sorted(PublicationEntry.objects.values_list("publication_id", "case_id"))
    call_command("compile_publications", "--at", "2026-10-15", "--cadence", "quarterly", stdout=io.StringIO())
    assert sorted(Publication.objects.values_list("pk", flat=True)) == ids
    assert sorted(PublicationEntry.objects.values_list("publication_id", "case_id")) == entries
    # the province's half-year (H2: July–December) takes its own case
    call_command("compile_publications", "--at", "2027-01-01", "--cadence", "half_yearly", stdout=io.StringIO())
    assert names(Publication.objects.get(region__code="360000", period="2026H2")) == {province.employer.name}
    # the prescribed fields, no personal data
    entry = county.entries.get(case=large)
    assert (entry.address, entry.legal_representative) == ("萍乡市某路1号", "王某")
    assert "工人甲" not in entry.facts + entry.handling and "责令限期支付" in entry.handling
    assert "移送公安机关" in county.entries.get(case=referred).handling


def test_approval_publication_and_the_public_output():
    group = decided("360302", at(2026, 8, 10), group=True, owed="500.00")
    Case.objects.filter(pk=group.pk).update(penalty_amount="20000.00")
    other = decided("360313", at(2026, 8, 10), media=True)
    pub.publications_compile_due(cadence=pub.QUARTERLY, at=at(2026, 10, 1))
    county = Publication.objects.get(region__code="360302", period="2026Q3")
    assert api().get("/api/v1/public/violations/", {"period": "2026Q3"}).json()["results"] == []  # drafts: not public

    # a leader approves its own office's draft; the city's leader cannot approve the county's
    city = Client()
    city.force_login(world.user("leader", "360300"))
    assert (
        city.post("/accountability/publications/approve/", {"office": "360302", "period": "2026Q3"}).status_code == 403
    )
    auditor = Client()
    auditor.force_login(world.user("auditor", "360302"))
    assert auditor.post("/accountability/publications/approve/", {"period": "2026Q3"}).status_code == 403
    staff_list = city.get("/accountability/publications/")
    assert staff_list.status_code == 200 and group.employer.name in staff_list.content.decode()
    leader = Client()
    leader.force_login(world.user("leader", "360302"))
    response = leader.post("/accountability/publications/approve/", {"period": "2026Q3"})
    assert response.status_code == 302
    county.refresh_from_db()
    assert county.status == "published" and county.approved_by.username == "leader_360302"
    assert group.events.filter(kind="publication.published").count() == 1
    # recompiling never touches a published list
    pub.publications_compile_due(cadence=pub.QUARTERLY, at=at(2026, 11, 1))
    assert Publication.objects.get(pk=county.pk).status == "published" and names(county) == {group.employer.name}

    # the public API: the prescribed fields only, the period and region filters
    data = api().get("/api/v1/public/violations/", {"period": "2026Q3"}).json()["results"]
    assert [p["region_code"] for p in data] == ["360302"]
    assert set(data[0]["entries"][0]) == {"employer_name", "uscc", "address", "legal_representative", "facts",
                                          "handling"}  # fmt: skip
    assert (
        data[0]["entries"][0]["employer_name"] == group.employer.name
        and "罚款20,000.00元" in data[0]["entries"][0]["handling"]
    )
    assert api().get("/api/v1/public/violations/", {"period": "2026Q3", "region": "360300"}).json()["results"]
    assert api().get("/api/v1/public/violations/", {"period": "2026Q3", "region": "360313"}).json()["results"] == []
    assert api().get("/api/v1/public/violations/", {"period": "2026Q9"}).status_code == 400
    # the pages: the period's list and the archive; no ID number, no phone, no case number, no complainant
    anonymous = Client()
    bodies = [
        anonymous.get("/public/violations/").content.decode(),
        anonymous.get("/public/violations/", {"period": "2026Q3"}).content.decode(),
        anonymous.get(f"/public/violations/{county.pk}/").content.decode(),
        api().get("/api/v1/public/violations/").content.decode(),
    ]
    for body in bodies:
        assert group.employer.name in body and other.employer.name not in body
        assert not FULL_ID.search(body) and not MOBILE.search(body)
        assert group.case_no not in body and "投诉人360302" not in body and "工人甲" not in body
    assert 'href="?period=2026Q3"' in bodies[0]
    assert anonymous.get(f"/public/violations/{Publication.objects.get(region__code='360313').pk}/").status_code == 404


def test_periods():
    assert pub.period_previous(date(2026, 10, 1), pub.QUARTERLY) == pub.Period("2026Q3", date(2026, 7, 1),
                                                                                date(2026, 9, 30))  # fmt: skip
    assert pub.period_previous(date(2026, 1, 5), pub.QUARTERLY).key == "2025Q4"
    assert pub.period_previous(date(2026, 7, 1), pub.HALF_YEARLY) == pub.Period("2026H1", date(2026, 1, 1),
                                                                                 date(2026, 6, 30))  # fmt: skip
    assert pub.period_previous(date(2027, 1, 1), pub.HALF_YEARLY).key == "2026H2"
    assert pub.period_parse("2026q2") == pub.Period("2026Q2", date(2026, 4, 1), date(2026, 6, 30))
    assert pub.period_parse("2026Q5") is None and pub.period_parse("abc") is None


def test_the_beat_task_compiles_the_last_quarter():
    from django.utils import timezone

    from accountability import tasks

    last = pub.period_previous(timezone.localdate(), pub.QUARTERLY)
    case = decided("360302", last.start_at.replace(hour=12), group=True)
    assert tasks.publications_compile.apply(kwargs={"cadence": "quarterly"}).get()
    assert names(Publication.objects.get(region__code="360302", period=last.key)) == {case.employer.name}
    assert tasks.accountability_checks.apply().get() == {"case_overdue": 0, "group_incident": 1}
