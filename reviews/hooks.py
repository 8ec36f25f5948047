"""How the written review reaches the flows above it without importing them (workflows.wiring sets it):

- ``filing_start(region=, proposal=, proposer=) -> FilingProposal``: start the filing flow (立案审批) of a
  proactive case from a validated proposal; the leader's approval files the case, and the filing step then calls
  ``reviews.findings.review_case_filed``."""

from __future__ import annotations

from collections.abc import Callable

from cases.models import FilingProposal

filing_start: Callable[..., FilingProposal] | None = None
