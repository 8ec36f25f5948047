"""What starts the signal flows: the sweep's periodic checks (a flow for each open signal without one; the
escalation of red signals past their due day; once a day the other sources and the monthly check of the
projects whose pay day passed) and the manual start (listed in workflows.wiring.STARTABLE)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.models import CreditListing
from cases import scope
from cases.models import Region
from earlywarning import services, sources
from earlywarning.checks.run import projects_check_due
from earlywarning.models import Signal
from projects.models import Project, ProjectUnit

from ..models import CaseProcess
from .flow import SignalEscalationFlow, SignalFlow

logger = logging.getLogger(__name__)
FLOW_REF = "workflows/earlywarning.flow.SignalFlow"


def _with_flow():
    ct = ContentType.objects.get_for_model(Signal)
    return CaseProcess.objects.filter(artifact_content_type=ct, flow_class=SignalFlow).values("artifact_object_id")


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


def signal_enter_from_form(actor, cleaned: dict) -> Signal:
    """A signal entered by hand: at the project's office (its number) or at an office the user handles."""
    offices = scope.regions_with(actor, scope.Right.PROPOSE)
    project = unit = None
    if cleaned.get("project_no"):
        project = Project.objects.select_related("region").filter(project_no=cleaned["project_no"].strip()).first()
        if project is None or not scope.can(actor, scope.Right.PROPOSE, region=project.region):
            raise ValidationError({"project_no": [_("没有该项目，或该项目不在本人所在机构管辖区域内。")]})
        region = project.region
        unit = project.units.filter(role=ProjectUnit.Role.GENERAL).first()
    else:
        code = (cleaned.get("region_code") or "").strip()
        region = Region.objects.filter(code=code).first() if code else None
        if code and (region is None or region.pk not in offices):
            raise ValidationError({"region_code": [_("只能在本人所在机构录入预警线索。")]})
        region = region or Region.objects.get(pk=offices[0])
    return sources.signal_enter(
        actor=actor, region=region, source=cleaned["source"], level=cleaned["level"], facts=cleaned["facts"],
        project=project, unit=unit, workers=cleaned.get("workers") or 0, amount=cleaned.get("amount") or 0,
    )  # fmt: skip


def signal_start(actor, form):
    signal = signal_enter_from_form(actor, form.cleaned_data)
    return SignalFlow.start.run(signal=signal)
