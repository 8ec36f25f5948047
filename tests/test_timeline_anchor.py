"""Anchored timeline chains: heads kept with every append, keyed checkpoints, and the six tampers the
hash chain alone missed, each reported with its subject and sequence number (docs/timeline.md)."""

import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from cases import timeline
from cases.models import Case, ChainCheck, TimelineEvent
from cases.models.timeline import TimelineCheckpointEntry, TimelineHead
from tests import world

pytestmark = pytest.mark.django_db

EVENTS = TimelineEvent._meta.db_table
HEADS = TimelineHead._meta.db_table


@pytest.fixture(autouse=True)
def _checkpoint_dir(settings, tmp_path):
    settings.ZHIQIAN_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    settings.ZHIQIAN_CHECKPOINT_URL = ""


def _case(n: int = 3) -> Case:
    case = world.make_case("360302")
    with transaction.atomic():
        for i in range(n):
            timeline.record(case, "case.noted", data={"i": i})
    return case  # the case's chain: case.filed (#1) and n events


def _raw(sql: str, params=()) -> None:
    """Write behind the ORM's and the database's guards (the attacker with database access)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = replica")  # no triggers (superuser only)
        try:
            cur.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cur.execute("SET session_replication_role = origin")


def _head(case: Case) -> tuple[int, str]:
    return TimelineHead.objects.values_list("count", "last_hash").get(subject_kind="case", subject_id=case.pk)


def _broken(**kwargs) -> timeline.Break:
    result = timeline.verify(**kwargs)
    assert not result.ok
    return result.first_broken


def _command_reports(capsys, *fragments: str) -> None:
    with pytest.raises(SystemExit) as exc:
        call_command("verify_timeline", "--jobs", "1")
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert all(f in err for f in fragments), err


# --- the heads -----------------------------------------------------------------------------------


def test_record_keeps_the_head_with_one_statement_more():
    case = _case(1)
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        event = timeline.record(case, "case.noted")
    sql = [q["sql"] for q in ctx.captured_queries]
    # lock the case, its last link, INSERT the event, upsert the head (was 3 statements); no savepoint
    assert len(sql) == 4 and "ON CONFLICT" in sql[-1] and not any("SAVEPOINT" in q for q in sql)
    assert _head(case) == (event.seq, event.hash)
    user_model = type(world.user("clerk", "360302"))
    with transaction.atomic():
        account = user_model.objects.create(username="anchored_new_account")
        with CaptureQueriesContext(connection) as ctx:
            first = timeline.record(account, "account.created", first=True)
    sql = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sql) == 2 and all(q.startswith("INSERT") and "ON CONFLICT" not in q for q in sql)
    head = TimelineHead.objects.get(subject_kind="account", subject_id=account.pk)
    assert (head.count, head.last_hash) == (1, first.hash)


def test_record_many_moves_every_head_it_appends_to():
    a, b = _case(1), _case(2)
    with transaction.atomic():
        events = timeline.record_many(
            [timeline.Entry(a, "case.noted"), timeline.Entry(b, "case.noted"), timeline.Entry(a, "case.noted")]
        )
    assert _head(a) == (events[2].seq, events[2].hash) and _head(b) == (events[1].seq, events[1].hash)
    assert timeline.verify().ok


def test_every_chain_of_the_world_has_its_head_and_a_clean_database_verifies_against_a_checkpoint(capsys):
    _case(2)
    chains = {
        (field, sid)
        for field in ("case", "complaint", "account", "region")
        for sid in TimelineEvent.objects.filter(**{f"{field}__isnull": False}).values_list(f"{field}_id", flat=True)
    }
    assert set(TimelineHead.objects.values_list("subject_kind", "subject_id")) == chains
    taken = timeline.timeline_checkpoint_take()
    assert taken.checkpoint.heads == len(chains) and taken.checkpoint.changed == len(chains)
    result = timeline.verify()
    assert result.ok and result.checkpoint == taken.checkpoint.pk
    call_command("verify_timeline", "--jobs", "1")
    assert f"against checkpoint #{taken.checkpoint.pk}" in capsys.readouterr().out
    again = timeline.timeline_checkpoint_take()  # nothing moved: no entry written, the same heads signed
    assert again.checkpoint.changed == 0 and timeline.checkpoint_ok(again.checkpoint)
    assert timeline.verify().ok


# --- the six tampers -----------------------------------------------------------------------------


def test_1_deleting_the_last_events_is_reported(capsys):
    case = _case(3)  # events #1..#4
    _raw(f"DELETE FROM {EVENTS} WHERE case_id = %s AND seq >= 3", [case.pk])
    broken = _broken()
    assert (broken.subject, broken.seq, broken.kind) == (f"case:{case.pk}", 3, "missing_tail")
    assert "head says 4 events, chain has 2: events #3..4 missing" in str(broken)
    assert _broken(case=case) == broken and not timeline.chain_ok(case)
    _command_reports(capsys, f"case:{case.pk} event #3", "[missing_tail]")


def test_2_deleting_a_whole_chain_is_reported(capsys):
    case = _case(1)
    _raw(f"DELETE FROM {EVENTS} WHERE case_id = %s", [case.pk])
    broken = _broken()
    assert (broken.subject, broken.seq, broken.event_id, broken.kind) == (f"case:{case.pk}", 1, None, "chain_deleted")
    _command_reports(capsys, f"case:{case.pk} event #1", "whole chain is missing")


def test_3_a_forged_event_appended_with_a_recomputed_hash_is_reported(capsys):
    case = _case(2)  # #1..#3
    last = TimelineEvent.objects.get(case=case, seq=3)
    forged = TimelineEvent(case=case, seq=4, at=last.at, actor_name="system", kind="case.closed", prev_hash=last.hash)
    forged.hash = timeline.compute_hash(forged)
    forged.save(force_insert=True)  # INSERT is what the append-only guards allow
    broken = _broken()
    assert (broken.subject, broken.seq, broken.event_id, broken.kind) == (
        f"case:{case.pk}", 4, forged.pk, "unanchored"
    )  # fmt: skip
    _command_reports(capsys, f"case:{case.pk} event #4 (id {forged.pk})", "[unanchored]")


def _rewrite(case: Case, seq: int) -> None:
    """Edit event #seq and recompute every later hash, and the head, as someone without the key could."""
    events = list(TimelineEvent.objects.filter(case=case).order_by("seq"))
    prev = events[seq - 2].hash if seq > 1 else timeline.GENESIS
    for event in events[seq - 1 :]:
        if event.seq == seq:
            event.data = {"rewritten": True}
        event.prev_hash = prev
        event.hash = prev = timeline.compute_hash(event)
        _raw(
            f"UPDATE {EVENTS} SET data = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [json.dumps(event.data), event.prev_hash, event.hash, event.pk],
        )
    _raw(f"UPDATE {HEADS} SET last_hash = %s WHERE subject_kind = 'case' AND subject_id = %s", [prev, case.pk])


