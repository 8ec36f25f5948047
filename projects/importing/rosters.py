"""Real-name rosters (花名册 / 实名制登记) and monthly attendance (考勤汇总) of one project."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases import timeline
from cases.actors import Actor
from cases.masking import mask_id
from cases.models import Party
from cases.tx import one_transaction

from .. import fields, summary
from ..models import Attendance, Project, ProjectUnit, Worker
from . import table

ROSTER_COLUMNS: dict[str, str] = {
    "姓名": "name",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "公民身份号码": "id_number",
    "手机号": "phone",
    "手机号码": "phone",
    "所属单位": "unit",
    "所属单位统一社会信用代码": "unit",
    "班组": "team",
    "工种": "trade",
    "进场日期": "entered_on",
    "退场日期": "exited_on",
    "劳动合同签订日期": "contract_signed_on",
    "银行卡号": "bank_card",
    "工资卡号": "bank_card",
    "开户银行": "bank",
    "年月": "month",
    "考勤年月": "month",
    "出勤天数": "days",
}
ROSTER_REQUIRED = ("name", "id_number", "unit")
ATTENDANCE_REQUIRED = ("id_number", "month", "days")


def _unit_of(project: Project, value, errors: fields.Errors) -> ProjectUnit | None:
    """The project's unit named in the row, by USCC (or exact name)."""
    raw = fields.text(value)
    if not raw:
        errors.setdefault("unit", []).append(_("请填写所属单位（统一社会信用代码）。"))
        return None
    code = raw.upper().replace(" ", "")
    units = list(project.units.select_related("employer"))
    for unit in units:
        if unit.employer.uscc and unit.employer.uscc == code:
            return unit
    for unit in units:
        if unit.employer.name == raw:
            return unit
    errors.setdefault("unit", []).append(_("所属单位不是本项目的参建单位。"))
    return None


def person_for(name: str, id_number: str, phone: str = "") -> Party:
    """The one person record of this ID number (as cases use it: the blind index), created if new."""
    person = Party.objects.matching(id_number=id_number).order_by("id").first()
    if person is None:
        person = Party.objects.create(name=name, id_number=id_number, phone=phone)
    elif person.name != name:
        raise ValidationError({"name": [_("该身份证号已登记的姓名为“%(name)s”，与本行不符。") % {"name": person.name}]})
    return person


def _roster_row(project: Project, row: dict, seen: set[str]) -> tuple[str, str]:
    errors: fields.Errors = {}
    name = fields.required(row.get("name"), "name", _("姓名"), errors, limit=64)
    number = fields.resident_id(row.get("id_number"), "id_number", errors)
    unit = _unit_of(project, row.get("unit"), errors)
    values: dict[str, Any] = {
        "team": fields.optional(row.get("team"), "team", _("班组"), errors, limit=60),
        "trade": fields.optional(row.get("trade"), "trade", _("工种"), errors, limit=60),
        "entered_on": fields.a_date(row.get("entered_on"), "entered_on", _("进场日期"), errors),
        "exited_on": fields.a_date(row.get("exited_on"), "exited_on", _("退场日期"), errors),
        "contract_signed_on": fields.a_date(
            row.get("contract_signed_on"), "contract_signed_on", _("劳动合同签订日期"), errors
        ),
        "bank": fields.optional(row.get("bank"), "bank", _("开户银行"), errors, limit=60),
        "bank_card": fields.optional(row.get("bank_card"), "bank_card", _("银行卡号"), errors, limit=30).replace(
            " ", ""
        ),
    }
    if values["entered_on"] and values["exited_on"] and values["exited_on"] < values["entered_on"]:
        errors.setdefault("exited_on", []).append(_("退场日期不能早于进场日期。"))
    month = days = None
    if fields.text(row.get("month")) or fields.text(row.get("days")):
        month = fields.a_month(row.get("month"), "month", _("年月"), errors)
        days = fields.days(row.get("days"), "days", _("出勤天数"), errors)
    if number and number in seen:
        errors.setdefault("id_number", []).append(_("同一文件中该身份证号重复出现。"))
    if errors:
        raise ValidationError(errors)
    seen.add(number)
    assert unit is not None  # a missing unit is an error above
    person = person_for(name, number, fields.text(row.get("phone"))[:11] if row.get("phone") else "")
    worker = Worker.objects.filter(project=project, person=person).first()
    status = table.UNCHANGED
    if worker is None:
        worker = Worker.objects.create(project=project, person=person, unit=unit, **values)
        status = table.CREATED
    else:
        values["unit"] = unit
        changed = [k for k, v in values.items() if getattr(worker, k) != v]
        if changed:
            for key in changed:
                setattr(worker, key, values[key])
            worker.save()
            status = table.UPDATED
    if month is not None and days is not None:
        status = _attend(worker, month, days, status)
    return status, mask_id(number)


