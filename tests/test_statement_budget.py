"""The statement budget of a task completion (bench P2, docs/performance.md): a statement count is
deterministic, so it is asserted here, not timed.

Targets: a plain step (a complaint refused) at or below vanilla viewflow's own step, 21 statements; an
acceptance (files the case and starts the investigation) at or below 40; and no savepoint written by the
kernel, the flow engine or the services. Counted as bench.intake counts: every statement from the claimed
task, loaded as the API loads it, to the list of tasks the step opened. In a test the whole run is inside
the test's transaction, so the completion's own transaction shows as one SAVEPOINT / RELEASE pair where
production writes BEGIN / COMMIT: the same number of statements, and the only savepoint allowed here.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Task

from cases.documents.kinds import sequence_kind
from cases.models import Case, Complaint, Document, OfficeSequence, Role
from tests import factories
from workflows import selectors, services

pytestmark = pytest.mark.django_db

PLAIN_STEP_MAX = 21  # vanilla viewflow's own View step (bench P2's vanilla figure)
ACCEPTANCE_MAX = 40
# Since issue 13 (item 10) both decisions also issue the complainant's written notice (不予受理告知书 /
# 受理通知书): its addressee, its number from the office's sequence, the office's names, the row and its
# timeline event. The steps keep their own budgets; the notice's statements come on top.
WRITTEN_NOTICE = 10
OWN_TRANSACTION = 2  # the completion's BEGIN/COMMIT, a SAVEPOINT/RELEASE pair inside the test's transaction


def _complete(decision: str, **data) -> tuple[list[str], Complaint, list[Task]]:
    complaint = factories.complaint("received")
    # the steady state: the office has already numbered a case and each notice this year (the first number of
    # a year inserts its sequence row under a savepoint: three statements, once per office, kind and year)
    notices = (Document.Kind.ACCEPTANCE_NOTICE, Document.Kind.NON_ACCEPTANCE_NOTICE)
    for kind in ("case", *map(sequence_kind, notices)):
        OfficeSequence.objects.get_or_create(region=complaint.region, year=timezone.localdate().year, kind=kind)
    clerk = factories.staff(Role.CLERK, complaint.region.code)
    task = Task.objects.get(flow_task_type="HUMAN", status="NEW", process__caseprocess__complaint=complaint)
    services.task_assign(task=task, actor=clerk)
    clerk = get_user_model().objects.get(pk=clerk.pk)  # a request's user
    task = selectors.task_for_user(clerk, task.pk)  # as the API loads it
    with CaptureQueriesContext(connection) as captured:
        opened = services.task_complete(task=task, actor=clerk, data={"decision": decision, **data})
    complaint.refresh_from_db()
    return [q["sql"] for q in captured.captured_queries], complaint, opened


def _savepoints(statements: list[str]) -> int:
    return sum(1 for sql in statements if sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")))


def test_a_refusal_completes_in_at_most_21_statements_plus_its_written_notice_without_a_savepoint():
    statements, complaint, opened = _complete("refuse", reason="系劳动争议，已告知申请劳动仲裁")
    assert complaint.status == Complaint.Status.REFUSED and opened == []
    assert len(statements) <= PLAIN_STEP_MAX + WRITTEN_NOTICE, "\n".join(statements)
    assert _savepoints(statements) == OWN_TRANSACTION, "\n".join(statements)


def test_an_acceptance_completes_in_at_most_40_statements_plus_its_written_notice_without_a_savepoint():
    statements, complaint, opened = _complete("accept")
    assert complaint.status == Complaint.Status.ACCEPTED
    assert Case.objects.filter(complaints=complaint).count() == 1
    assert len(opened) == 1 and opened[0].process.caseprocess.case_id == complaint.case_id  # the investigation's
    assert len(statements) <= ACCEPTANCE_MAX + WRITTEN_NOTICE, "\n".join(statements)
    assert _savepoints(statements) == OWN_TRANSACTION, "\n".join(statements)


def test_the_budgets_are_the_ones_stated():
    """The targets themselves (docs/performance.md, P2): a change of either is a decision, not a drift."""
    assert (PLAIN_STEP_MAX, ACCEPTANCE_MAX, WRITTEN_NOTICE) == (21, 40, 10)


def test_a_document_issued_inside_a_step_takes_no_savepoint_and_no_second_case_lock(tmp_path, settings):
    """document_issue in its caller's transaction: no SAVEPOINT; a caller holding the case row
    (case_locked=True) is spared the case's lock (one statement). (Each call's atomic() here opens its
    savepoint before the capture starts and releases it after.)"""
    from django.db import transaction

    from cases.documents import document_issue
    from cases.models import Document
    from cases.transitions import lock
    from tests import world

    settings.MEDIA_ROOT = str(tmp_path)
    case = world.make_case("360302")
    leader = factories.staff(Role.LEADER, "360302")

    def issue(**kwargs) -> list[str]:
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            document_issue(
                case=case,
                kind=Document.Kind.ORDER_TO_PAY,
                actor=leader,
                role=Role.LEADER,
                data={"due_date": "2026-12-15"},
                **kwargs,
            )
        return [q["sql"] for q in captured.captured_queries]

    issue()  # the office's first number of the year creates its sequence row (in a savepoint of its own)
    alone = issue()
    with transaction.atomic():
        lock(case)
        locked = issue(case_locked=True)
    assert _savepoints(alone) == 0 and _savepoints(locked) == 0

    # document_issue's own lock of the case (the timeline's lock of its subject reads "... IN (id) ORDER BY")
    lock_sql = 'SELECT "cases_case"."id" AS "pk" FROM "cases_case" WHERE "cases_case"."id" = '

    def case_locks(statements: list[str]) -> int:
        return sum(1 for sql in statements if sql.startswith(lock_sql))

    assert (case_locks(alone), case_locks(locked)) == (1, 0)
