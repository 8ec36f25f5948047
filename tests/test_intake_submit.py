"""cases.intake.complaint_route and complaint_submit: routing to the county where the labour is used
(else the intake pools), receipt numbers, find-or-create of employer / project / complainant, the
30-day duplicate flag, grouping onto an open case, idempotency, one timeline event, few statements."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from cases import intake
from cases.intake import complaint_route, complaint_submit, complaint_validate
from cases.models import Case, CaseParty, Complaint, Employer, Notification, Party, Project, Region, TimelineEvent
from cases.personal_data import blind_index
from cases.services import case_file, complaint_receive
from tests import factories, world
from tests.factories import complaint_body

pytestmark = pytest.mark.django_db


def body(**over) -> dict:
    """李四's complaint against a road builder, with no region code (routing reads the addresses)."""
    return complaint_body(
        **{
            "complainant": {"name": "李四", "id_number": "370101190102039973", "phone": "13907990002"},
            "employer": {"name": "萍乡某路桥工程有限公司", "uscc": "91512081MA62K0260E", "address": ""},
            "project": {"name": "某道路改造工程", "address": ""},
            "region_code": "",
            "workers_count": 6,
            "amount_owed": "45300.50",
            "period_start": "2026-03-01",
            "period_end": "2026-09-30",
            "description": "完工后拖欠工资。",
            **over,
        }
    )


def clean(**over):
    return complaint_validate(body(**over), staff=True)


def submit(actor=None, received_at=None, **over) -> Complaint:
    data = clean(**over)
    complaint, created = complaint_submit(actor=actor, clean=data, channel=data.channel, received_at=received_at)
    assert created
    return complaint


def route(**over) -> tuple[str, str]:
    region, basis = complaint_route(clean(**over))
    return region.code, basis


def counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (Complaint, Party, Employer, Project, CaseParty, TimelineEvent, Notification)
    )


# --- routing --------------------------------------------------------------------------------------


def test_a_county_region_code_routes_there():
    assert route(region_code="360302", project__address="南昌市东湖区某地") == ("360302", "region_code")


def test_the_project_address_routes_to_its_county():
    assert route(project__address="萍乡市安源区八一街某安置房地块") == ("360302", "project_address")
    assert route(project__address="江西省萍乡市湘东区某工地", employer__address="南昌市东湖区") == (
        "360313",
        "project_address",
    )


def test_the_employer_address_is_the_fallback():
    assert route(project=None, employer__address="江西省南昌市东湖区某路1号") == ("360102", "employer_address")
    assert route(project__address="某工地", employer__address="萍乡市湘东区某路") == ("360313", "employer_address")


def test_a_city_without_a_county_goes_to_the_city_pool():
    assert route(project__address="萍乡市某地") == ("360300", "city_pool")
    # The employer's county is used only if it lies inside the project's city.
    assert route(project__address="萍乡市某地", employer__address="萍乡市安源区某路") == ("360302", "employer_address")
    assert route(project__address="萍乡市某地", employer__address="南昌市东湖区某路") == ("360300", "city_pool")


def test_a_province_without_a_city_goes_to_the_province_pool():
    assert route(project__address="江西省某县某乡") == ("360000", "province_pool")
    assert route(project__address="湖南省某地") == ("430000", "province_pool")


def test_nothing_found_goes_to_the_default_pool():
    assert route(project=None) == ("360000", "province_pool")
    assert route(project__address="某地某工地", employer__address="不详") == ("360000", "province_pool")
    with override_settings(ZHIQIAN_DEFAULT_INTAKE_REGION="430000"):
        assert route(project=None) == ("430000", "province_pool")


def test_a_city_or_province_region_code_looks_for_a_county_inside_it():
    assert route(region_code="360300", project__address="安源区某地块") == ("360302", "project_address")
    assert route(region_code="360300") == ("360300", "city_pool")
    assert route(region_code="360300", project__address="南昌市东湖区某地块") == ("360300", "city_pool")
    assert route(region_code="360000", project__address="萍乡市某地") == ("360300", "city_pool")
    assert route(region_code="360000") == ("360000", "province_pool")


