"""Issue 13 item 9: service has a clock. A decision is served within 7 working days of its issue (domain-rules
§2 row 10; APL arts 61, 85): the clock starts at issue, its first service closes it (met or late), unserved it goes
overdue like any other clock, and it is on the case page with its legal basis. The listing defence window runs from
the service of the listing notice, not its issue."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability import listing as lst
from cases.deadlines import deadlines_sweep
from cases.documents import document_issue, document_serve
from cases.models import Deadline, Document, ProvinceConfig
from cases.workdays import add_working_days
from tests import world
from tests.factories import person_id

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
K = Document.Kind


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _issue(case, kind=K.HANDLING_DECISION, at=None):
    data = {"due_date": timezone.localdate() + timedelta(days=20)}
    if kind == K.PENALTY_DECISION:
        data["penalty_amount"] = "20000"
    return document_issue(case=case, kind=kind, actor=world.user("leader", "360302"), role="leader", data=data, at=at)


def _clock(case, kind=K.HANDLING_DECISION) -> Deadline:
    return Deadline.objects.get(case=case, kind=f"service.{kind}")


def test_a_decision_is_to_be_served_within_7_working_days_of_its_issue_across_the_national_day():
    case = world.make_case("360302")
    issued = datetime(2026, 9, 30, 10, 0, tzinfo=SH)  # the eve of the 2026 National Day holidays
    _issue(case, at=issued)
    clock = _clock(case)
    assert (clock.length, clock.unit, clock.state) == (7, "working_days", Deadline.State.RUNNING)
    assert "第六十一条" in clock.legal_basis and "第八十五条" in clock.legal_basis
    assert clock.due_at.astimezone(SH).date() == add_working_days(issued.date(), 7)
    assert clock.due_at.astimezone(SH).date() > issued.date() + timedelta(days=7)  # holidays are not counted


@pytest.mark.parametrize("kind", [K.HANDLING_DECISION, K.PENALTY_DECISION, K.ORDER_TO_CORRECT, K.DEMAND_NOTICE])
def test_every_decision_to_be_served_has_its_service_clock(kind):
    case = world.make_case("360302")
    _issue(case, kind)
    assert _clock(case, kind).length == 7


def test_service_on_time_meets_the_clock_and_late_service_closes_it_late():
    case = world.make_case("360302")
    inspector = world.user("inspector", "360302")
    on_time = _issue(case, at=timezone.now() - timedelta(days=1))
    document_serve(document=on_time, method="direct", served_at=timezone.now(), recipient="王某", actor=inspector,
                   role="inspector")  # fmt: skip
    assert _clock(case).state == Deadline.State.MET
    other = world.make_case("360302")
    late = _issue(other, at=timezone.now() - timedelta(days=30))
    document_serve(document=late, method="direct", served_at=timezone.now(), recipient="王某", actor=inspector,
                   role="inspector")  # fmt: skip
    assert _clock(other).state == Deadline.State.CLOSED_LATE


def test_an_unserved_decision_goes_overdue_and_is_on_the_case_page_with_its_basis(client):
    case = world.make_case("360302")
    _issue(case, at=timezone.now() - timedelta(days=30))
    deadlines_sweep(now=timezone.now())
    assert _clock(case).state == Deadline.State.OVERDUE
    client.force_login(world.user("inspector", "360302"))
    page = client.get(reverse("cases:detail", args=[case.case_no])).content.decode()
    assert "行政处理决定书送达期限" in page and "第六十一条" in page


def test_the_listing_defence_window_runs_from_the_notices_service_not_its_issue():
    ProvinceConfig.objects.create(province=world.region("360000"), listing_defence_wd=5)
    from tests.test_listing import _case, _ledger

    case = _case()
    _ledger(case, ["6000.00"] * 10)
    inspector = world.user("inspector", "360302")
    issued = timezone.now() - timedelta(days=10)
    listing = lst.listing_propose(case=case, actor=inspector, legal_representative_id=person_id(1),
                                  legal_representative="王某", at=issued)  # fmt: skip
    lst.listing_notice(listing=listing, actor=inspector, at=issued)
    assert lst.defence_deadline(listing) is None  # no window before service
    assert _clock(case, K.LISTING_NOTICE).state == Deadline.State.RUNNING  # the notice's own service clock
    served = issued + timedelta(days=3)
    lst.listing_notice_serve(listing=listing, actor=inspector, method="direct", served_at=served, recipient="王某")
    window = lst.defence_deadline(listing)
    assert window.start_at == served
    assert window.due_at.astimezone(SH).date() == add_working_days(served.astimezone(SH).date(), 5)
    assert _clock(case, K.LISTING_NOTICE).state == Deadline.State.MET
    assert listing.notice.services.count() == 1


def test_the_listing_notice_is_served_once():
    from django.core.exceptions import ValidationError

    from tests.test_listing import _case, _ledger

    case = _case()
    _ledger(case, ["6000.00"] * 10)
    inspector = world.user("inspector", "360302")
    listing = lst.listing_propose(case=case, actor=inspector, legal_representative_id=person_id(1),
                                  legal_representative="王某")  # fmt: skip
    lst.listing_notice(listing=listing, actor=inspector)
    now = timezone.now()
    lst.listing_notice_serve(listing=listing, actor=inspector, method="direct", served_at=now, recipient="王某")
    with pytest.raises(ValidationError):
        lst.listing_notice_serve(listing=listing, actor=inspector, method="direct", served_at=now, recipient="王某")
    assert listing.notice.services.count() == 1


def test_the_listing_notice_service_step_through_the_api_and_its_permissions():
    from tests.flowkit import api
    from tests.test_listing import complete, propose, queue, unpaid_case_via_api

    case = unpaid_case_via_api(name="萍乡市某送达测试建筑工程有限公司")
    started = propose(case)
    assert started.status_code == 201, started.json()
    task = queue("inspector_360302", case.case_no, "serve_notice")
    assert api("clerk_360302").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 403  # wrong role
    assert api("inspector_360313").post(f"/api/v1/tasks/{task['id']}/assign/").status_code == 404  # out of scope
    listing = case.listings.get()
    assert lst.defence_deadline(listing) is None
    served = timezone.now()
    complete("inspector_360302", case.case_no, "serve_notice", method="direct", served_at=served.isoformat(),
             recipient="法定代表人王某某")  # fmt: skip
    window = lst.defence_deadline(listing)
    assert window is not None and window.start_at == served
    assert case.events.filter(kind="listing.notice_served").count() == 1


def test_served_in_the_minute_of_issue_is_served_at_the_issue_and_a_minute_before_is_refused():
    from django.core.exceptions import ValidationError

    from cases.models import ServiceRecord

    case = world.make_case("360302")
    inspector = world.user("inspector", "360302")
    issued = timezone.now().replace(second=40, microsecond=0) - timedelta(minutes=5)
    document = _issue(case, at=issued)
    with pytest.raises(ValidationError) as refused:  # the minute before the issue's minute
        document_serve(document=document, method="direct", served_at=issued.replace(second=0) - timedelta(seconds=1),
                       recipient="王某", actor=inspector, role="inspector")  # fmt: skip
    assert "served_at" in refused.value.message_dict
    assert not ServiceRecord.objects.filter(document=document).exists()
    # the form's picker gives minutes: 10:05 for a document issued at 10:05:40 is served at the issue
    document_serve(document=document, method="direct", served_at=issued.replace(second=0), recipient="王某",
                   actor=inspector, role="inspector")  # fmt: skip
    assert ServiceRecord.objects.get(document=document).served_at == issued
