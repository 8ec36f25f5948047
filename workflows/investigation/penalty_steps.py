"""What the penalty procedure's steps do: each maps its form to one cases.penalty service."""

from __future__ import annotations

from cases import penalty


def case_pre_decision_serve(*, activation, actor, data) -> None:
    penalty.penalty_notice_serve(
        case=activation.process.case,
        actor=actor,
        method=data["method"],
        served_at=data["served_at"],
        recipient=data["recipient"],
        proof=data.get("proof"),
    )


def case_party_hearing(*, activation, actor, data) -> None:
    penalty.penalty_review(case=activation.process.case, actor=actor, outcome=data["outcome"], reasons=data["reasons"])
