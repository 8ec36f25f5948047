"""The region dashboard (SPEC §7; issue P6): precomputed day and month figures, live states, scope.

The exact figures are those of 莲花县 (360321), a county of the city 萍乡市 (360300) where the
shared world has no case: everything counted there is made here.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from itertools import count

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cases.dashboard import MEASURES, dashboard_for, stats_refresh
from cases.deadlines import deadline_start
from cases.investigation import case_close
from cases.ledger import ledger_entry_add, payment_record
from cases.models import (
    Case,
    ClosureCode,
    Deadline,
    Referral,
    RegionDayStats,
    RegionMonthStats,
    Satisfaction,
    Supervision,
)
from tests import factories, world
from tests.factories import person_id

pytestmark = pytest.mark.django_db

LIANHUA = "360321"  # 莲花县, under 萍乡市 360300
CITY_COUNTIES = ["360302", "360313", "360321", "360322", "360323"]
TZ = timezone.get_default_timezone()
_serial = count(1)


def today() -> date:
    return timezone.localdate()


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of a day in Beijing time."""
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def complaint(code: str, *, received_at: datetime, amount: str = "10000.00", workers: int = 2):
    """A complaint of its own employer and project (so intake never groups it onto another case)."""
    return factories.complaint_received(
        code, received_at=received_at, employer=f"看板测试单位{next(_serial)}", workers=workers, amount=amount
    )


def case(code: str, *, filed_at: datetime, amount: str = "10000.00", workers: int = 2) -> Case:
    employer = f"看板测试单位{next(_serial)}"
    return factories.case(
        "filed", code, flow=False, filed_at=filed_at, employer=employer, workers=workers, amount=amount
    )


def worker(n: int) -> dict:
    return {"name": f"莲花工人{n}", "id_number": person_id(n, prefix="36032119900101"), "phone": f"139079{n:05d}"}


def row_of(data: dict, code: str) -> dict:
    return next(row for row in data["rows"] if row["code"] == code)


def day_row(day: date) -> dict:
    row = RegionDayStats.objects.filter(region__code=LIANHUA, day=day).values(*MEASURES).first()
    return row or {}


@pytest.fixture
def lianhua():
    """Four cases, two lone complaints, a ledger with payments, a closure, an overdue deadline, a
    supervision and a referral at 莲花县, over the last 60 days."""
    d0, a, b = today() - timedelta(days=59), today() - timedelta(days=40), today() - timedelta(days=10)
    leader = world.user("leader", "360300")
    inspector = world.user("inspector", "360300")
    case0 = case(LIANHUA, filed_at=at(d0), amount="7000.00", workers=1)
    case1 = case(LIANHUA, filed_at=at(a), amount="30000.00", workers=3)
    case2 = case(LIANHUA, filed_at=at(a, 15), amount="12000.50", workers=2)
    case3 = case(LIANHUA, filed_at=at(b), amount="8000.00", workers=1)
    complaint(LIANHUA, received_at=at(b, 23, 30))  # late evening in Beijing: still day b
    complaint(LIANHUA, received_at=at(b + timedelta(days=1), 0, 30))  # just after midnight: the next day

    # The investigation clock of case0 ran out 3 days after filing (as the sweep marks it).
    deadline = deadline_start(kind="investigation.complete", region=world.region(LIANHUA), start_at=at(d0), case=case0)
    Deadline.objects.filter(pk=deadline.pk).update(
        state=Deadline.State.OVERDUE, overdue_at=at(d0 + timedelta(days=3), 9)
    )

    # case2's ledger replaces its amount owed (12000.50 → 10000.00). Worker 1 is paid in full by its
    # second payment; worker 2 has one entry paid and one not paid at all.
    p1, p2 = today() - timedelta(days=300), today() - timedelta(days=250)
    e1 = ledger_entry_add(
        case=case2, worker=worker(1), period_start=p1, period_end=p2, amount_owed="5000.00", actor=inspector
    )
    e2 = ledger_entry_add(
        case=case2, worker=worker(2), period_start=p1, period_end=p2, amount_owed="3000.00", actor=inspector
    )
    e3 = ledger_entry_add(
        case=case2, worker=worker(2), period_start=p2 + timedelta(days=1), period_end=p2 + timedelta(days=30),
        amount_owed="2000.00", actor=inspector,
    )  # fmt: skip
    payment_record(entry=e1, amount="2000.00", paid_on=today(), actor=inspector)
    payment_record(entry=e1, amount="3000.00", paid_on=today(), actor=inspector)
    payment_record(entry=e2, amount="3000.00", paid_on=today(), actor=inspector)

    # (a code that needs no recorded facts: "corrected" needs a verified order to correct, cases.enforcement)
    case_close(case=case1, actor=leader, closure_code=ClosureCode.WITHDRAWN, satisfaction=Satisfaction.SATISFIED)

    # No supervision or referral service is used here: minimal rows as those flows leave them.
    Supervision.objects.create(
        case=case3, supervising_region=world.region("360300"), status=Supervision.Status.ACTIVE,
        started_by=leader, started_at=at(b, 16),
    )  # fmt: skip
    Supervision.objects.create(case=case0, supervising_region=world.region("360300"))  # proposed: not started
    Referral.objects.create(
        case=case0, status=Referral.Status.TRANSFERRED, proposed_by=leader, proposed_at=at(b),
        transferred_at=at(b + timedelta(days=1), 11),
    )  # fmt: skip
    Referral.objects.create(case=case3, proposed_by=leader, proposed_at=at(b))  # in legal review: not transferred
    return {"d0": d0, "a": a, "b": b, "e3": e3, "deadline": deadline, "inspector": inspector}


