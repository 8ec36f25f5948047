"""The timeline: one writer, SHA-256 chain per case, append-only, verify_timeline."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from cases import timeline
from cases.models import Case, TimelineEvent
from tests import world

pytestmark = pytest.mark.django_db


def _case_with_events(n: int = 3) -> Case:
    case = world.make_case("360302")
    with transaction.atomic():
        for i in range(n):
            timeline.record(
                case, "case.noted", actor=world.user("inspector", "360302"), role="inspector", data={"i": i}
            )
    return case


def test_it_chains_events_by_hash():
    case = _case_with_events(3)
    events = list(TimelineEvent.objects.filter(case=case).order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert events[0].prev_hash == timeline.GENESIS
    for prev, event in zip(events, events[1:]):
        assert event.prev_hash == prev.hash
    assert all(timeline.compute_hash(e) == e.hash for e in events)
    assert events[1].actor_role == "inspector" and events[1].actor_region == "360302"
    assert timeline.chain_ok(case)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_writes_outside_a_transaction():
    from cases.regions import regions_load

    regions_load(province="360000")
    case = world.make_case("360302")
    with pytest.raises(RuntimeError):
        timeline.record(case, "case.noted")


def test_the_model_refuses_update_and_delete():
    event = TimelineEvent.objects.first()
    event.kind = "case.forged"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        TimelineEvent.objects.filter(pk=event.pk).update(kind="x")
    with pytest.raises(TypeError):
        TimelineEvent.objects.filter(pk=event.pk).delete()


def _disable_trigger(cur, table: str) -> None:
    # Deferred FK checks of this test's inserts must fire before the table can be altered.
    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER cases_timelineevent_append_only")


def _tamper(event_id: int, *, disable_trigger: bool) -> None:
    table = TimelineEvent._meta.db_table
    with connection.cursor() as cur:
        if disable_trigger:
            _disable_trigger(cur, table)
        cur.execute(f"UPDATE {table} SET data = %s WHERE id = %s", ['{"i": 99}', event_id])
        if disable_trigger:
            cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER cases_timelineevent_append_only")


def _verify_reports(case: Case, event: TimelineEvent, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        call_command("verify_timeline", "--case", case.case_no)
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert f"event #{event.seq} (id {event.pk})" in err
    assert not timeline.chain_ok(case)
    with pytest.raises(SystemExit):
        call_command("verify_timeline")  # the whole database too


def test_verify_reports_an_altered_row_on_any_database(capsys):
    case = _case_with_events(3)
    target = TimelineEvent.objects.get(case=case, seq=3)
    _tamper(target.pk, disable_trigger=connection.vendor == "postgresql")
    _verify_reports(case, target, capsys)


def test_verify_reports_a_deleted_row(capsys):
    case = _case_with_events(3)
    target = TimelineEvent.objects.get(case=case, seq=2)
    table = TimelineEvent._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            _disable_trigger(cur, table)
        cur.execute(f"DELETE FROM {table} WHERE id = %s", [target.pk])
        if connection.vendor == "postgresql":
            cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER cases_timelineevent_append_only")
    with pytest.raises(SystemExit):
        call_command("verify_timeline", "--case", case.case_no)
    assert "event #3" in capsys.readouterr().err  # the gap shows at the next event


def test_verify_passes_on_an_intact_database(capsys):
    call_command("verify_timeline")
    assert capsys.readouterr().out.startswith("OK:")


def test_verify_in_slices_gives_the_one_pass_result_and_stops_at_the_same_event():
    cases = [_case_with_events(n) for n in (2, 4, 3)]
    whole = timeline.verify()
    for parts in (1, 3, 50):
        sliced = timeline.verify_slices(timeline._slices(parts), mapper=map)
        assert (sliced.chains, sliced.events, sliced.ok) == (whole.chains, whole.events, True)
    target = TimelineEvent.objects.get(case=cases[1], seq=3)
    _tamper(target.pk, disable_trigger=connection.vendor == "postgresql")
    whole = timeline.verify()
    assert not whole.ok and whole.first_broken.event_id == target.pk
    for parts in (1, 3, 50):
        sliced = timeline.verify_slices(timeline._slices(parts), mapper=map)
        assert (sliced.chains, sliced.events, sliced.first_broken) == (whole.chains, whole.events, whole.first_broken)


@pytest.mark.django_db(transaction=True)
def test_verify_timeline_over_two_processes_names_the_broken_event(on_postgres, capsys):
    from cases.regions import regions_load

    regions_load(province="360000")
    cases = [world.make_case("360302") for _ in range(5)]
    with transaction.atomic():
        for case in cases:
            timeline.record(case, "case.noted", data={"n": case.pk})
    one = timeline.verify()
    assert one.ok and one.chains >= 10  # each case and its complaint
    capsys.readouterr()  # the console SMS of the complaints' receipts
    call_command("verify_timeline", "--jobs", "2")
    assert capsys.readouterr().out.strip() == f"OK: {one.chains} chains, {one.events} events verified"
    target = TimelineEvent.objects.get(case=cases[3], seq=2)
    _tamper(target.pk, disable_trigger=True)
    with pytest.raises(SystemExit) as exc:
        call_command("verify_timeline", "--jobs", "2")
    assert exc.value.code == 1
    assert f"event #2 (id {target.pk})" in capsys.readouterr().err


@pytest.mark.parametrize("statement", ["UPDATE {t} SET kind = 'x' WHERE id = %s", "DELETE FROM {t} WHERE id = %s"])
def test_postgres_trigger_rejects_update_and_delete(on_postgres, statement):
    event = TimelineEvent.objects.first()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(statement.format(t=TimelineEvent._meta.db_table), [event.pk])
    assert TimelineEvent.objects.get(pk=event.pk).kind == event.kind


def test_case_timeline_api_reports_chain_ok(client):
    case = _case_with_events(2)
    client.force_login(world.user("auditor", "360000"))
    body = client.get(f"/api/v1/cases/{case.case_no}/timeline/").json()
    assert body["chain_ok"] is True
    kinds = [e["kind"] for e in body["events"]]
    assert kinds == ["complaint.received", "case.filed", "case.noted", "case.noted"]
    _tamper(TimelineEvent.objects.get(case=case, seq=2).pk, disable_trigger=connection.vendor == "postgresql")
    assert client.get(f"/api/v1/cases/{case.case_no}/timeline/").json()["chain_ok"] is False


def test_timeline_page_filters_by_kind_actor_and_date(client):
    case = _case_with_events(2)
    client.force_login(world.user("auditor", "360300"))
    url = f"/cases/{case.case_no}/timeline/"
    # each row carries its kind as data (the page shows its label, never the key: issue 14)
    page = client.get(url, {"kind": "case.noted"}).content.decode()
    assert page.count('data-kind="case.noted"') == 2 and 'data-kind="case.filed"' not in page
    page = client.get(url, {"actor": "inspector_360302"}).content.decode()
    assert 'data-kind="case.noted"' in page and 'data-kind="complaint.received"' not in page
    page = client.get(url, {"date_from": "2000-01-01", "date_to": "2000-01-02"}).content.decode()
    assert 'data-kind="case.noted"' not in page
    response = client.get(url, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.status_code == 200 and "zq-error" in response.content.decode()


# --- record_many: the batched writer (the deadline sweep's) ------------------------------------


def test_record_many_chains_exactly_like_record_in_a_fixed_number_of_statements():
    from django.test.utils import CaptureQueriesContext

    inspector = world.user("inspector", "360302")
    a, b = _case_with_events(2), world.make_case("360302")
    complaint = b.complaints.get()
    twin_a, twin_b = _case_with_events(2), world.make_case("360302")
    at = a.filed_at
    entries = [
        timeline.Entry(a, "case.noted", actor=inspector, role="inspector", data={"n": 1}, at=at),
        timeline.Entry(complaint, "complaint.noted", data={"n": 2}, at=at),
        timeline.Entry(b, "case.noted", data={"amount": __import__("decimal").Decimal("1.50")}, at=at),
        timeline.Entry(a, "case.noted", data={"n": 3}, at=at),
    ]
    last = {s: TimelineEvent.objects.filter(**{type(s).__name__.lower(): s}).count() for s in (a, b, complaint)}
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        events = timeline.record_many(entries)
    # lock cases, last links of cases, lock complaints, last links of complaints, the inspector's
    # grants (for actor_region, cached on the user), one INSERT, one upsert of the heads: whatever the
    # number of entries
    sql = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert (
        len(sql) == 7
        and sql[-2].startswith("INSERT")
        and "ON CONFLICT" in sql[-1]
        and sum("FOR UPDATE" in q for q in sql) == (2 if connection.vendor == "postgresql" else 0)
    )
    assert [(e.kind, e.seq) for e in events] == [
        ("case.noted", last[a] + 1),
        ("complaint.noted", last[complaint] + 1),
        ("case.noted", last[b] + 1),
        ("case.noted", last[a] + 2),
    ]
    assert all(e.pk for e in events)
    assert events[3].prev_hash == events[0].hash
    assert events[0].actor_region == "360302" and events[1].actor_name == "system"
    assert events[2].data == {"amount": "1.50"}
    # The same entries through record(), one by one, give the same chains and hashes.
    with transaction.atomic():
        twins = [
            timeline.record(twin_a, "case.noted", actor=inspector, role="inspector", data={"n": 1}, at=at),
            timeline.record(twin_a, "case.noted", data={"n": 3}, at=at),
        ]
    assert [e.seq for e in twins] == [events[0].seq, events[3].seq]
    stored = TimelineEvent.objects.get(pk=events[3].pk)
    assert stored.hash == timeline.compute_hash(stored) and stored.prev_hash == events[0].hash
    assert all(timeline.chain_ok(s) for s in (a, b, complaint, twin_a, twin_b))
    assert timeline.verify().ok


def test_record_many_refuses_unknown_subjects():
    case = world.make_case("360302")
    with transaction.atomic():
        assert timeline.record_many([]) == []
        with pytest.raises(TypeError):
            timeline.record_many([timeline.Entry(case.employer, "case.noted")])
        with pytest.raises(TypeError):
            timeline.record_many([timeline.Entry(type(case.region)(), "case.noted")])
        with pytest.raises(Case.DoesNotExist):
            timeline.record_many([timeline.Entry(Case(pk=10**12), "case.noted")])


@pytest.mark.parametrize("second_writer", ["record", "record_many"])
@pytest.mark.django_db(transaction=True)
def test_a_writer_that_waited_for_the_chain_lock_chains_after_the_events_committed_meanwhile(
    on_postgres, second_writer
):
    """Under READ COMMITTED the look-up of the last link must start after the lock is granted: read in the
    locking statement (its snapshot predates the wait) it missed the first writer's event and reused its seq."""
    import threading

    from cases.regions import regions_load

    regions_load(province="360000")
    case = world.make_case("360302")
    locked, release, done, errors = threading.Event(), threading.Event(), threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                timeline.record(case, "case.noted", data={"by": "first"})
                locked.set()
                release.wait(20)
        finally:
            connection.close()

    def second():
        try:
            with transaction.atomic():
                if second_writer == "record":
                    timeline.record(case, "case.noted", data={"by": "second"})
                else:
                    timeline.record_many([timeline.Entry(case, "case.noted", data={"by": "second"})])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert locked.wait(20)
    two = threading.Thread(target=second)
    two.start()
    assert not done.wait(1)  # it waits for the chain's lock
    release.set()
    one.join()
    two.join()
    assert errors == []
    by = list(case.events.order_by("seq").values_list("data__by", flat=True))
    assert by[-2:] == ["first", "second"]
    assert timeline.chain_ok(case)