def _attend(worker: Worker, month, days: int, status: str) -> str:
    row = Attendance.objects.filter(worker=worker, month=month).first()
    if row is None:
        Attendance.objects.create(worker=worker, month=month, days=days)
        return table.CREATED if status == table.CREATED else table.UPDATED
    if row.days != days:
        row.days = days
        row.save(update_fields=["days"])
        return table.UPDATED
    return status


def _summary(project: Project, kind: str, report: table.ImportReport, actor: Actor, **extra) -> None:
    """The import's timeline event, and the project's monthly summary refreshed (same transaction)."""
    if report.changed_count:
        summary.refresh_months(project_ids=[project.pk])
        timeline.record(
            project.region,
            kind,
            actor=actor,
            data={
                "project": project.pk,
                "project_no": project.project_no,
                "filename": report.filename,
                "created": report.count(table.CREATED),
                "updated": report.count(table.UPDATED),
                **extra,
            },
        )


@one_transaction
def roster_import(*, actor: Actor, project: Project, file, filename: str) -> table.ImportReport:
    """The roster of `project` (idempotent per project: a worker is its person on this project; a row with
    年月 and 出勤天数 also records that month's attendance)."""
    seen: set[str] = set()
    report = table.run(
        file=file,
        filename=filename,
        columns=ROSTER_COLUMNS,
        required=ROSTER_REQUIRED,
        handle=lambda row: _roster_row(project, row, seen),
    )
    _summary(project, "project.roster_imported", report, actor)
    return report


def worker_by_id(project: Project, number: str) -> Worker | None:
    person_ids = Party.objects.matching(id_number=number).values("pk")
    return Worker.objects.filter(project=project, person_id__in=person_ids).select_related("person").first()


def _attendance_row(project: Project, row: dict, seen: set) -> tuple[str, str]:
    errors: fields.Errors = {}
    number = fields.resident_id(row.get("id_number"), "id_number", errors)
    month = fields.a_month(row.get("month"), "month", _("年月"), errors)
    days = fields.days(row.get("days"), "days", _("出勤天数"), errors)
    worker = worker_by_id(project, number) if number else None
    if number and worker is None:
        errors.setdefault("id_number", []).append(_("该人员不在本项目花名册中。"))
    if (number, month) in seen:
        errors.setdefault("id_number", []).append(_("同一文件中该人员该月考勤重复出现。"))
    if errors:
        raise ValidationError(errors)
    seen.add((number, month))
    assert worker is not None and month is not None and days is not None
    return _attend(worker, month, days, table.UNCHANGED), mask_id(number)


@one_transaction
def attendance_import(*, actor: Actor, project: Project, file, filename: str) -> table.ImportReport:
    """Monthly attendance of rostered workers (idempotent per project and month)."""
    seen: set = set()
    report = table.run(
        file=file,
        filename=filename,
        columns=ROSTER_COLUMNS,
        required=ATTENDANCE_REQUIRED,
        handle=lambda row: _attendance_row(project, row, seen),
    )
    _summary(project, "project.attendance_imported", report, actor)
    return report
