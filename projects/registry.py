"""The project registry's services: register a project with its construction unit and general contractor,
add units to the chain, record the rights notice board, change the status; grant the industry role.

Each is keyword-only with an explicit `actor`, runs in one transaction and records one event on the
timeline of the project's region (the region's administration chain; the event names the project)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases import timeline
from cases.actors import Actor
from cases.intake import CleanEmployer
from cases.intake.submit import employer_get_or_create
from cases.models import Employer, Region
from cases.tx import one_transaction

from . import fields
from . import scope as project_scope
from .models import Department, IndustryRole, Project, ProjectUnit

UnitRole = ProjectUnit.Role
# how departments write their own name in their lists
DEPARTMENT_SYNONYMS = {
    "住建": "housing",
    "住建局": "housing",
    "建设局": "housing",
    "交通局": "transport",
    "水务": "water",
    "水务局": "water",
}


@dataclass(frozen=True)
class CleanUnit:
    name: str
    uscc: str


@dataclass(frozen=True)
class CleanProject:
    project_no: str
    name: str
    region: Region
    address: str
    department: str
    government_invested: bool
    funding_source: str
    permit_no: str
    contract_sum: Decimal | None
    contract_signed_on: date | None
    start_on: date | None
    planned_completion_on: date | None
    status: str
    construction_unit: CleanUnit | None
    general_contractor: CleanUnit | None

    def values(self) -> dict[str, Any]:
        skip = {"region", "construction_unit", "general_contractor"}
        return {k: v for k, v in self.__dict__.items() if k not in skip}


def _unit(body: Any, field: str, errors: fields.Errors) -> CleanUnit | None:
    body = body if isinstance(body, dict) else {}
    name = fields.optional(body.get("name"), f"{field}.name", _("单位名称"), errors)
    code = fields.uscc(body.get("uscc"), f"{field}.uscc", errors, required=bool(name))
    if not name:
        if code:
            errors.setdefault(f"{field}.name", []).append(_("请填写单位名称。"))
        return None
    return CleanUnit(name=name, uscc=code)


def project_validate(body: dict) -> CleanProject:
    """A project body (API or a row of the project list) → CleanProject, or ValidationError naming each field."""
    if not isinstance(body, dict):
        raise ValidationError({"body": [_("请求内容应为对象。")]})
    errors: fields.Errors = {}
    code = fields.text(body.get("region_code"))
    region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        errors["region_code"] = [_("请填写有效的六位区划代码。") if code else _("请填写区划代码。")]
    clean: dict[str, Any] = dict(
        project_no=fields.required(body.get("project_no"), "project_no", _("项目编号"), errors, limit=40),
        name=fields.required(body.get("name"), "name", _("项目名称"), errors),
        address=fields.optional(body.get("address"), "address", _("项目地址"), errors, limit=300),
        department=fields.choice(
            DEPARTMENT_SYNONYMS.get(fields.text(body.get("department")), body.get("department")),
            "department",
            _("行业主管部门"),
            errors,
            Department.choices,
        ),
        government_invested=fields.boolean(
            body.get("government_invested"), "government_invested", _("政府投资"), errors
        ),
        funding_source=fields.optional(body.get("funding_source"), "funding_source", _("资金来源"), errors, limit=100),
        permit_no=fields.optional(body.get("permit_no"), "permit_no", _("施工许可证号"), errors, limit=60),
        contract_sum=fields.money(body.get("contract_sum"), "contract_sum", _("合同价"), errors, required=False),
        contract_signed_on=fields.a_date(
            body.get("contract_signed_on"), "contract_signed_on", _("合同签订日期"), errors
        ),
        start_on=fields.a_date(body.get("start_on"), "start_on", _("开工日期"), errors),
        planned_completion_on=fields.a_date(
            body.get("planned_completion_on"), "planned_completion_on", _("计划竣工日期"), errors
        ),
        status=fields.choice(
            body.get("status"), "status", _("状态"), errors, Project.Status.choices, default=Project.Status.REGISTERED
        ),
        construction_unit=_unit(body.get("construction_unit"), "construction_unit", errors),
        general_contractor=_unit(body.get("general_contractor"), "general_contractor", errors),
    )
    start, end = clean["start_on"], clean["planned_completion_on"]
    if start and end and end < start:  # type: ignore[operator]
        errors.setdefault("planned_completion_on", []).append(_("计划竣工日期不能早于开工日期。"))
    if errors:
        raise ValidationError(errors)
    return CleanProject(region=region, **clean)  # type: ignore[arg-type]


def _employer(unit: CleanUnit) -> Employer:
    return employer_get_or_create(CleanEmployer(name=unit.name, uscc=unit.uscc))[0]


def _event(project: Project, kind: str, *, actor: Actor, data: dict | None = None) -> None:
    body = {"project": project.pk, "project_no": project.project_no, **(data or {})}
    timeline.record(project.region, kind, actor=actor, data=body)


def _check(actor: Actor, region: Region, department: str) -> None:
    if actor is not None:  # None: the system (imports run by a command, the demo)
        project_scope.check_register(actor, region=region, department=department)


@one_transaction
def project_register(*, actor: Actor, clean: CleanProject) -> tuple[Project, str]:
    """Register the project, or update it when its number is known (idempotent: an unchanged project
    writes nothing). Returns (project, "created" | "updated" | "unchanged"). Its construction unit and
    general contractor join the chain."""
    _check(actor, clean.region, clean.department)
    project = Project.objects.select_for_update().filter(project_no=clean.project_no).first()
    values = clean.values()
    created = project is None
    if project is None:
        project = Project.objects.create(region=clean.region, **values)
        changed = {"name": project.name}
    else:
        if actor is not None and not project_scope.can_manage(
            actor, region=project.region, department=project.department
        ):
            raise ValidationError({"project_no": [_("该项目编号已被其他地区或行业的项目使用。")]})
        changed = {k: v for k, v in values.items() if getattr(project, k) != v}
        if project.region_id != clean.region.pk:
            changed["region"] = clean.region.code
        for key, value in values.items():
            setattr(project, key, value)
        project.region = clean.region
        if changed:
            project.save()
    units_added = []
    for unit, role in ((clean.construction_unit, UnitRole.CONSTRUCTION), (clean.general_contractor, UnitRole.GENERAL)):
        if unit is not None:
            employer = _employer(unit)
            row, new = ProjectUnit.objects.get_or_create(project=project, employer=employer, role=role)
            if new:
                units_added.append(role)
    if created or changed or units_added:
        kind = "project.registered" if created else "project.updated"
        _event(project, kind, actor=actor, data={"fields": sorted(changed), "units": units_added})
    return project, "created" if created else ("updated" if changed or units_added else "unchanged")


@one_transaction
def project_unit_add(
    *, actor: Actor, project: Project, name: str, uscc: str, role: str, parent: ProjectUnit | None = None
) -> ProjectUnit:
    """Add a unit to the chain: a subcontractor under the unit it contracts with (the general contractor
    when no parent is given). The USCC is checked (GB 32100)."""
    errors: fields.Errors = {}
    clean_name = fields.required(name, "name", _("单位名称"), errors)
    code = fields.uscc(uscc, "uscc", errors)
    role = fields.choice(role, "role", _("角色"), errors, UnitRole.choices)
    if parent is not None and parent.project_id != project.pk:
        errors.setdefault("parent", []).append(_("上级单位不属于本项目。"))
    if errors:
        raise ValidationError(errors)
    if role in (UnitRole.SPECIALIST, UnitRole.LABOUR) and parent is None:
        parent = project.units.filter(role=UnitRole.GENERAL).order_by("id").first()
        if parent is None:
            raise ValidationError({"parent": [_("请先登记施工总承包单位。")]})
    employer = _employer(CleanUnit(name=clean_name, uscc=code))
    unit, created = ProjectUnit.objects.get_or_create(
        project=project, employer=employer, role=role, defaults={"parent": parent}
    )
    if created:
        _event(project, "project.unit_added", actor=actor, data={"role": role, "uscc": code, "name": clean_name})
    return unit


@one_transaction
def project_notice_board_record(*, actor: Actor, project: Project, posted_on: Any, note: str = "") -> Project:
    """The on-site rights information board (维权信息告示牌, WPR art. 34): posted, and when."""
    errors: fields.Errors = {}
    day = fields.a_date(posted_on, "posted_on", _("设置日期"), errors, required=True)
    text = fields.optional(note, "note", _("告示牌内容说明"), errors, limit=300)
    if errors:
        raise ValidationError(errors)
    project.notice_board_posted_on, project.notice_board_note = day, text
    project.save(update_fields=["notice_board_posted_on", "notice_board_note"])
    _event(project, "project.notice_board", actor=actor, data={"posted_on": day})
    return project


@one_transaction
def project_status_set(*, actor: Actor, project: Project, status: str, completed_on: Any = None) -> Project:
    errors: fields.Errors = {}
    status = fields.choice(status, "status", _("状态"), errors, Project.Status.choices)
    done = fields.a_date(
        completed_on, "completed_on", _("竣工日期"), errors, required=status == Project.Status.COMPLETED
    )
    if errors:
        raise ValidationError(errors)
    old = project.status
    project.status = status
    project.completed_on = done if status == Project.Status.COMPLETED else None
    project.save(update_fields=["status", "completed_on"])
    _event(project, "project.status_changed", actor=actor, data={"from": old, "to": status})
    return project


@one_transaction
def industry_role_grant(*, actor: Actor, user, region: Region, department: str) -> IndustryRole:
    """Give `user` the industry-department role for `department` at `region` (the system or a superuser;
    recorded on the region's administration chain)."""
    if actor is not None and not actor.is_superuser:
        raise ValidationError({"department": [_("只有系统管理员可以授予行业主管部门岗位。")]})
    errors: fields.Errors = {}
    department = fields.choice(department, "department", _("行业主管部门"), errors, Department.choices)
    if errors:
        raise ValidationError(errors)
    role, created = IndustryRole.objects.get_or_create(user=user, region=region, department=department)
    if created:
        timeline.record(
            region, "project.industry_role_granted", actor=actor, data={"user": user.username, "department": department}
        )
    user.__dict__.pop("_zhiqian_industry_roles", None)
    return role
