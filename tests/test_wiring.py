"""workflows.wiring: every deadline kind has the handlers the old ready()-scan registered, every hook, periodic
check and startable flow is there, a second ready() registers nothing twice; and migration workflows.0004
moves the stored flow references and the referral id of Process.data to the process's artifact, and back."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

import accountability.accountability as acc
import accountability.listing as lst
from accountability.listing import removal as removal_module
from accountability.official import opening
from cases import deadlines, referral
from cases import supervision as supervision_services
from cases.deadlines import handlers
from cases.models import Referral
from cases.supervision import sweep as supervision_sweep
from tests import world
from workflows import starts, sweep, wiring
from workflows.models import CaseProcess
from workflows.referral.flow import ReferralFlow
from workflows.supervision import starts as supervision_starts

flow_references = importlib.import_module("workflows.migrations.0004_flow_references")


def name(fn) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


# What the old scan (WorkflowsConfig.ready over workflows/flows_*.py, deadline_handlers.register() and
# AccountabilityConfig.ready) registered, by its new name (old name in the comment).
EXPECTED_DEADLINE_HANDLERS = {
    ("overdue", "accountability.case_overdue"): ["accountability.official.overdue.case_overdue_watch_due"],
    ("overdue", "listing.term"): ["accountability.listing.decision.listing_term_overdue"],
    ("overdue_many", "*"): ["accountability.official.overdue.case_deadlines_overdue"],
    # workflows.deadline_handlers.acceptance_overdue
    ("overdue_many", "intake.acceptance"): ["workflows.intake.starts.complaints_escalate"],
    ("overdue_many", "supervision.complete"): ["cases.supervision.sweep.supervisions_overdue"],
    # workflows.flows_supervision.reports_missed
    ("overdue_many", "supervision.report"): ["workflows.supervision.starts.supervisions_report_missed"],
    # workflows.flows_supervision.reports_still_missing
    ("overdue_many", "supervision.report_grace"): ["workflows.supervision.starts.supervisions_report_still_missing"],
}
# Kinds that have no handler of their own: the sweep's "deadline.overdue" event (and "*") is all they get.
NO_HANDLER = {
    "investigation.complete", "investigation.decide", "investigation.extension", "listing.defence", "police.decide",
    "referral.approve", "referral.transfer", "referral.handover", "referral.reconsider_request", "police.reconsider",
    "referral.procuratorate_request",
    # issue 13: the service clocks (row 10) and the enforcement clocks (rows 18, 20-22) are shown, not acted on
    *(f"service.{k}" for k in ("order_to_correct", "order_to_pay", "handling_decision", "penalty_decision",
                               "compensation_order", "listing_notice", "listing_decision", "demand_notice")),
    "enforcement.reconsideration", "enforcement.litigation", "enforcement.demand", "enforcement.court_apply",
    "complainant.notice",
    "penalty.notice_serve", "penalty.statement", "penalty.hearing_request",
    "penalty.hearing_notice", "penalty.fine_payment",
    # issue 17: the bank's payment from a deposit (a step waits for it), a top-up (the periodic check marks a miss)
    "deposit.bank_pay", "deposit.topup",
    # issue 19: the arbitration commission's and the legal-aid centre's clocks are shown, the offices act
    "arbitration.accept", "arbitration.tribunal", "arbitration.award", "legal_aid.review", "legal_aid.assign",
}  # fmt: skip
EXPECTED_HOOKS = {
    # accountability.apps' guarded registration, then workflows.flows_supervision.next_level_notify
    "supervision_overdue": [
        "accountability.official.opening.accountability_for_supervision_overdue",
        "workflows.supervision.starts.supervision_next_level_notify",
    ],
    "removal_applied": ["workflows.accountability.starts.removal_flow_start"],
    "accountability_opened": ["workflows.accountability.starts.accountability_flow_start"],
    "periodic": [
        "accountability.listing.decision.listings_expire_due",
        "workflows.supervision.starts.supervision_proposals_check",  # flows_supervision.proposals_check
        "workflows.earlywarning.starts.signals_flows_open",
        "workflows.earlywarning.starts.signals_escalate_check",
        "workflows.deposits.starts.topups_check",  # issue 17: drawdowns past their top-up day
    ],
    "startable": ["filing", "extension", "listing", "accountability", "referral", "supervision", "signal"],
}


def registered() -> dict:
    """Every registry the wiring fills, as names (lists: order and duplicates count)."""
    out = {}
    for registry, handlers_by_kind in [
        ("warning", handlers._warning_handlers),
        ("overdue", handlers._overdue_handlers),
        ("overdue_many", handlers._overdue_batch_handlers),
    ]:
        for kind, fns in handlers_by_kind.items():
            if fns:
                out[(registry, kind)] = [name(fn) for fn in fns]
    out["supervision_overdue"] = [name(fn) for fn in supervision_sweep.OVERDUE_HOOKS]
    out["removal_applied"] = [name(fn) for fn in removal_module._removal_hooks]
    out["accountability_opened"] = [name(fn) for fn in opening._opened_hooks]
    out["periodic"] = [name(fn) for fn in sweep.PERIODIC_CHECKS]
    out["startable"] = list(starts.STARTABLE)
    return out


def test_every_deadline_kind_has_the_handlers_the_old_scan_registered():
    now = registered()
    for key, expected in EXPECTED_DEADLINE_HANDLERS.items():
        assert now.get(key) == expected, key
    kinds = set(deadlines.RULES)
    handled = {kind for (_, kind) in EXPECTED_DEADLINE_HANDLERS if kind != deadlines.ANY_KIND}
    # every kind is decided: handled, or knowingly without a handler (a new kind must be added to one of them)
    assert kinds == handled | NO_HANDLER
    # and listed in the wiring module's table
    for kind in kinds:
        assert f"    {kind} " in wiring.__doc__, kind
    # the rules registered at import by listing, accountability, referral and supervision are there
    assert {lst.TERM, acc.WATCH, referral.HANDOVER, supervision_services.GRACE} <= kinds
    assert not any(registry == "warning" for registry, *_ in [k for k in now if isinstance(k, tuple)])


def test_every_hook_periodic_check_and_startable_flow_is_wired():
    now = registered()
    for key, expected in EXPECTED_HOOKS.items():
        assert now[key] == expected, key


def test_ready_twice_registers_nothing_twice(monkeypatch):
    before = registered()
    apps.get_app_config("workflows").ready()
    apps.get_app_config("accountability").ready()
    assert registered() == before
    # even past the flag: the lists of the wiring module and the registries ignore what they already hold
    monkeypatch.setattr(wiring, "_connected", False)
    wiring.connect()
    assert registered() == before


def test_the_apps_scan_nothing_and_guard_nothing():
    import inspect

    import accountability.apps
    import workflows.apps

    assert "pkgutil" not in inspect.getsource(workflows.apps)
    assert "ImportError" not in inspect.getsource(accountability.apps)
    assert "ready" not in vars(accountability.apps.AccountabilityConfig)


def test_the_wiring_lists_the_flow_layer_functions_it_connects():
    assert supervision_starts.supervision_next_level_notify in wiring.SUPERVISION_OVERDUE
    assert acc.accountability_for_supervision_overdue in wiring.SUPERVISION_OVERDUE


# --- migration workflows.0004 ----------------------------------------------------------------------------


def _refs(process_pk: int) -> tuple[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT flow_class FROM viewflow_process WHERE id = %s", [process_pk])
        flow_class = cursor.fetchone()[0]
        cursor.execute("SELECT flow_task FROM viewflow_task WHERE process_id = %s ORDER BY id", [process_pk])
        return flow_class, [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_migration_0004_moves_the_stored_references_and_the_referral_id_and_back():
    editor = SimpleNamespace(connection=connection)
    case = world.make_case("360302")
    inspector = world.user("inspector", "360302")
    proposed = Referral.objects.create(case=case, proposed_by=inspector, proposed_at=timezone.now())
    process = ReferralFlow.start.run(case=case, referral=proposed)
    new_class, new_tasks = _refs(process.pk)
    assert new_class == "workflows/referral.flow.ReferralFlow"
    assert new_tasks and all(t.startswith("workflows/referral.flow.ReferralFlow.") for t in new_tasks)
    referral_pk = process.artifact_object_id
    assert referral_pk and process.data.get("referral") is None

    flow_references.backwards(apps, editor)
    old_class, old_tasks = _refs(process.pk)
    assert old_class == "workflows/flows_referral.ReferralFlow"
    assert old_tasks == [t.replace("workflows/referral.flow.", "workflows/flows_referral.") for t in new_tasks]
    old = CaseProcess.objects.get(pk=process.pk)
    assert old.data["referral"] == referral_pk and old.artifact_object_id is None
    assert old.flow_class is ReferralFlow  # an old reference still resolves (workflows.flows_referral re-exports)

    flow_references.forwards(apps, editor)
    assert _refs(process.pk) == (new_class, new_tasks)
    moved = CaseProcess.objects.get(pk=process.pk)
    assert moved.artifact == process.artifact and "referral" not in moved.data


def test_migration_0004_moves_every_flow_to_the_reference_viewflow_now_derives():
    from viewflow.workflow.fields import get_flow_ref, import_flow_by_ref

    # flows written after the move are in their packages from the start (issue 17: the deposits' flows)
    newer = {"workflows/deposits.flow.DepositDrawFlow", "workflows/deposits.flow.FundAdvanceFlow",
             "workflows/earlywarning.flow.SignalFlow", "workflows/earlywarning.flow.SignalEscalationFlow"}  # fmt: skip
    refs = sorted(get_flow_ref(f) for f in wiring.FLOWS)
    assert [r for r in refs if r not in newer] == sorted(flow_references.MOVES.values())
    for old, new in flow_references.MOVES.items():
        assert import_flow_by_ref(old) is import_flow_by_ref(new)  # the old modules re-export the classes
