"""Where the flow classes used to be defined: re-exported from their feature packages, so that imports
(`from workflows.flows import IntakeFlow`) and references stored before migration workflows.0004
("workflows/flows.IntakeFlow", resolved by viewflow's import_flow_by_ref) keep working.

Every flow lives in workflows/<feature>/flow.py (routing only), with its forms.py and steps.py, and starts.py for
what starts it from outside a step (manual starts, deadline and sweep handlers): starts -> flow -> steps, forms.
"""

from .intake.flow import EscalationFlow, IntakeFlow
from .investigation.flow import ExtensionFlow, FilingFlow, InvestigationFlow, order_deadline
from .nodes import ROW_LOCK, ZhiqianFlow, decided

__all__ = [
    "ROW_LOCK",
    "EscalationFlow",
    "ExtensionFlow",
    "FilingFlow",
    "IntakeFlow",
    "InvestigationFlow",
    "ZhiqianFlow",
    "decided",
    "order_deadline",
]