def test_4_an_edit_rehashed_to_the_end_with_the_head_is_caught_by_the_checkpoint(capsys):
    case = _case(3)  # #1..#4
    checkpoint = timeline.timeline_checkpoint_take().checkpoint
    with transaction.atomic():
        timeline.record(case, "case.noted")  # #5, after the checkpoint
    _rewrite(case, 2)
    newest = TimelineEvent.objects.filter(case=case).order_by("-seq").values_list("seq", "hash")[0]
    assert _head(case) == newest  # the chain and its head agree: only the checkpoint can tell
    broken = _broken()
    target = TimelineEvent.objects.get(case=case, seq=4)
    assert (broken.subject, broken.seq, broken.event_id, broken.kind) == (f"case:{case.pk}", 4, target.pk, "rewritten")
    assert f"checkpoint #{checkpoint.pk}" in str(broken)
    assert _broken(case=case) == broken
    _command_reports(capsys, f"case:{case.pk} event #4", "[rewritten]")


@pytest.mark.parametrize("table", [EVENTS, HEADS])
def test_5_truncate_is_refused_on_postgres(on_postgres, table):
    with connection.cursor() as cur:
        cur.execute("SET zhiqian.timeline_truncate = ''")  # the test database allows its flush
        try:
            with pytest.raises(DatabaseError, match="cannot be truncated"), transaction.atomic():
                cur.execute(f"TRUNCATE {table} CASCADE")
        finally:
            cur.execute("SET zhiqian.timeline_truncate = 'allow'")
    assert TimelineEvent.objects.exists() and TimelineHead.objects.exists()


def test_5_events_and_heads_wiped_anyway_are_reported_from_the_checkpoint(capsys):
    timeline.timeline_checkpoint_take()
    first = TimelineCheckpointEntry.objects.filter(subject_kind="case").order_by("subject_id").first()
    _raw(f"DELETE FROM {EVENTS}")  # what TRUNCATE (its trigger dropped) leaves
    _raw(f"DELETE FROM {HEADS}")
    broken = _broken()
    assert (broken.subject, broken.seq, broken.kind) == (f"case:{first.subject_id}", 1, "chain_deleted")
    assert f"checkpoint #{first.checkpoint_id} saw {first.count} events, chain has 0" in str(broken)
    _command_reports(capsys, f"case:{first.subject_id} event #1", "[chain_deleted]")


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE cases_timelinecheckpoint SET events = events + 1",
        "UPDATE cases_timelinecheckpointentry SET last_hash = 'f' || substr(last_hash, 2)",
        "DELETE FROM cases_timelinecheckpointentry WHERE subject_kind = 'complaint'",
    ],
)
def test_6_a_tampered_checkpoint_is_reported(tamper, capsys):
    _case(1)
    checkpoint = timeline.timeline_checkpoint_take().checkpoint
    assert timeline.verify().ok
    _raw(tamper)
    broken = _broken()
    assert (broken.subject, broken.seq, broken.kind) == (f"checkpoint #{checkpoint.pk}", 0, "checkpoint_mac")
    _command_reports(capsys, f"checkpoint #{checkpoint.pk}: HMAC", "[checkpoint_mac]")