# --- the figures ---------------------------------------------------------------------------------


def test_the_figures_of_a_small_world_are_exact(lianhua):
    stats_refresh()
    data = dashboard_for(
        user=world.user("leader", "360300"), region_code=None, date_from=today() - timedelta(days=60), date_to=today()
    )
    assert row_of(data, LIANHUA) == {
        "code": LIANHUA,
        "name": "莲花县",
        "level": "county",
        "own": False,
        "drill": True,
        "received": 6,  # 4 cases' complaints + 2 lone complaints
        "accepted": 4,
        "closed": 1,
        "overdue": 1,
        "amount_owed": Decimal("55000.00"),  # 7000 + 30000 + 10000.00 (ledger) + 8000
        "amount_recovered": Decimal("8000.00"),
        "workers_paid": 1,
        "supervised": 1,
        "referred": 1,
        "open_now": 3,  # case0, case2, case3
        "overdue_now": 1,
        "supervised_now": 1,
    }
    for m in ["received", "accepted", "closed", "amount_owed", "open_now"]:
        assert data["totals"][m] == sum(row[m] for row in data["rows"])
    assert data["refreshed_at"] is not None

    # One row per office and local day.
    a, b, d0 = lianhua["a"], lianhua["b"], lianhua["d0"]
    assert {k: day_row(a)[k] for k in ("received", "accepted", "amount_owed", "closed")} == {
        "received": 2,
        "accepted": 2,
        "amount_owed": Decimal("40000.00"),
        "closed": 0,  # case1 was filed that day, and closed today
    }
    assert day_row(b)["received"] == 2 and day_row(b)["accepted"] == 1 and day_row(b)["supervised"] == 1
    assert day_row(b + timedelta(days=1))["received"] == 1 and day_row(b + timedelta(days=1))["referred"] == 1
    assert day_row(d0 + timedelta(days=3))["overdue"] == 1
    assert {k: day_row(today())[k] for k in ("closed", "amount_recovered", "workers_paid")} == {
        "closed": 1,
        "amount_recovered": Decimal("8000.00"),
        "workers_paid": 1,
    }

    # Worker 2's last entry paid today: a second worker paid in full; the recent refresh sees it.
    payment_record(entry=lianhua["e3"], amount="2000.00", paid_on=today(), actor=lianhua["inspector"])
    stats_refresh(since=today() - timedelta(days=1), until=today())
    last_days = dashboard_for(
        user=world.user("leader", "360300"), region_code=LIANHUA, date_from=today() - timedelta(days=5), date_to=today()
    )
    assert {
        k: last_days["totals"][k] for k in ("received", "accepted", "closed", "amount_recovered", "workers_paid")
    } == {
        "received": 0,
        "accepted": 0,
        "closed": 1,
        "amount_recovered": Decimal("10000.00"),
        "workers_paid": 2,
    }


def test_whole_months_and_the_ends_of_a_period_add_up_to_its_days(lianhua):
    """dashboard_for takes whole months from RegionMonthStats and the ends from RegionDayStats."""
    stats_refresh()
    leader = world.user("leader", "360300")
    first_of_month = today().replace(day=1)
    periods = [
        (today() - timedelta(days=60), today()),
        (today() - timedelta(days=59), today() - timedelta(days=10)),
        ((first_of_month - timedelta(days=1)).replace(day=1), first_of_month - timedelta(days=1)),  # last month
        (lianhua["b"], lianhua["b"]),
        (date(today().year - 1, 1, 1), today()),
    ]
    for start, end in periods:
        data = dashboard_for(user=leader, region_code=LIANHUA, date_from=start, date_to=end)
        direct = RegionDayStats.objects.filter(region__code=LIANHUA, day__gte=start, day__lte=end).aggregate(
            **{m: Sum(m) for m in MEASURES}
        )
        assert {m: data["totals"][m] for m in MEASURES} == {m: direct[m] or 0 for m in MEASURES}, (start, end)
        assert sum(month["accepted"] for month in data["trend"]) == data["totals"]["accepted"]
        assert data["trend"][0]["month"] == start.replace(day=1) and data["trend"][-1]["month"] == end.replace(day=1)


