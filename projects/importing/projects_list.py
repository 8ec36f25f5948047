"""The project list a housing (transport, water) department keeps: 在建项目清单."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from cases.actors import Actor

from ..registry import project_register, project_validate
from . import table

# header (and synonyms) → key of project_validate's body
PROJECT_COLUMNS: dict[str, str] = {
    "项目编号": "project_no",
    "项目名称": "name",
    "施工许可证号": "permit_no",
    "施工许可证编号": "permit_no",
    "建设单位": "construction_unit.name",
    "建设单位统一社会信用代码": "construction_unit.uscc",
    "建设单位信用代码": "construction_unit.uscc",
    "施工总承包单位": "general_contractor.name",
    "总承包单位": "general_contractor.name",
    "施工总承包单位统一社会信用代码": "general_contractor.uscc",
    "总承包单位信用代码": "general_contractor.uscc",
    "合同价": "contract_sum",
    "合同价（元）": "contract_sum",
    "合同金额": "contract_sum",
    "合同签订日期": "contract_signed_on",
    "施工合同签订日期": "contract_signed_on",
    "开工日期": "start_on",
    "计划竣工日期": "planned_completion_on",
    "项目地址": "address",
    "行业主管部门": "department",
    "政府投资": "government_invested",
    "是否政府投资": "government_invested",
    "资金来源": "funding_source",
    "状态": "status",
    "项目状态": "status",
    "区划代码": "region_code",
    "所在区划代码": "region_code",
}
REQUIRED = ("project_no", "name", "region_code", "department")


def _body(row: dict) -> dict:
    body: dict = {}
    for key, value in row.items():
        if "." in key:
            outer, inner = key.split(".", 1)
            body.setdefault(outer, {})[inner] = value
        else:
            body[key] = value
    return body


def projects_import(*, actor: Actor, file, filename: str) -> table.ImportReport:
    """Register (or update) one project per row. `actor` must manage each row's region and industry
    (a row outside it is that row's error)."""

    def handle(row: dict) -> tuple[str, str]:
        clean = project_validate(_body(row))
        try:
            project, status = project_register(actor=actor, clean=clean)
        except PermissionDenied:
            raise ValidationError({"region_code": [_("无权登记该地区、该行业的项目。")]}) from None
        return status, project.project_no

    return table.run(file=file, filename=filename, columns=PROJECT_COLUMNS, required=REQUIRED, handle=handle)
