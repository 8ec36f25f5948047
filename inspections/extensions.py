"""Extension points of 双随机一公开 filled by the flow layer (workflows.wiring.connect), so this app never
imports the flows above it.

- `filing_start(region=, proposal=, proposer=) -> FilingProposal`: a proactive filing proposal that a leader
  approves (立案审批). The flow layer sets it to start its FilingFlow (the leader gets the approval task);
  without the flow layer (scripts, this layer's own tests) the proposal row alone is made.
"""

from __future__ import annotations

from collections.abc import Callable

from cases.models import FilingProposal, Region
from cases.proactive import filing_propose


def _proposal_only(*, region: Region, proposal: dict, proposer) -> FilingProposal:
    return filing_propose(region=region, proposal=proposal, actor=proposer)


filing_start: Callable[..., FilingProposal] = _proposal_only
