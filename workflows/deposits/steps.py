"""What the deposits' steps do: each maps its form to one service of deposits (the process's artifact is the
drawdown or the advance). Signature: step(*, activation, actor, data)."""

from __future__ import annotations

from deposits import drawdown, fund

from ..nodes import routing_save


def artifact_of(activation):
    return activation.process.coerced.artifact


def bank_paid(*, activation, actor, data) -> None:
    drawdown.deposit_bank_paid(draw=artifact_of(activation), paid_on=data["paid_on"], actor=actor)


def topped_up(*, activation, actor, data) -> None:
    drawdown.deposit_topped_up(draw=artifact_of(activation), amount=data["amount"], on=data["on"], actor=actor)


def advance_decide(*, activation, actor, data) -> None:
    advance = fund.fund_advance_decide(advance=artifact_of(activation), approved=data["approved"],
                                       opinion=data["opinion"], paid_on=data.get("paid_on"), actor=actor)  # fmt: skip
    process = activation.process
    process.decision = "approved" if advance.status == advance.Status.PAID else "refused"
    routing_save(process)