def test_duplicate_county_names_are_told_apart_by_province_and_city():
    # 城关区 exists in Lhasa (540102) and Lanzhou (620102), among others.
    assert route(project__address="甘肃省兰州市城关区某工地") == ("620102", "project_address")
    assert route(project__address="西藏自治区拉萨市城关区某工地") == ("540102", "project_address")
    assert route(project__address="兰州城关区某工地") == ("620102", "project_address")
    # Without context the name is ambiguous: no county is guessed.
    assert route(project__address="城关区某工地") == ("360000", "province_pool")
    # 朝阳区: Beijing's (110105) and Changchun's.
    assert route(project__address="北京市朝阳区某工地") == ("110105", "project_address")


def test_short_county_names_count_only_when_unambiguous():
    assert route(project__address="萍乡安源某工地") == ("360302", "project_address")
    assert route(project__address="湘东某工地") == ("360313", "project_address")
    assert route(project__address="上海浦东某工地") == ("310115", "project_address")
    # A street named like a county elsewhere (东风区, Jiamusi) is a street, not a county.
    assert route(project__address="萍乡市东风路8号") == ("360300", "city_pool")
    # A short form that contradicts the city named in the text is ignored (新建区 is in Nanchang).
    assert route(project__address="萍乡市新建某工地") == ("360300", "city_pool")
    # Full names win over short forms.
    assert route(project__address="新建某工地安源区") == ("360302", "project_address")


def test_routing_runs_no_query_once_the_index_is_loaded(django_assert_num_queries):
    data = clean(project__address="萍乡市安源区某地")
    complaint_route(data)
    with django_assert_num_queries(0):
        assert complaint_route(data)[0].code == "360302"
        assert complaint_route(clean(region_code="360313"))[0].code == "360313"


def test_the_index_reloads_when_a_region_changes():
    complaint_route(clean(project__address="萍乡市安源区"))
    try:
        city = Region.objects.get(code="360300")
        Region.objects.create(code="369901", name="测试新区", level="county", parent=city, path="36/3603/369901/")
        assert route(project__address="萍乡市测试新区某地") == ("369901", "project_address")
        assert route(region_code="369901") == ("369901", "region_code")
    finally:
        intake.region_index_clear()  # the test's rollback removes the region again


# --- submission -----------------------------------------------------------------------------------


def test_a_public_submission_records_the_complaint_its_event_and_its_notice():
    received = timezone.now()
    complaint = submit(project__address="萍乡市安源区某地块", received_at=received)
    local = timezone.localtime(received)
    assert complaint.receipt_no.startswith(f"T360302{local:%y}") and len(complaint.receipt_no) == 19
    assert complaint.status == Complaint.Status.RECEIVED
    assert (complaint.region.code, complaint.route_basis) == ("360302", "project_address")
    assert complaint.complainant_key == blind_index("id", "370101190102039973")  # encrypted at rest
    assert complaint.entered_by is None and complaint.case is None and complaint.possible_duplicate_of is None
    assert complaint.amount_owed == Decimal("45300.50")
    stored = Complaint.objects.get(pk=complaint.pk)
    assert stored.project.region.code == "360302" and stored.project.address == "萍乡市安源区某地块"
    (event,) = TimelineEvent.objects.filter(complaint=complaint)
    assert event.kind == "complaint.received" and event.actor_name == "system"
    assert event.data == {
        "receipt_no": complaint.receipt_no,
        "channel": "web",
        "region": "360302",
        "route_basis": "project_address",
        "duplicate": False,
        "duplicate_of": None,
        "stale": False,
        "grouped": False,
        "case_no": None,
    }
    (notice,) = Notification.objects.filter(complaint=complaint)
    assert notice.event == "received" and notice.to == "13907990002"