def test_6_the_checkpoint_does_not_verify_with_another_key(settings):
    checkpoint = timeline.timeline_checkpoint_take().checkpoint
    assert timeline.checkpoint_ok(checkpoint)
    assert not timeline.checkpoint_ok(checkpoint, key=b"another key")
    settings.ZHIQIAN_TIMELINE_KEY = "another key"
    assert _broken().kind == "checkpoint_mac"


def test_the_nightly_check_records_the_kind_of_break():
    from cases.services import timeline_check_record

    case = _case(2)
    _raw(f"DELETE FROM {EVENTS} WHERE case_id = %s AND seq = 3", [case.pk])
    check = timeline_check_record()
    assert not check.ok and check.break_kind == "missing_tail" and f"case:{case.pk} event #3" in check.first_broken
    assert ChainCheck.objects.get(pk=check.pk).break_kind == "missing_tail"


def test_events_without_a_head_are_reported_and_the_backfill_gives_them_one():
    case = _case(2)
    _raw(f"DELETE FROM {HEADS} WHERE subject_kind = 'case' AND subject_id = %s", [case.pk])
    broken = _broken()
    assert (broken.subject, broken.seq, broken.kind) == (f"case:{case.pk}", 1, "no_head")
    assert timeline.heads_backfill() == 1
    assert _head(case) == TimelineEvent.objects.filter(case=case).order_by("-seq").values_list("seq", "hash")[0]
    assert timeline.verify().ok


# --- PostgreSQL: the triggers, the parallel pass --------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        f"DELETE FROM {HEADS} WHERE id = %(id)s",
        f"UPDATE {HEADS} SET count = count - 1 WHERE id = %(id)s",
        f"UPDATE {HEADS} SET last_hash = repeat('0', 64) WHERE id = %(id)s",
        f"UPDATE {HEADS} SET count = count + 1 WHERE id = %(id)s",
        f"INSERT INTO {HEADS} (subject_kind, subject_id, count, last_hash, updated_at) "
        "VALUES ('case', 999999999, 1, repeat('0', 64), now())",
    ],
)
def test_postgres_heads_only_move_forward_onto_existing_events(on_postgres, statement):
    case = _case(1)
    head = TimelineHead.objects.get(subject_kind="case", subject_id=case.pk)
    with pytest.raises(DatabaseError, match="timeline head"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(statement, {"id": head.pk})
    assert _head(case) == (head.count, head.last_hash)


@pytest.mark.parametrize("table", ["cases_timelinecheckpoint", "cases_timelinecheckpointentry"])
def test_postgres_checkpoints_are_append_only(on_postgres, table):
    timeline.timeline_checkpoint_take()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(f"DELETE FROM {table}")


@pytest.mark.django_db(transaction=True)
def test_postgres_two_processes_report_an_anchor_break(on_postgres, capsys):
    from cases.regions import regions_load

    regions_load(province="360000")
    cases = [world.make_case("360302") for _ in range(4)]
    with transaction.atomic():
        for case in cases:
            timeline.record(case, "case.noted")
    timeline.timeline_checkpoint_take()
    capsys.readouterr()  # the console SMS of the complaints' receipts
    call_command("verify_timeline", "--jobs", "2")
    assert capsys.readouterr().out.startswith("OK:")
    _raw(f"DELETE FROM {EVENTS} WHERE case_id = %s AND seq = 2", [cases[2].pk])
    with pytest.raises(SystemExit):
        call_command("verify_timeline", "--jobs", "2")
    assert f"case:{cases[2].pk} event #2: head says 2 events, chain has 1" in capsys.readouterr().err


@pytest.mark.parametrize("race", ["head read before an append", "events read before an append", "a new chain"])
def test_an_append_committed_between_the_reads_of_a_chain_and_its_head_is_no_break(race, monkeypatch):
    """The events and the heads are separate statements: under READ COMMITTED an append that commits
    between them makes a chain one event longer (or shorter) than its head, or a chain without a head.
    Simulated here by serving the verifier a stale head; the chain is read again before it is reported."""
    from cases.timeline import anchor

    case = _case(2)  # #1..#3
    events = list(TimelineEvent.objects.filter(case=case).order_by("seq"))
    stale = {
        "head read before an append": (case.pk, 2, events[1].hash),
        "events read before an append": (case.pk, 4, "f" * 64),
        "a new chain": None,
    }[race]
    real = anchor.head_rows

    def head_rows(field, lo=None, hi=None):
        for row in real(field, lo, hi):
            if field == "case" and row[0] == case.pk:
                if stale:
                    yield stale
                continue
            yield row

    monkeypatch.setattr(anchor, "head_rows", head_rows)
    result = timeline.verify()
    assert result.ok, result.first_broken
    _raw(f"DELETE FROM {EVENTS} WHERE case_id = %s AND seq >= 2", [case.pk])  # a real break stays one
    broken = _broken()
    assert (broken.subject, broken.seq, broken.kind) == (f"case:{case.pk}", 2, "missing_tail")
