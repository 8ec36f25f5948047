"""延长调查期限 (LSIR art 17): an assigned inspector asks, once, for 30 more working days; the leader decides.
The request is a row (ExtensionRequest), the process of the flow points at it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import timeline
from .actors import Actor
from .complainant_notices import case_complainants_tell
from .deadlines import RULES, deadline_extend
from .models import Case, Deadline, Decided, ExtensionRequest, Role
from .tx import one_transaction
from .values import required_text

INVESTIGATION = "investigation.complete"
OPEN = [Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.OVERDUE]


def _clock(case: Case) -> Deadline | None:
    return case.deadlines.filter(kind=INVESTIGATION, state__in=OPEN).order_by("-id").first()


def extension_request_check(*, case: Case) -> None:
    """May an extension still be asked for? (One only: LSIR art 17; the clock must be running.)"""
    deadline = _clock(case)
    if deadline is None:
        raise ValidationError({"case_no": _("该案件没有进行中的调查期限。")})
    if deadline.extensions.exists():
        raise ValidationError({"case_no": _("调查期限已延长过一次，不能再次延长。")})


@one_transaction
def case_extension_request(*, case: Case, actor: Actor, reason: str) -> ExtensionRequest:
    """The inspector's request: the row and the case's "case.extension_requested" event."""
    extension_request_check(case=case)
    request = ExtensionRequest.objects.create(case=case, reason=reason, requester=actor, requested_at=timezone.now())
    timeline.record(case, "case.extension_requested", actor=actor, role=Role.INSPECTOR, data={"reason": reason})
    return request


def _decided(request: ExtensionRequest | None, decision: str, actor: Actor, opinion: str = "") -> None:
    if request is not None:
        request.decision, request.opinion, request.decided_by = decision, opinion, actor
        request.decided_at = timezone.now()
        request.save(update_fields=["decision", "opinion", "decided_by", "decided_at"])


@one_transaction
def case_extend_investigation(
    *, case: Case, actor: Actor, reason: str, request: ExtensionRequest | None = None
) -> Deadline:
    """+30 working days, once, on the leader's approval (LSIR art 17). deadline_extend records the event."""
    deadline = _clock(case)
    if deadline is None:
        raise ValidationError({"case": _("该案件没有进行中的调查期限。")})
    extended = deadline_extend(
        deadline=deadline,
        length=RULES["investigation.extension"].length,
        reason=reason,
        approved_by=actor,
        role=Role.LEADER,
    )
    _decided(request, Decided.APPROVED, actor)
    due = timezone.localtime(extended.due_at).date().isoformat()
    case_complainants_tell(case=case, event="extended", actor=actor, role=Role.LEADER, reason=due)
    return extended


@one_transaction
def case_extension_refused(*, case: Case, actor: Actor, opinion: str, request: ExtensionRequest | None = None) -> Case:
    required_text(opinion, field="opinion")
    timeline.record(case, "case.extension_refused", actor=actor, role=Role.LEADER, data={"opinion": opinion})
    _decided(request, Decided.REFUSED, actor, opinion)
    return case