def test_the_refresh_is_idempotent_and_forgets_what_is_gone(lianhua):
    assert stats_refresh() > 0
    days = list(RegionDayStats.objects.order_by("region_id", "day").values("region_id", "day", *MEASURES))
    months = list(RegionMonthStats.objects.order_by("region_id", "month").values("region_id", "month", *MEASURES))
    assert stats_refresh() == 0  # nothing new or changed: nothing written
    assert list(RegionDayStats.objects.order_by("region_id", "day").values("region_id", "day", *MEASURES)) == days
    assert list(RegionMonthStats.objects.order_by("region_id", "month").values("region_id", "month", *MEASURES)) == (
        months
    )
    assert stats_refresh(since=today() - timedelta(days=1), until=today()) == 0

    # An extension takes the overdue back: its day is left with nothing to count and disappears.
    overdue_day = lianhua["d0"] + timedelta(days=3)
    Deadline.objects.filter(pk=lianhua["deadline"].pk).update(state=Deadline.State.RUNNING, overdue_at=None)
    stats_refresh(since=overdue_day, until=overdue_day)
    assert not RegionDayStats.objects.filter(region__code=LIANHUA, day=overdue_day).exists()
    month = RegionMonthStats.objects.get(region__code=LIANHUA, month=overdue_day.replace(day=1))
    assert month.overdue == 0


def test_the_number_of_queries_does_not_grow_with_the_number_of_cases(django_assert_max_num_queries):
    def queries() -> int:
        leader = world.user("leader", "360000")  # a fresh object: nothing cached on it
        with django_assert_max_num_queries(10) as captured:
            dashboard_for(user=leader, region_code=None, date_from=today() - timedelta(days=400), date_to=today())
        return len(captured.captured_queries)

    stats_refresh()
    before = queries()
    for i, code in enumerate(["360302", "360313", "360321", "360102", "360000", "360300"] * 3):
        case(code, filed_at=at(today() - timedelta(days=17 * i)))
    stats_refresh()
    assert queries() == before


# --- scope ---------------------------------------------------------------------------------------


def test_a_city_leader_sees_its_counties_and_not_another_city():
    leader = world.user("leader", "360300")
    period = {"date_from": today() - timedelta(days=30), "date_to": today()}
    data = dashboard_for(user=leader, region_code=None, **period)
    assert data["region"]["code"] == "360300"
    assert [row["code"] for row in data["rows"]] == ["360300", *CITY_COUNTIES]
    assert data["rows"][0]["own"] and not data["rows"][0]["drill"]
    assert all(row["drill"] for row in data["rows"][1:])
    assert data["breadcrumbs"] == []  # the province is above its scope

    county = dashboard_for(user=leader, region_code=LIANHUA, **period)
    assert [row["code"] for row in county["rows"]] == [LIANHUA]
    assert county["breadcrumbs"] == [{"code": "360300", "name": "萍乡市"}]
    for outside in ["360102", "360100", "360000", "430102", "999999"]:
        with pytest.raises(Http404):
            dashboard_for(user=leader, region_code=outside, **period)


def test_a_province_leader_sees_the_cities_and_its_own_office():
    data = dashboard_for(
        user=world.user("leader", "360000"), region_code=None, date_from=today() - timedelta(days=1), date_to=today()
    )
    codes = [row["code"] for row in data["rows"]]
    assert codes[0] == "360000" and data["rows"][0]["own"]
    assert {"360100", "360300", "361100"} <= set(codes) and "360302" not in codes
    drill = dashboard_for(user=world.user("leader", "360000"), region_code="360302", date_from=today(), date_to=today())
    assert [b["code"] for b in drill["breadcrumbs"]] == ["360000", "360300"]


def test_a_county_clerk_sees_its_office():
    stats_refresh(since=today(), until=today())
    clerk = world.user("clerk", "360302")
    data = dashboard_for(user=clerk, region_code=None, date_from=today(), date_to=today())
    assert [row["code"] for row in data["rows"]] == ["360302"]
    assert data["rows"][0]["own"] and data["totals"]["accepted"] >= 1  # the world's case there
    assert (
        data["totals"]["open_now"]
        == Case.objects.filter(region__code="360302").exclude(status__in=["closed", "withdrawn"]).count()
    )
    for outside in ["360300", "360313", "360000"]:
        with pytest.raises(Http404):
            dashboard_for(user=clerk, region_code=outside, date_from=today(), date_to=today())