def test_receipt_numbers_follow_per_office_and_year():
    first = submit(region_code="360313")
    second = submit(region_code="360313", complainant__id_number="34052419800101001X")
    assert int(second.receipt_no[-6:]) == int(first.receipt_no[-6:]) + 1
    assert second.receipt_no[:9] == first.receipt_no[:9]


def test_a_clerk_entry_records_who_entered_it():
    clerk = world.user("clerk", "360302")
    complaint = submit(actor=clerk, channel="walk_in", region_code="360302")
    assert complaint.entered_by == clerk and complaint.channel == "walk_in"
    event = complaint.events.get()
    assert (event.actor, event.actor_role, event.actor_region) == (clerk, "clerk", "360302")


def test_employer_project_and_complainant_are_found_again():
    first = submit(region_code="360302")
    second = submit(
        region_code="360302",
        employer__name="萍乡 某路桥工程（有限）公司",  # same USCC: the same employer whatever the spelling
        project__name=" 某道路改造工程 ",
    )
    assert second.employer_id == first.employer_id
    assert second.project_id == first.project_id
    assert second.complainant_id == first.complainant_id
    # The same project name in another county is another project.
    third = submit(region_code="360313")
    assert third.project_id != first.project_id and third.employer_id == first.employer_id


def test_without_a_uscc_the_employer_is_found_by_its_normalised_name():
    first = submit(region_code="360302", employer__uscc="", employer__name="安源区某劳务（分包）有限公司")
    second = submit(region_code="360302", employer__uscc="", employer__name="安源区 某劳务(分包)有限公司")
    assert first.employer_id == second.employer_id
    # Later given with its code, the same employer gets the code filled in.
    third = submit(region_code="360302", employer__name="安源区某劳务（分包）有限公司")
    assert third.employer_id == first.employer_id
    assert Employer.objects.get(pk=first.employer_id).uscc == "91512081MA62K0260E"


def test_a_changed_phone_keeps_one_party_with_the_newer_phone():
    # issue 13 item 12: the same resident ID number is one person record (tests/test_person_records.py)
    first = submit(region_code="360302")
    second = submit(region_code="360302", complainant__phone="13907990009")
    assert second.complainant_id == first.complainant_id
    assert Party.objects.get(pk=first.complainant_id).phone == "13907990009"


# --- duplicates and grouping ----------------------------------------------------------------------


def test_the_same_complainant_and_employer_within_30_days_is_flagged_and_kept():
    now = timezone.now()
    first = submit(region_code="360302", received_at=now - timedelta(days=30))
    second = submit(region_code="360302", received_at=now, project=None)
    assert second.possible_duplicate_of_id == first.pk
    event = second.events.get()
    assert event.data["duplicate"] is True and event.data["duplicate_of"] == first.receipt_no
    assert Complaint.objects.filter(pk__in=[first.pk, second.pk]).count() == 2  # nothing merged away


def test_after_31_days_or_against_another_employer_it_is_not_a_duplicate():
    now = timezone.now()
    submit(region_code="360302", received_at=now - timedelta(days=31))
    later = submit(region_code="360302", received_at=now)
    assert later.possible_duplicate_of is None
    other = submit(region_code="360302", employer__uscc="", employer__name="另一家公司", received_at=now)
    assert other.possible_duplicate_of is None
    # Without an ID number the phone is the key.
    a = submit(region_code="360313", complainant__id_number="", received_at=now - timedelta(days=2))
    b = submit(region_code="360313", complainant__id_number="", complainant__name="王五", received_at=now)
    assert a.complainant_key == blind_index("phone", "13907990002") and b.possible_duplicate_of_id == a.pk


def _open_case(**over) -> tuple[Complaint, Case]:
    first = submit(**over)
    return first, case_file(actor=None, role="", region=first.region, complaints=[first])