def test_record_many_of_hundreds_of_events_is_stored_exactly_as_computed():
    """Past cases.bulk.COPY_AT_LEAST events PostgreSQL takes them by COPY: same rows, pks, hashes."""
    from cases.bulk import COPY_AT_LEAST

    cases = [world.make_case("360302") for _ in range(3)]
    at = timezone.now()
    entries = [
        timeline.Entry(cases[i % 3], "case.noted", data={"i": i, "note": "含\t制表符\n和换行\\", "at": at}, at=at)
        for i in range(COPY_AT_LEAST + 50)
    ]
    with transaction.atomic():
        events = timeline.record_many(entries)
    assert all(e.pk for e in events) and len({e.pk for e in events}) == len(entries)
    stored = {e.pk: e for e in TimelineEvent.objects.filter(pk__in=[e.pk for e in events])}
    for event in events:
        row = stored[event.pk]
        assert (row.case_id, row.seq, row.kind, row.data, row.prev_hash, row.hash, row.at) == (
            event.case_id, event.seq, event.kind, event.data, event.prev_hash, event.hash, at
        )  # fmt: skip
        assert timeline.compute_hash(row) == row.hash
    assert all(timeline.chain_ok(c) for c in cases)
    with transaction.atomic():
        later = timeline.record(cases[0], "case.noted")  # the table's own ids carry on after the COPY
    assert later.pk > max(stored) and timeline.chain_ok(cases[0])
