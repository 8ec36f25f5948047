"""What starts the signal flows: the sweep's periodic checks (a flow for each open signal without one; the
escalation of red signals past their due day; once a day the other sources and the monthly check of the
projects whose pay day passed) and the manual start (listed in workflows.wiring.STARTABLE)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.status import PROCESS

from accountability.models import CreditListing
from cases import scope
from earlywarning import services, sources
from earlywarning.checks.run import projects_check_due
from earlywarning.models import Signal

from ..models import CaseProcess
from .flow import SignalEscalationFlow, SignalFlow

logger = logging.getLogger(__name__)


def _with_flow():
    """Signals with a SignalFlow still running (a signal resolved and raised again gets a new one)."""
    ct = ContentType.objects.get_for_model(Signal)
    running = CaseProcess.objects.filter(artifact_content_type=ct, flow_class=SignalFlow, status=PROCESS.NEW)
    return running.values("artifact_object_id")


def signals_flows_open(*, now: datetime) -> int:
    """PERIODIC_CHECKS: a SignalFlow for each open signal that has none yet (new or reopened signals)."""
    opened = 0
    for signal in Signal.objects.filter(status=Signal.Status.OPEN).exclude(pk__in=_with_flow()).order_by("pk"):
        try:
            with transaction.atomic():
                SignalFlow.start.run(signal=signal)
                opened += 1
        except Exception:
            logger.exception("signal flow for signal %s failed; retried next sweep", signal.pk)
    return opened


def signals_escalate_check(*, now: datetime) -> int:
    """PERIODIC_CHECKS: a red signal not handled by its due day → SignalEscalationFlow for its office's leader."""
    escalated = 0
    for signal in services.signals_due_for_escalation(now):
        with transaction.atomic():
            if services.signal_escalate(signal=signal, now=now):
                SignalEscalationFlow.start.run(signal=signal)
                escalated += 1
    return escalated


def listed_employer_ids() -> list[int]:
    return list(CreditListing.objects.filter(status=CreditListing.Status.LISTED).values_list("employer_id", flat=True))


def signals_daily(*, now: datetime | None = None) -> dict:
    """Celery beat, daily: the monthly check of projects whose pay day passed, then the other sources."""
    now = now or timezone.now()
    checked = projects_check_due(now=now)
    found = sources.sources_check(listed_employer_ids=listed_employer_ids(), now=now)
    return {"projects": checked.projects, **checked.outcomes, **found}


# --- the manual start (listed in workflows.wiring.STARTABLE) ------------------------------------------


def signal_may_start(user) -> bool:
    return bool(scope.regions_with(user, scope.Right.PROPOSE))


def signal_start(actor, form):
    signal = sources.signal_enter_for(actor, form.cleaned_data)
    return SignalFlow.start.run(signal=signal)