def test_a_complaint_joins_the_open_case_of_the_same_employer_and_project():
    first, case = _open_case(region_code="360302")
    workers, amount = case.workers_count, case.amount_owed
    second = submit(
        region_code="360302",
        complainant__name="王五",
        complainant__id_number="34052419800101001X",
        complainant__phone="15007990003",
        workers_count=3,
        amount_owed="21000.00",
    )
    assert second.case == case and second.possible_duplicate_of is None
    case.refresh_from_db()
    assert case.workers_count == workers + 3 and case.amount_owed == amount + Decimal("21000.00")
    link = CaseParty.objects.get(case=case, party=second.complainant)
    assert link.kind == CaseParty.Kind.COMPLAINANT and link.complaint == second
    assert set(case.complaints.all()) == {first, second}
    kinds = list(TimelineEvent.objects.filter(case=case).order_by("seq").values_list("kind", flat=True))
    assert kinds == ["case.filed", "case.complaint_linked"]
    linked = TimelineEvent.objects.get(case=case, kind="case.complaint_linked")
    assert linked.data["receipt_no"] == second.receipt_no and linked.data["amount_added"] == "21000.00"
    received = second.events.get()
    assert received.data["grouped"] is True and received.data["case_no"] == case.case_no


def test_the_same_complainant_again_joins_the_case_once_as_a_party():
    first, case = _open_case(region_code="360302")
    again = submit(region_code="360302")
    assert again.case == case and again.possible_duplicate_of == first
    assert CaseParty.objects.filter(case=case, party=first.complainant).count() == 1


def test_no_grouping_with_another_project_or_another_region():
    _open_case(region_code="360302")
    assert submit(region_code="360302", project__name="另一个项目").case is None
    assert submit(region_code="360313").case is None


def test_no_grouping_with_a_closed_case():
    the_same = body()
    closed = factories.case(
        "closed",
        "360302",
        employer=the_same["employer"]["name"],
        employer__uscc=the_same["employer"]["uscc"],
        project__name=the_same["project"]["name"],
    )
    later = submit(region_code="360302")
    assert (later.employer, later.project) == (closed.employer, closed.project)
    assert later.case is None


def test_complaints_without_a_project_group_together():
    _first, case = _open_case(region_code="360302", project=None)
    assert submit(region_code="360302", project=None).case == case
    assert submit(region_code="360302").case is None  # with a project: not the project-less case


# --- idempotency ----------------------------------------------------------------------------------


def test_the_same_key_and_body_returns_the_same_receipt_and_writes_nothing():
    data = clean(region_code="360302")
    first, created = complaint_submit(actor=None, clean=data, channel="web", idempotency_key="k-1", request_hash="h1")
    assert created
    before = counts()
    again, created = complaint_submit(
        actor=None, clean=clean(region_code="360302"), channel="web", idempotency_key="k-1", request_hash="h1"
    )
    assert (again.pk, again.receipt_no, created) == (first.pk, first.receipt_no, False)
    assert again.region.code == "360302"
    assert counts() == before


def test_the_same_key_with_another_body_is_refused():
    complaint_submit(actor=None, clean=clean(region_code="360302"), channel="web", idempotency_key="k-2")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        complaint_submit(
            actor=None, clean=clean(region_code="360302", amount_owed="1.00"), channel="web", idempotency_key="k-2"
        )
    assert "idempotency_key" in exc.value.message_dict
    with pytest.raises(ValidationError):
        complaint_submit(
            actor=None, clean=clean(region_code="360302"), channel="web", idempotency_key="k-2", request_hash="x"
        )
    assert counts() == before


def test_an_unknown_channel_or_an_overlong_key_is_refused():
    with pytest.raises(ValidationError) as exc:
        complaint_submit(actor=None, clean=clean(), channel="fax")
    assert "channel" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        complaint_submit(actor=None, clean=clean(), channel="web", idempotency_key="k" * 81)
    assert "idempotency_key" in exc.value.message_dict


# --- the wrapper and the cost ---------------------------------------------------------------------