def test_the_administrator_is_refused(client):
    admin = world.user("admin", "360000")
    with pytest.raises(PermissionDenied):
        dashboard_for(user=admin, region_code=None, date_from=today(), date_to=today())
    client.force_login(admin)
    assert client.get(reverse("cases:dashboard")).status_code == 403
    assert client.get(reverse("api-dashboard"), {"region": "360000"}).status_code == 403


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError):
        dashboard_for(
            user=world.user("leader", "360300"),
            region_code=None,
            date_from=today(),
            date_to=today() - timedelta(days=1),
        )


# --- the page and the API --------------------------------------------------------------------------


def test_the_page_links_every_number_to_the_case_list_and_each_county_to_its_own_dashboard(client, lianhua):
    stats_refresh()
    client.force_login(world.user("leader", "360300"))
    response = client.get(reverse("cases:dashboard"), {"year": today().year})
    assert response.status_code == 200
    html = response.content.decode()
    assert "莲花县" in html and "统计期间" in html
    # a figure opens the list of exactly what it counts (issue 14): open now, closed in the period
    assert f'href="{reverse("cases:index")}?region={LIANHUA}&amp;figure=open_now"' in html
    year = today().year
    closed = f"?region={LIANHUA}&amp;figure=closed&amp;date_from={year}-01-01&amp;date_to={year}-12-31"
    assert f'href="{reverse("cases:index")}{closed}"' in html
    assert f'href="?region={LIANHUA}&amp;year={today().year}"' in html  # drill-down keeps the period
    assert 'id="zq-chart-data"' in html and 'id="zq-chart-trend"' in html  # the charts' figures

    county = client.get(reverse("cases:dashboard"), {"region": LIANHUA, "year": today().year})
    assert county.status_code == 200 and "萍乡市" in county.content.decode()  # the way back up
    assert client.get(reverse("cases:dashboard"), {"region": "360102"}).status_code == 404
    bad = client.get(reverse("cases:dashboard"), {"from": "2026-05-02", "to": "2026-05-01"})
    assert bad.status_code == 200 and "截止日期不能早于起始日期" in bad.content.decode()


def test_the_api_answers_with_the_same_figures(client, lianhua):
    stats_refresh()
    client.force_login(world.user("leader", "360300"))
    start = (today() - timedelta(days=60)).isoformat()
    response = client.get(reverse("api-dashboard"), {"region": "360300", "from": start, "to": today().isoformat()})
    assert response.status_code == 200
    body = response.json()
    assert body["region"] == {"code": "360300", "name": "萍乡市", "level": "city"}
    assert body["period"] == {"from": start, "to": today().isoformat()}
    row = next(row for row in body["rows"] if row["code"] == LIANHUA)
    assert row["accepted"] == 4 and row["amount_owed"] == "55000.00" and row["amount_recovered"] == "8000.00"
    assert isinstance(body["totals"]["amount_owed"], str)

    outside = client.get(reverse("api-dashboard"), {"region": "360102"})
    assert outside.status_code == 404 and "errors" in outside.json()
    bad = client.get(reverse("api-dashboard"), {"from": "2026-05-02", "to": "2026-05-01"})
    assert bad.status_code == 400 and "to" in bad.json()["errors"]
    assert client.get(reverse("api-dashboard"), {"from": "yesterday"}).status_code == 400


# --- the refresh jobs --------------------------------------------------------------------------------


def test_the_celery_task_refreshes_yesterday_and_today():
    from cases.tasks import dashboard_refresh

    old = case(LIANHUA, filed_at=at(today() - timedelta(days=3)))
    dashboard_refresh.delay()
    assert RegionDayStats.objects.filter(region__code="360302", day=today(), accepted__gte=1).exists()  # the world's
    assert not RegionDayStats.objects.filter(region=old.region, day=today() - timedelta(days=3)).exists()
    dashboard_refresh.delay(days=None)
    assert RegionDayStats.objects.get(region=old.region, day=today() - timedelta(days=3)).accepted == 1


def test_the_command_rebuilds_everything_year_by_year():
    case(LIANHUA, filed_at=at(date(today().year - 2, 3, 1)))
    out = StringIO()
    call_command("refresh_dashboard", stdout=out)
    text = out.getvalue()
    assert "[1/3]" in text and "[3/3]" in text and "OK:" in text
    assert RegionMonthStats.objects.get(region__code=LIANHUA, month=date(today().year - 2, 3, 1)).accepted == 1
    out = StringIO()
    call_command("refresh_dashboard", "--since", today().isoformat(), stdout=out)
    assert "[1/1]" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("refresh_dashboard", "--since", "yesterday")
