"""The police answered in the system themselves (jointmeeting.police.referral_police_answer): the referral's
flow, waiting on the inspector's step "登记公安机关立案决定" (or "登记公安机关复议决定"), moves on without it —
the step is completed by the police user with the decision already recorded, so the next step (materials,
reconsideration request …) goes to the case's inspectors as usual. Wired in workflows.wiring."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import Referral

from ..models import CaseProcess
from ..nodes import routing_save
from .flow import ReferralFlow

ANSWER_STEPS = ("police_decision", "reconsideration_answer")


def police_answered(referral: Referral, actor, decision: str) -> None:
    """Complete the referral flow's open answer step (the police's decision is recorded) and route on."""
    kind = ContentType.objects.get_for_model(Referral)
    process_ids = CaseProcess.objects.filter(
        artifact_content_type=kind, artifact_object_id=referral.pk, flow_class=ReferralFlow
    ).values_list("pk", flat=True)
    for pk in process_ids:
        CaseProcess.objects.select_for_update().filter(pk=pk).values_list("pk").get()
        for task in Task.objects.filter(process_id=pk, status__in=[STATUS.NEW, STATUS.ASSIGNED]):
            node = task.flow_task
            if getattr(node, "name", "") not in ANSWER_STEPS:
                continue
            Task.objects.filter(pk=task.pk).update(owner=actor, status=STATUS.ASSIGNED, assigned=timezone.now())
            task.refresh_from_db()
            activation = node.activation_class(task)
            activation.start(SimpleNamespace(user=actor))
            activation.process.decision = decision
            routing_save(activation.process)
            activation.execute()
