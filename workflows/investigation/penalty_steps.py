"""What the penalty procedure's steps do: each maps its form to one cases.penalty service."""

from __future__ import annotations

from cases import penalty

from . import steps


def case_decide(*, activation, actor, data) -> None:
    """拟定处理意见: the causes chosen are added to the case first (an order to correct names them)."""
    case = activation.process.case
    present = penalty.violations_of(case)
    for violation in data.get("causes") or []:
        if violation not in present:
            penalty.case_cause_add(case=case, actor=actor, violation=violation, note="")
    steps.case_decide(activation=activation, actor=actor, data=data)


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
