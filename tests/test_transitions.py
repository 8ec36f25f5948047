"""cases.transitions: lock, check the status, save the changed fields, one timeline event — in the caller's
transaction, without a savepoint."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases.models import Case, TimelineEvent
from cases.transitions import StateConflict, expect_status, lock, transition
from tests import world

pytestmark = pytest.mark.django_db


def _case():
    return world.make_case("360302")


def test_a_transition_saves_the_changed_fields_and_records_one_event():
    case = _case()
    stale = Case.objects.get(pk=case.pk)
    before = TimelineEvent.objects.filter(case=case).count()
    with (
        transaction.atomic(),
        transition(
            case,
            expect=[case.status],
            event="case.test_moved",
            actor=world.user("inspector", "360302"),
            role="inspector",
        ) as step,
    ):
        step.to(Case.Status.SUSPENDED, media_reported=True)
        step.data["why"] = "test"
    case.refresh_from_db()
    assert case.status == Case.Status.SUSPENDED
    events = TimelineEvent.objects.filter(case=case).order_by("seq")
    assert events.count() == before + 1
    last = events.last()
    assert (last.kind, last.data, last.actor_role) == ("case.test_moved", {"why": "test"}, "inspector")
    assert stale.status != case.status  # the caller's own instance followed, not another copy


def test_a_status_not_expected_is_a_conflict_naming_the_field_and_changes_nothing():
    case = _case()
    before = TimelineEvent.objects.filter(case=case).count()
    with pytest.raises(StateConflict) as exc, transaction.atomic():
        with transition(
            case, expect=[Case.Status.CLOSED], event="case.test_moved", actor=None, error_field="decision"
        ) as step:
            step.to(Case.Status.SUSPENDED)
    assert "decision" in exc.value.message_dict
    assert case.get_status_display() in exc.value.message_dict["decision"][0]
    case.refresh_from_db()
    assert case.status != Case.Status.SUSPENDED
    assert TimelineEvent.objects.filter(case=case).count() == before


def test_the_row_is_read_afresh_under_the_lock():
    case = _case()
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)  # another request moved it meanwhile
    with pytest.raises(StateConflict), transaction.atomic():
        with transition(case, expect=[Case.Status.INVESTIGATING], event="case.test_moved", actor=None):
            pass
    assert case.status == Case.Status.CLOSED


def test_an_exception_in_the_block_writes_nothing():
    case = _case()
    before = TimelineEvent.objects.filter(case=case).count()
    status = case.status
    with pytest.raises(RuntimeError, match="boom"), transaction.atomic():
        with transition(case, expect=None, event="case.test_moved", actor=None) as step:
            step.to(Case.Status.SUSPENDED)
            raise RuntimeError("boom")
    case.refresh_from_db()
    assert case.status == status
    assert TimelineEvent.objects.filter(case=case).count() == before


def test_the_kernel_refuses_to_run_outside_a_transaction(monkeypatch):
    case = _case()
    monkeypatch.setattr(connection, "in_atomic_block", False)  # as in autocommit, outside every service
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        lock(case)
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        with transition(case, expect=None, event="case.test_moved", actor=None, locked=True):
            pass


def test_expect_status_alone():
    case = _case()
    expect_status(case, [case.status])
    with pytest.raises(StateConflict):
        expect_status(case, ["no-such-status"], error_field="case_no")


def test_no_savepoint_is_written():
    case = _case()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        with transition(case, expect=[case.status], event="case.test_moved", actor=None) as step:
            step.set(media_reported=True)
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert not [s for s in sql if "SAVEPOINT" in s]
    assert any(s.startswith("UPDATE") and "MEDIA_REPORTED" in s for s in sql)
