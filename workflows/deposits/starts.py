"""What starts the deposits' flows: the hooks connected in workflows.wiring (a drawdown made, an advance asked
for), and the periodic check of top-ups past their day."""

from __future__ import annotations

from django.utils import timezone

from deposits.drawdown import deposit_topups_sweep
from deposits.models import DepositDraw, FundAdvance

from .flow import DepositDrawFlow, FundAdvanceFlow


def draw_flow_start(draw: DepositDraw) -> None:
    DepositDrawFlow.start.run(draw=draw)


def advance_flow_start(advance: FundAdvance) -> None:
    FundAdvanceFlow.start.run(advance=advance)


def topups_check(*, now) -> None:
    """Draws past their top-up day: marked missed, a fact on the case (deposits.drawdown)."""
    deposit_topups_sweep(today=timezone.localdate(now))
