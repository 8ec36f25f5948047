"""What the listing, removal and accountability steps do: each maps its form to one service of
accountability.listing / accountability.accountability (imported as `lst`, `acc`).

Signature: step(*, activation, actor, data). The process reaches its listing, removal application or
accountability one way: its artifact (`_artifact`). The manual starts and the hooks that start a flow when
the accountability app opens a row are here too (connected in workflows.wiring).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from accountability import accountability as acc
from accountability import listing as lst
from accountability.models import CreditListing, RemovalApplication

from ..models import CaseProcess
from ..nodes import routing_save


def artifact_of(activation):
    """The one way from a process of these flows to its row: the process's artifact."""
    return activation.process.coerced.artifact


def _route(activation, approved: bool, yes: str = "approved", no: str = "rejected") -> None:
    process = activation.process
    process.decision = yes if approved else no
    routing_save(process)


def listing_notice_serve(*, activation, actor, data) -> None:
    lst.listing_notice_serve(
        listing=artifact_of(activation),
        actor=actor,
        method=data["method"],
        served_at=data["served_at"],
        recipient=data["recipient"],
        proof=data.get("proof"),
    )


def listing_legal_review(*, activation, actor, data) -> None:
    listing = lst.listing_legal_review(
        listing=artifact_of(activation), actor=actor, approved=data["approved"], opinion=data["opinion"]
    )
    _route(activation, listing.status == CreditListing.Status.DECISION)


def listing_decide(*, activation, actor, data) -> None:
    listing = lst.listing_decide(
        listing=artifact_of(activation), actor=actor, approved=data["approved"], opinion=data["opinion"]
    )
    _route(activation, listing.status == CreditListing.Status.LISTED)


def removal_legal_review(*, activation, actor, data) -> None:
    application = lst.removal_review(
        application=artifact_of(activation), actor=actor, approved=data["approved"], opinion=data["opinion"]
    )
    _route(activation, application.status == RemovalApplication.Status.PENDING)


def removal_decide(*, activation, actor, data) -> None:
    application = lst.removal_decide(
        application=artifact_of(activation), actor=actor, approved=data["approved"], opinion=data["opinion"]
    )
    _route(activation, application.status == RemovalApplication.Status.GRANTED)


def accountability_facts_record(*, activation, actor, data) -> None:
    acc.accountability_facts_record(accountability=artifact_of(activation), actor=actor, facts=data["facts"])


def accountability_decide(*, activation, actor, data) -> None:
    acc.accountability_decide(
        accountability=artifact_of(activation), actor=actor, measure=data["measure"], reason=data["reason"]
    )


def accountability_notice_record(*, activation, actor, data) -> None:
    acc.accountability_notice_record(
        accountability=artifact_of(activation),
        actor=actor,
        method=data["method"],
        served_at=data["served_at"],
        recipient=data["recipient"],
    )


def process_for(obj) -> CaseProcess:
    """The flow process whose artifact `obj` is."""
    return CaseProcess.objects.get(
        artifact_content_type=ContentType.objects.get_for_model(obj), artifact_object_id=obj.pk
    )
