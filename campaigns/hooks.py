"""What campaigns needs from the layers above it, set by workflows.wiring (campaigns never imports workflows):

- `case_proposer(region, proposal, actor) -> FilingProposal`: starts the filing flow's proactive proposal
  (立案审批) for a hazard turned into a case; the leader's approval files the case, and the flow's step calls
  campaigns.services.hazard_case_filed."""

from __future__ import annotations

from collections.abc import Callable

case_proposer: Callable | None = None
