"""Moved to workflows/accountability/ (flow, forms, steps). Re-exported here for importers and for the flow
references stored as "workflows/flows_accountability.…" before migration workflows.0004."""

from .accountability.flow import AccountabilityFlow, ListingFlow, RemovalFlow
from .accountability.forms import AccountabilityStartForm, ListingStartForm, PersonsField
from .accountability.steps import process_for

__all__ = ["AccountabilityFlow", "AccountabilityStartForm", "ListingFlow", "ListingStartForm", "PersonsField",
           "RemovalFlow", "process_for"]  # fmt: skip
