"""Core domain models. No viewflow, no accountability imports here (layers point inward)."""

from .cases import (
    MONEY,
    Case,
    CaseGroupObjectPermission,
    CaseInspector,
    CaseParty,
    CaseUserObjectPermission,
    Channel,
    ClosureCode,
    Complaint,
    Decision,
    OfficeSequence,
    Satisfaction,
)
from .config import ProvinceConfig
from .deadlines import Deadline, DeadlineExtension, DeadlinePause, WorkdayOverride
from .enforcement import Enforcement
from .investigation import (
    ArrearsEntry,
    Decided,
    Document,
    Evidence,
    ExtensionRequest,
    FilingProposal,
    InvestigationRecord,
    Payment,
    ServiceRecord,
)
from .liable import CaseLiableUnit, LiableBasis, LiableRole
from .notifications import Notification
from .parties import Employer, EmployerChange, Party, PersonMerge, Project
from .penalty import VIOLATED, CaseCause, Hearing, LegalBasis, PartyStatement, PenaltyProcedure, Violation
from .regions import Region, Role, StaffRole
from .stats import RegionDayStats, RegionMonthStats
from .supervision import Referral, Supervision, SupervisionReport
from .timeline import AppendOnlyQuerySet, ChainCheck, TimelineEvent

__all__ = [
    "CaseLiableUnit",
    "LiableBasis",
    "LiableRole",
    "MONEY",
    "AppendOnlyQuerySet",
    "ArrearsEntry",
    "Case",
    "ProvinceConfig",
    "CaseCause",
    "Hearing",
    "LegalBasis",
    "PartyStatement",
    "PenaltyProcedure",
    "VIOLATED",
    "Violation",
    "Referral",
    "Enforcement",
    "Supervision",
    "SupervisionReport",
    "Decided",
    "Document",
    "ExtensionRequest",
    "FilingProposal",
    "Evidence",
    "InvestigationRecord",
    "Payment",
    "ServiceRecord",
    "ClosureCode",
    "Decision",
    "Satisfaction",
    "CaseInspector",
    "CaseGroupObjectPermission",
    "CaseParty",
    "CaseUserObjectPermission",
    "ChainCheck",
    "Channel",
    "Deadline",
    "DeadlineExtension",
    "DeadlinePause",
    "Notification",
    "WorkdayOverride",
    "Complaint",
    "Employer",
    "EmployerChange",
    "PersonMerge",
    "OfficeSequence",
    "Party",
    "Project",
    "Region",
    "RegionDayStats",
    "RegionMonthStats",
    "Role",
    "StaffRole",
    "TimelineEvent",
]
