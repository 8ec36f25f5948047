"""What the supervision steps do: each maps its form to one cases.supervision service.

Signature: step(*, activation, actor, data). The process reaches its supervision one way: its artifact
(`_supervision`). Each step moves the process's region to the office that acts next. The manual start and
the sweep's reactions (proposals, missed reports, overdue supervisions) are in .starts.
"""

from __future__ import annotations

from cases import supervision as supervision_services
from cases.models import Supervision

from ..nodes import routing_save


def supervision_of(process) -> Supervision:
    return Supervision.objects.select_related("case__region", "supervising_region").get(pk=process.artifact_object_id)


def supervision_confirm_decide(*, activation, actor, data) -> None:
    process = activation.process
    supervision = supervision_of(process)
    if data["approved"]:
        supervision_services.supervision_confirm(
            supervision=supervision, actor=actor, complex=data["complex"], requirements=data["requirements"]
        )
        process.region = supervision.case.region
        process.decision = "confirmed"
    else:
        supervision_services.supervision_decline(supervision=supervision, actor=actor, opinion=data["opinion"])
        process.decision = "declined"
    routing_save(process)


def supervision_notice_acknowledge(*, activation, actor, data) -> None:
    supervision_services.supervision_acknowledge(
        supervision=supervision_of(activation.process), actor=actor, note=data.get("note", "")
    )


def supervision_progress_report(*, activation, actor, data) -> None:
    process = activation.process
    supervision = supervision_of(process)
    if data["decision"] == "apply_close":
        supervision_services.supervision_apply_close(supervision=supervision, actor=actor, result=data["result"])
        process.region = supervision.supervising_region
    else:
        supervision_services.supervision_report(supervision=supervision, actor=actor, progress=data["progress"])
    process.decision = data["decision"]
    routing_save(process)


def supervision_closure_review(*, activation, actor, data) -> None:
    process = activation.process
    supervision = supervision_of(process)
    supervision_services.supervision_close(
        supervision=supervision, actor=actor, approved=data["approved"], opinion=data["opinion"]
    )
    if not data["approved"]:
        process.region = supervision.case.region
    process.decision = "approved" if data["approved"] else "returned"
    routing_save(process)


def supervision_alert_handle(*, activation, actor, data) -> None:
    process = activation.process
    supervision_services.supervision_alert_handled(
        supervision=supervision_of(process), actor=actor, kind=process.decision, note=data["note"]
    )
