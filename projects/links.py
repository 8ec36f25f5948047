"""How a complaint's or case's project (cases.Project, found or created at intake) is the registry's project
(projects.Project): the same project number (项目编号, when the complaint gave it), else the same region and
name. No column joins the two tables — intake (in cases) cannot know the registry, and a project registered
after the complaint is still found — so the match is read here, on the registry's side.

    registry_project(case.project)   # the registered project, or None
    cases_on(project)                # a Q over Case: its cases by their project or by a unit as employer
"""

from __future__ import annotations

from django.db.models import Q

from cases.models import Project as CaseProject

from .models import Project


def registry_project(case_project: CaseProject | None) -> Project | None:
    if case_project is None:
        return None
    if case_project.project_no:
        found = Project.objects.filter(project_no=case_project.project_no).first()
        if found is not None:
            return found
    if case_project.region_id is None:
        return None
    return Project.objects.filter(region_id=case_project.region_id, name=case_project.name).order_by("id").first()


def intake_project(project_no: str) -> dict | None:
    """For the complaint import's 项目编号 column (cases.intake.complaints_import's `project_lookup`): the
    registered project of that number as intake needs it ({"name", "address", "project_no"}), or None."""
    number = str(project_no or "").strip()
    found = Project.objects.filter(project_no=number).only("name", "address", "project_no").first() if number else None
    if found is None:
        return None
    return {"name": found.name, "address": found.address, "project_no": found.project_no}


def case_projects_q(project: Project) -> Q:
    """cases.Project rows that are `project` (for a filter on Case.project or Complaint.project)."""
    return Q(project__project_no=project.project_no) | Q(
        project__region_id=project.region_id, project__name=project.name
    )


def cases_on(project: Project) -> Q:
    """Cases on the project: linked to it through their project, or whose employer is a unit of its chain."""
    return case_projects_q(project) | Q(employer_id__in=project.units.values("employer_id"))
