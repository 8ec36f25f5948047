"""What happens when: every deadline kind with its handlers, every domain event with what it starts, every
periodic check and every flow a user may start by hand — in one place, read top to bottom.

WorkflowsConfig.ready() calls connect() once; a second call adds nothing (a flag, and the registries ignore a
function already registered). Nothing is found by scanning modules.

Deadline kinds (cases.deadlines.RULES) and where each rule is defined:

    kind                            rule defined in (at its import)   handlers (below)
    intake.acceptance               cases.deadlines.rules             overdue_many: complaints_escalate
    investigation.complete          cases.deadlines.rules             overdue_many "*" (accountability)
    investigation.decide            cases.deadlines.rules             overdue_many "*" (accountability)
    investigation.extension         cases.deadlines.rules             —
    listing.defence                 cases.deadlines.rules             — (ListingFlow's Timer reads it)
    police.decide                   cases.deadlines.rules             —
    referral.approve                cases.deadlines.rules             overdue_many "*" (accountability)
    referral.transfer               cases.deadlines.rules             overdue_many "*" (accountability)
    referral.handover               cases.referral.rules              —
    referral.reconsider_request     cases.referral.rules              —
    police.reconsider               cases.referral.rules              —
    referral.procuratorate_request  cases.referral.rules              —
    service.order_to_correct        cases.documents.service_clock     —
    service.order_to_pay            cases.documents.service_clock     —
    service.handling_decision       cases.documents.service_clock     —
    service.penalty_decision        cases.documents.service_clock     —
    service.compensation_order      cases.documents.service_clock     —
    service.listing_notice          cases.documents.service_clock     —
    service.listing_decision        cases.documents.service_clock     —
    service.demand_notice           cases.documents.service_clock     —
    enforcement.reconsideration     cases.enforcement.rules           —
    enforcement.litigation          cases.enforcement.rules           —
    enforcement.demand              cases.enforcement.rules           —
    enforcement.court_apply         cases.enforcement.rules           —
    complainant.notice              cases.complainant_notices         — (overdue: shown on the case page)
    penalty.notice_serve            cases.penalty.rules               —
    penalty.statement               cases.penalty.rules               — (the party's window: the review waits)
    penalty.hearing_request         cases.penalty.rules               — (the party's window: the review waits)
    penalty.hearing_notice          cases.penalty.rules               —
    penalty.fine_payment            cases.penalty.rules               — (the party's window: the flow's timer)
    supervision.complete            cases.deadlines.rules             overdue_many: supervisions_overdue
    supervision.report              cases.deadlines.rules             overdue_many: supervisions_report_missed
    supervision.report_grace        cases.supervision.rules           overdue_many: ..._report_still_missing
    listing.term                    accountability.listing.common     overdue: listing_term_overdue
    accountability.case_overdue     accountability.official.opening   overdue: case_overdue_watch_due
    deposit.bank_pay                deposits.drawdown                 — (DepositDrawFlow's step waits for it)
    deposit.topup                   deposits.drawdown                 — (a missed top-up: periodic topups_check)
    signal.explain                  earlywarning.explanation          — (the unit's window: the inspector records it)
    inspection.rectify              inspections.clocks                — (overdue: shown on the inspection page)
    inspection.publish              inspections.clocks                overdue: reminders.publication_overdue
                                                                      (registered by InspectionsConfig.ready)
    review.window                   reviews.rules (reviews.apps)      warning: window_warned (reminder letters),
                                                                      overdue: window_overdue (the window closes)
    review.rectify                  reviews.rules (reviews.apps)      —
    campaign.hazard_resolve         campaigns.services                overdue: hazard_overdue (the hazard's state)
    jointmeeting.matter             jointmeeting.clocks (its ready())  overdue: joint_clocks.matter_overdue
    jointmeeting.followup           jointmeeting.clocks (its ready())  overdue: joint_clocks.matter_overdue
    arbitration.accept              arbitration.rules                 — (shown; the commission's user acts)
    arbitration.tribunal            arbitration.rules                 — (shown; the commission's user acts)
    arbitration.award               arbitration.rules                 — (shown; +15 once, the chair approves)
    legal_aid.review                arbitration.rules                 — (shown; the legal-aid centre acts)
    legal_aid.assign                arbitration.rules                 — (shown; the legal-aid centre acts)
    * (any kind)                    —                                 overdue_many: case_deadlines_overdue
                                                                      (acts on CASE_DUTY_KINDS only)

Every overdue deadline (whatever its kind) also gets its "deadline.overdue" timeline event from the sweep
itself (cases.deadlines.sweep); the handlers above are what the flows and the accountability app add.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The modules whose import registers deadline rules (see the table above): imported here, explicitly.
import accountability.accountability as acc
import accountability.listing as lst
import cases.complainant_notices  # noqa: F401  (rule: complainant.notice)
import cases.enforcement  # noqa: F401  (rules: enforcement.*; cases.documents registers service.*)
import cases.penalty  # noqa: F401  (rules: penalty.notice_serve, penalty.statement, penalty.hearing_*)
import cases.referral  # noqa: F401  (rules: referral.handover, referral.reconsider_request, police.*, …)
from campaigns import hooks as campaign_hooks
from cases import deadlines
from cases import supervision as supervision_services
from deposits.drawdown import on_deposit_drawn
from deposits.fund import on_advance_requested
from earlywarning.selectors import open_signals_by_region
from indicators import extensions as coverage_extensions
from inspections import extensions as inspection_extensions
from jointmeeting import clocks as joint_clocks
from jointmeeting import police as joint_police
from reviews import hooks as review_hooks

from . import starts, sweep
from .accountability import flow as accountability_flow
from .accountability import forms as accountability_forms
from .accountability import starts as accountability_starts
from .deposits import flow as deposits_flow
from .deposits import starts as deposits_starts
from .earlywarning import flow as earlywarning_flow
from .earlywarning import forms as earlywarning_forms
from .earlywarning import starts as earlywarning_starts
from .intake import flow as intake_flow
from .intake import starts as intake_starts
from .investigation import flow as investigation_flow
from .investigation import forms as investigation_forms
from .investigation import starts as investigation_starts
from .referral import flow as referral_flow
from .referral import forms as referral_forms
from .referral import police as referral_police
from .referral import starts as referral_starts
from .starts import Startable
from .supervision import flow as supervision_flow
from .supervision import forms as supervision_forms
from .supervision import starts as supervision_starts

# --- the flows (workflows/<feature>/flow.py); imported here, so every one is loaded at start-up -----------------

FLOWS = [
    intake_flow.IntakeFlow,  # a complaint: acceptance within 5 working days (SPEC §4.1)
    intake_flow.EscalationFlow,  # started by "intake.acceptance" overdue (below)
    investigation_flow.InvestigationFlow,  # a filed case (started by IntakeFlow / FilingFlow)
    investigation_flow.FilingFlow,  # startable "filing"
    investigation_flow.ExtensionFlow,  # startable "extension"
    supervision_flow.SupervisionFlow,  # startable "supervision"; proposals by a periodic check (below)
    supervision_flow.SupervisionAlertFlow,  # started by "supervision.report(_grace)" overdue, supervision overdue
    referral_flow.ReferralFlow,  # startable "referral"
    accountability_flow.ListingFlow,  # startable "listing"
    accountability_flow.RemovalFlow,  # started when a removal is applied for (below)
    accountability_flow.AccountabilityFlow,  # started when an accountability is opened (below)
    earlywarning_flow.SignalFlow,  # one per open warning signal (a periodic check below); startable "signal"
    earlywarning_flow.SignalEscalationFlow,  # a red signal past its due day (a periodic check below)
    deposits_flow.DepositDrawFlow,  # started when a deposit is drawn on a case (below)
    deposits_flow.FundAdvanceFlow,  # started when an advance from the emergency wage fund is asked for (below)
]

# --- deadlines: kind → what the sweep calls, in its transaction -------------------------------------------

# on_warning(kind, fn): fn(deadline, now) when a deadline is warned. None today.
WARNING: list[tuple[str, object]] = []

# on_overdue(kind, fn): fn(deadline, now) when one deadline of the kind becomes overdue.
OVERDUE = [
    # The listing's 3-year term ends with its deadline's overdue transition (exactly once, by the sweep).
    (lst.TERM, lst.listing_term_overdue),
    # The accountability watch on a case overdue past the province's limit ran out: accountability opens.
    (acc.WATCH, acc.case_overdue_watch_due),
    # A 督办/约谈 of the joint meeting ran out, or its 约谈 follow-up: the matter is overdue (the office's leader).
    (joint_clocks.MATTER, joint_clocks.matter_overdue),
    (joint_clocks.FOLLOWUP, joint_clocks.matter_overdue),
]

# on_overdue_many(kind, fn): fn(deadlines, now) once per sweep batch with the batch's overdue deadlines.
OVERDUE_MANY = [
    # SPEC §4.1 step 6: an undecided complaint past 5 working days → EscalationFlow for the office's leader.
    ("intake.acceptance", intake_starts.complaints_escalate),
    # SPEC §4.5b: a duty deadline of a case overdue for longer than the province allows → accountability watch.
    (deadlines.ANY_KIND, acc.case_deadlines_overdue),
    # SPEC §4.3: the supervision's own deadline → OVERDUE, then the supervision-overdue hooks (below).
    (supervision_services.COMPLETE, supervision_services.supervisions_overdue),
    # A report interval ran out → a reminder and SupervisionAlertFlow "reminder" for the case office's leader.
    (supervision_services.REPORT, supervision_starts.supervisions_report_missed),
    # Still no report one interval later → SupervisionAlertFlow "missed_report" for the supervising office.
    (supervision_services.GRACE, supervision_starts.supervisions_report_still_missing),
]

# --- domain events → what they start ------------------------------------------------------------------------

# A supervision ran out (cases.supervision.on_supervision_overdue), in this order:
SUPERVISION_OVERDUE = [
    acc.accountability_for_supervision_overdue,  # SPEC §4.3 step 3: an accountability is opened
    supervision_starts.supervision_next_level_notify,  # SupervisionAlertFlow "overdue" for the next level up
]
# An accountability was opened (accountability.accountability.on_accountability_opened) → AccountabilityFlow.
ACCOUNTABILITY_OPENED = [accountability_starts.accountability_flow_start]
# An employer applied for early removal from the list (accountability.listing.on_removal_applied) → RemovalFlow.
REMOVAL_APPLIED = [accountability_starts.removal_flow_start]
# A deposit drawn on a case (deposits.drawdown.on_deposit_drawn) → DepositDrawFlow (bank paid, topped up).
DEPOSIT_DRAWN = [deposits_starts.draw_flow_start]
# An advance asked for (deposits.fund.on_advance_requested) → FundAdvanceFlow (the leader's approval).
ADVANCE_REQUESTED = [deposits_starts.advance_flow_start]
# The police answered a referral themselves (jointmeeting.police.on_police_answered) → ReferralFlow moves on.
POLICE_ANSWERED = [referral_police.police_answered]

# --- periodic checks: called as check(now=now) on every minute sweep (workflows.sweep), in this order --------

PERIODIC_CHECKS = [
    lst.listings_expire_due,  # a safety net for listing.term: idempotent, served by the index "listing_expiry"
    supervision_starts.supervision_proposals_check,  # SupervisionFlow.start_proposal for cases the rules cover
    earlywarning_starts.signals_flows_open,  # SignalFlow for each open warning signal without one
    earlywarning_starts.signals_escalate_check,  # red signals past their due day → the leader
    deposits_starts.topups_check,  # drawdowns past their top-up day: missed, a fact on the case
]

# --- flows a user may start by hand (GET /api/v1/flows/), in this order -----------------------------------------

STARTABLE = [
    Startable(
        "filing", _("主动立案（立案审批）"), investigation_forms.FilingStartForm,
        investigation_starts.filing_may_start, investigation_starts.filing_start,
    ),
    Startable(
        "extension", _("申请延长调查期限"), investigation_forms.ExtensionStartForm,
        investigation_starts.extension_may_start, investigation_starts.extension_start,
    ),
    Startable(
        "listing", _("列入失信联合惩戒名单（拟列入）"), accountability_forms.ListingStartForm,
        accountability_starts.listing_may_start, accountability_starts.listing_start,
    ),
    Startable(
        "accountability", _("启动问责（下级机构）"), accountability_forms.AccountabilityStartForm,
        accountability_starts.accountability_may_start, accountability_starts.accountability_start,
    ),
    Startable(
        "referral", _("涉嫌犯罪案件移送"), referral_forms.ReferralStartForm,
        referral_starts.referral_may_start, referral_starts.referral_start,
    ),
    Startable(
        "supervision", _("挂牌督办"), supervision_forms.SupervisionStartForm,
        supervision_services.may_supervise, supervision_starts.supervision_flow_start,
    ),
    Startable(
        "signal", _("录入欠薪预警线索"), earlywarning_forms.SignalStartForm,
        earlywarning_starts.signal_may_start, earlywarning_starts.signal_start,
    ),
]  # fmt: skip

_connected = False


def connect() -> None:
    """Fill the registries from the lists above. Idempotent."""
    global _connected
    if _connected:
        return
    for kind, fn in WARNING:
        deadlines.on_warning(kind, fn)
    for kind, fn in OVERDUE:
        deadlines.on_overdue(kind, fn)
    for kind, fn in OVERDUE_MANY:
        deadlines.on_overdue_many(kind, fn)
    for fn in SUPERVISION_OVERDUE:
        supervision_services.on_supervision_overdue(fn)
    for fn in ACCOUNTABILITY_OPENED:
        acc.on_accountability_opened(fn)
    for fn in REMOVAL_APPLIED:
        lst.on_removal_applied(fn)
    for fn in DEPOSIT_DRAWN:
        on_deposit_drawn(fn)
    for fn in ADVANCE_REQUESTED:
        on_advance_requested(fn)
    for fn in POLICE_ANSWERED:
        joint_police.on_police_answered(fn)
    for check in PERIODIC_CHECKS:
        if check not in sweep.PERIODIC_CHECKS:
            sweep.PERIODIC_CHECKS.append(check)
    for startable in STARTABLE:
        starts.register(startable)
    # the coverage indicators' open signals by level (indicators sits above earlywarning; neither knows the other)
    coverage_extensions.open_signals = open_signals_by_region
    coverage_extensions.signal_list_url = _signal_list_url
    # a double-random inspection's not-corrected rectification: a proactive proposal through FilingFlow
    inspection_extensions.filing_start = investigation_starts.filing_from_inspection
    # a campaign hazard turned into a case: the filing flow's proactive proposal (campaigns sits below workflows)
    campaign_hooks.case_proposer = _campaign_case_propose
    # the written review proposes a proactive case through the filing flow (reviews sits below workflows)
    review_hooks.filing_start = investigation_starts.filing_proposal_start
    _connected = True


def _campaign_case_propose(*, region, proposal: dict, actor):
    from cases.models import FilingProposal

    process = investigation_flow.FilingFlow.start.run(region=region, proposal=proposal, proposer=actor)
    return FilingProposal.objects.get(pk=process.artifact_object_id)


def _signal_list_url(region_code: str, level: str, own: bool) -> str:
    query = {"region": region_code, "level": level, "status": "active", **({"own": "1"} if own else {})}
    return reverse("earlywarning:index") + "?" + urlencode(query)
