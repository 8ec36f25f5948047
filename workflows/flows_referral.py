"""Moved to workflows/referral/ (flow, forms, steps). Re-exported here for importers and for the flow
references stored as "workflows/flows_referral.…" before migration workflows.0004."""

from .referral.flow import ReferralFlow
from .referral.forms import ReferralStartForm

__all__ = ["ReferralFlow", "ReferralStartForm"]
