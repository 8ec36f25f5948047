"""Moved to workflows/supervision/ (flow, forms, steps). Re-exported here for importers and for the flow
references stored as "workflows/flows_supervision.…" before migration workflows.0004."""

from .supervision.flow import SupervisionAlertFlow, SupervisionFlow
from .supervision.forms import AcknowledgeForm, AlertForm, ConfirmForm, ReportForm, SupervisionStartForm

__all__ = ["AcknowledgeForm", "AlertForm", "ConfirmForm", "ReportForm", "SupervisionAlertFlow", "SupervisionFlow",
           "SupervisionStartForm"]  # fmt: skip
