"""Builders for the construction-project tests: spreadsheets in the bureaus' layouts, and a project
with its chain built through the services."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from projects.registry import project_register, project_unit_add, project_validate
from tests.factories import person_id, uscc

PROJECT_HEADER = [
    "项目编号",
    "项目名称",
    "施工许可证号",
    "建设单位",
    "建设单位统一社会信用代码",
    "施工总承包单位",
    "施工总承包单位统一社会信用代码",
    "合同价",
    "合同签订日期",
    "开工日期",
    "计划竣工日期",
    "项目地址",
    "行业主管部门",
    "政府投资",
    "状态",
    "区划代码",
]
ROSTER_HEADER = [
    "序号",
    "姓名",
    "性别",
    "身份证号",
    "所属单位",
    "班组",
    "工种",
    "进场日期",
    "劳动合同签订日期",
    "银行卡号",
    "开户银行",
]
WAGE_HEADER = ["序号", "姓名", "身份证号", "年月", "出勤天数", "应发工资", "扣款", "实发工资", "本人签字"]
BANK_HEADER = ["付款账号", "收款人姓名", "收款账号", "金额", "交易日期", "用途/摘要", "代发"]
ACCOUNT_NO = "6217002000012345678"


def xlsx(header: list, rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(header: list, rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def project_row(
    n: int, *, region: str = "360302", department: str = "住房城乡建设", contract: str = "2026-01-05"
) -> list:
    return [
        f"JX-{region}-{n:04d}",
        f"安源区第{n}号安置房项目",
        f"360302202601{n:04d}",
        f"萍乡市城投公司{n}",
        uscc(9000 + n),
        f"江西建工第{n}工程有限公司",
        uscc(8000 + n),
        "12000000.00",
        contract,
        "2026-01-20",
        "2027-06-30",
        "萍乡市安源区某地块",
        department,
        "是",
        "在建",
        region,
    ]


def make_project(n: int = 1, *, region: str = "360302", department: str = "housing", labour: bool = True):
    """A registered project (system actor) with construction unit, general contractor and, optionally, a
    labour-service subcontractor."""
    body = dict(
        zip(
            [
                "project_no",
                "name",
                "permit_no",
                "cu_name",
                "cu_uscc",
                "gc_name",
                "gc_uscc",
                "contract_sum",
                "contract_signed_on",
                "start_on",
                "planned_completion_on",
                "address",
                "department",
                "government_invested",
                "status",
                "region_code",
            ],
            project_row(n, region=region),
            strict=True,
        )
    )
    body["construction_unit"] = {"name": body.pop("cu_name"), "uscc": body.pop("cu_uscc")}
    body["general_contractor"] = {"name": body.pop("gc_name"), "uscc": body.pop("gc_uscc")}
    body["department"] = department
    project, _ = project_register(actor=None, clean=project_validate(body))
    if labour:
        project_unit_add(actor=None, project=project, name=f"萍乡劳务公司{n}", uscc=uscc(7000 + n), role="labour")
    return project


def worker_ids(count: int, *, start: int = 0) -> list[str]:
    return [person_id(start + i, prefix="36030219850315") for i in range(count)]
