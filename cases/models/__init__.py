"""Core domain models. No viewflow, no accountability imports here (layers point inward)."""

from .cases import (
    MONEY,
    Case,
    CaseGroupObjectPermission,
    CaseInspector,
    CaseParty,
    CaseUserObjectPermission,
    Channel,
    Complaint,
    OfficeSequence,
)
from .deadlines import Deadline, DeadlineExtension, DeadlinePause, WorkdayOverride
from .notifications import Notification
from .parties import Employer, Party, Project
from .regions import Region, Role, StaffRole
from .timeline import AppendOnlyQuerySet, ChainCheck, TimelineEvent

__all__ = [
    "MONEY",
    "AppendOnlyQuerySet",
    "Case",
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
    "OfficeSequence",
    "Party",
    "Project",
    "Region",
    "Role",
    "StaffRole",
    "TimelineEvent",
]
