"""The columns of the task lists (我的待办, 待领取) in their XLSX export (cases.web.list_export)."""

from __future__ import annotations

from cases.xlsx import Column


def _process(task):
    return task.process.caseprocess


def _subject(task):
    process = _process(task)
    return process.case or process.complaint


def _number(task) -> str:
    process = _process(task)
    return process.case.case_no if process.case else process.complaint.receipt_no if process.complaint else ""


def _employer(task) -> str:
    subject = _subject(task)
    return subject.employer.name if subject is not None and subject.employer_id else ""


TASK_COLUMNS = [
    Column("案件编号/回执号", _number, 20),
    Column("环节", lambda t: str(t.flow_task.task_title), 20),
    Column("用人单位", _employer, 34),
    Column("机构", lambda t: _process(t).region.name if _process(t).region_id else "", 22),
    Column("人数", lambda t: getattr(_subject(t), "workers_count", None), 8),
    Column("金额（元）", lambda t: getattr(_subject(t), "amount_owed", None), 16),
    Column("到期", lambda t: getattr(t, "case_due", None) or getattr(t, "complaint_due", None), 18),
]