def test_complaint_receive_is_a_thin_wrapper_over_the_same_path():
    complaint = complaint_receive(
        actor=None,
        channel="letter",
        complainant={"name": "赵六", "id_number": "", "phone": "18607990004"},
        employer={"name": "湘东区某装饰工程有限公司"},
        region=Region.objects.get(code="360313"),
        workers_count=4,
        amount_owed=Decimal("18800.00"),
        period_start="2026-05-01",
        period_end="2026-10-31",
        description="拖欠工资",
    )
    assert complaint.region.code == "360313" and complaint.route_basis == "region_code"
    assert complaint.events.get().kind == "complaint.received"
    with pytest.raises(ValidationError):
        complaint_receive(
            actor=None,
            channel="letter",
            complainant={"name": "赵六", "phone": "110"},
            employer={"name": "某公司"},
            region=None,
            workers_count=4,
            amount_owed=Decimal("1"),
            period_start="2026-05-01",
            period_end="2026-10-31",
            description="x",
        )


def test_a_submission_runs_few_statements():
    """The hot path: known employer, project and complainant; grouped onto an open case."""
    _open_case(region_code="360302")
    submit(region_code="360302", project__name="预热")  # the region index and the sequence row exist
    data = clean(region_code="360302", complainant__phone="13907990077")
    with CaptureQueriesContext(connection) as ctx:
        complaint, _ = complaint_submit(actor=None, clean=data, channel="web", idempotency_key="bench-1")
    assert complaint.case is not None
    statements = [q["sql"] for q in ctx.captured_queries]
    print(f"\ncomplaint_submit (grouped, with key) on {connection.vendor}: {len(statements)} statements")
    assert len(statements) <= 22, "\n".join(statements)

    data = clean(region_code="360302", project__name="另一个项目", complainant__phone="13907990078")
    with CaptureQueriesContext(connection) as ctx:
        complaint_submit(actor=None, clean=data, channel="web")
    print(f"complaint_submit (new project, no key) on {connection.vendor}: {len(ctx.captured_queries)} statements")
    assert len(ctx.captured_queries) <= 13, "\n".join(q["sql"] for q in ctx.captured_queries)


# --- concurrency (PostgreSQL: SQLite serialises writers anyway) -----------------------------------


def _concurrently(*calls) -> list:
    """Run the calls at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # reported by the assertions below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_keep_keys_receipts_and_employers_unique(on_postgres):
    from cases.regions import regions_load

    regions_load(province="360000")
    same = clean(region_code="360302", employer__name="并发测试甲公司")
    results = _concurrently(
        *[lambda: complaint_submit(actor=None, clean=same, channel="web", idempotency_key="race-1")] * 4
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({c.pk for c, _ in results}) == 1
    assert sorted(created for _, created in results) == [False, False, False, True]
    # The same through the flow's service (the API's path: complaint_submit nested in its transaction).
    from workflows.services import intake_submit

    again = clean(region_code="360302", employer__name="并发测试甲公司", description="另一次提交")
    results = _concurrently(
        *[lambda: intake_submit(actor=None, clean=again, channel="web", idempotency_key="race-2")] * 4
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({c.pk for c, _ in results}) == 1
    assert sorted(created for _, created in results) == [False, False, False, True]

    # A new employer (no USCC) in four offices at once: one Employer; each office its own receipt.
    regions = ["360302", "360313", "360102", "360300"]
    cleans = [clean(region_code=code, employer__uscc="", employer__name="并发测试乙公司") for code in regions]
    results = _concurrently(*[lambda c=c: complaint_submit(actor=None, clean=c, channel="web") for c in cleans])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Employer.objects.filter(name="并发测试乙公司").count() == 1
    # Four at once in one office: four consecutive receipt numbers.
    one = clean(region_code="360313", employer__name="并发测试丙公司")
    results = _concurrently(*[lambda: complaint_submit(actor=None, clean=one, channel="web")] * 4)
    numbers = sorted(int(c.receipt_no[-6:]) for c, _ in results)
    assert numbers == list(range(numbers[0], numbers[0] + 4))
