"""Timeline subjects beyond cases and complaints: a staff account's chain and a region's administration chain."""

import hashlib
import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from cases import timeline
from cases.models import Region, TimelineEvent
from tests import world

pytestmark = pytest.mark.django_db


def _event(**subject) -> TimelineEvent:
    return TimelineEvent(
        **subject,
        seq=3,
        at=datetime(2026, 5, 1, 8, 30, 0, 123456, tzinfo=UTC),
        actor_id=4,
        actor_name="inspector_360302",
        actor_role="inspector",
        actor_region="360302",
        kind="case.noted",
        data={"金额": "1.50", "n": [1, 2]},
        prev_hash="ab" * 32,
    )


def test_case_and_complaint_hashes_are_byte_identical_to_before():
    # Computed with cases/timeline.py as it was before the account and region subjects.
    assert timeline.compute_hash(_event(case_id=7)) == (
        "ff42ee2b02f63aaad65d4fcdea08d67510e0225fb3f5d3ab9c46fc27a8239cac"
    )
    assert timeline.compute_hash(_event(complaint_id=9)) == (
        "ec8362ed39d92f39909b2a9635a587990f3a2a2755f134e27fda7db1e7fdd9e6"
    )


@pytest.mark.parametrize("field", ["account", "region"])
def test_the_subject_key_of_the_new_subjects_is_hashed(field):
    event = _event(**{f"{field}_id": 12})
    body = {
        "subject": f"{field}:12",
        "seq": 3,
        "at": "2026-05-01T08:30:00.123456+00:00",
        "actor": 4,
        "actor_name": "inspector_360302",
        "actor_role": "inspector",
        "actor_region": "360302",
        "kind": "case.noted",
        "data": {"金额": "1.50", "n": [1, 2]},
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert timeline.compute_hash(event) == hashlib.sha256(("ab" * 32 + canonical).encode()).hexdigest()


def _subject(kind: str):
    return world.user("clerk", "360302") if kind == "account" else Region.objects.get(code="360000")


@pytest.mark.parametrize("kind", ["account", "region"])
def test_record_chains_events_of_an_account_or_a_region_and_locks_its_row(kind):
    subject = _subject(kind)
    admin = world.user("admin", "360000")
    earlier = list(TimelineEvent.objects.filter(**{kind: subject}).order_by("seq").values_list("seq", "hash"))
    seq, prev_hash = earlier[-1] if earlier else (0, timeline.GENESIS)  # staff_create may have written some
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        one = timeline.record(subject, f"{kind}.changed", actor=admin, role="admin", data={"n": 1})
        two = timeline.record(subject, f"{kind}.changed", actor=admin, role="admin", data={"n": 2})
    table = type(subject)._meta.db_table
    if connection.vendor == "postgresql":
        assert sum("FOR UPDATE" in q["sql"] and table in q["sql"] for q in ctx.captured_queries) == 2
    assert (getattr(one, f"{kind}_id"), one.seq, one.prev_hash) == (subject.pk, seq + 1, prev_hash)
    assert (two.seq, two.prev_hash) == (seq + 2, one.hash)
    assert one.case_id is None and one.complaint_id is None
    assert one.actor_region == "360000"
    stored = list(TimelineEvent.objects.filter(**{kind: subject}).order_by("seq"))
    assert [e.hash for e in stored][-2:] == [one.hash, two.hash]
    assert all(timeline.compute_hash(e) == e.hash for e in stored)
    assert timeline.chain_ok(subject) and timeline.verify(subject=subject).ok


def test_record_refuses_a_missing_or_unsaved_subject_or_another_model():
    user_model = type(world.user("clerk", "360302"))
    with transaction.atomic():
        with pytest.raises(user_model.DoesNotExist):
            timeline.record(user_model(pk=10**9), "account.changed")
        with pytest.raises(Region.DoesNotExist):
            timeline.record(Region(pk=10**9), "region.changed")
        with pytest.raises(TypeError):
            timeline.record(Region(), "region.changed")
        with pytest.raises(TypeError):
            timeline.record(world.case_in("360302").employer, "employer.changed")


def test_record_many_mixes_every_subject_and_chains_like_record():
    case = world.make_case("360302")
    complaint = case.complaints.get()
    account, region = _subject("account"), _subject("region")
    at = case.filed_at
    entries = [
        timeline.Entry(account, "account.role_granted", data={"role": "clerk"}, at=at),
        timeline.Entry(region, "region.params_changed", data={"n": 1}, at=at),
        timeline.Entry(case, "case.noted", at=at),
        timeline.Entry(account, "account.password_set", at=at),
        timeline.Entry(complaint, "complaint.noted", at=at),
    ]
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        events = timeline.record_many(entries)
    # one lock and one look-up per kind of subject, one INSERT of the events, one upsert of the heads
    sql = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sql) == 10 and sql[-2].startswith("INSERT") and "ON CONFLICT" in sql[-1]
    assert events[0].account_id == account.pk and events[1].region_id == region.pk
    assert events[3].seq == events[0].seq + 1 and events[3].prev_hash == events[0].hash
    assert all(timeline.chain_ok(s) for s in (account, region, case, complaint))
    # the same through record() on a twin account gives the same hashes
    twin = world.user("clerk", "360313")
    with transaction.atomic():
        a = timeline.record(twin, "account.role_granted", data={"role": "clerk"}, at=at)
    assert a.hash != events[0].hash and timeline.chain_ok(twin)
    assert timeline.verify().ok


def test_the_database_refuses_two_subjects_or_a_repeated_seq():
    account, region = _subject("account"), _subject("region")
    with transaction.atomic():
        event = timeline.record(account, "account.changed")
    fields = dict(at=event.at, kind="x", prev_hash=timeline.GENESIS, hash="0" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimelineEvent.objects.create(account=account, region=region, seq=9, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimelineEvent.objects.create(account=account, seq=event.seq, **fields)


def _tamper(event: TimelineEvent) -> None:
    table = TimelineEvent._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER cases_timelineevent_append_only")
        cur.execute(f"UPDATE {table} SET data = %s WHERE id = %s", ['{"forged": 1}', event.pk])
        if connection.vendor == "postgresql":
            cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER cases_timelineevent_append_only")


@pytest.mark.parametrize("kind", ["account", "region"])
def test_the_verifier_covers_the_new_chains(kind, capsys):
    subject = _subject(kind)
    with transaction.atomic():
        for n in range(3):
            timeline.record(subject, f"{kind}.changed", data={"n": n})
    whole = timeline.verify()
    assert whole.ok
    for parts in (1, 3):
        assert timeline.verify_slices(timeline._slices(parts), mapper=map).chains == whole.chains
    target = TimelineEvent.objects.get(**{kind: subject}, seq=2)
    _tamper(target)
    assert not timeline.chain_ok(subject)
    broken = timeline.verify().first_broken
    assert (broken.subject, broken.seq, broken.event_id) == (f"{kind}:{subject.pk}", 2, target.pk)
    assert timeline.verify_slices(timeline._slices(3), mapper=map).first_broken == broken
    with pytest.raises(SystemExit) as exc:
        call_command("verify_timeline", "--jobs", "1")
    assert exc.value.code == 1
    assert f"{kind}:{subject.pk} event #2 (id {target.pk})" in capsys.readouterr().err
