"""The words of every importer's per-row errors (complaints, the project list, rosters, attendance, wage sheets,
the bank's payment lines): the row, the column as the clerk knows it, the message — never a field's internal
name or a choice's stored value.

    row_message(5, "投诉人身份证号", "身份证号校验位错误，请核对号码。")
        → 第5行「投诉人身份证号」：身份证号校验位错误，请核对号码。
    not_a_choice("visit", ["来访", "来电", …])  → “visit”不是可选值（可选：来访、来电…）
    row_messages(3, {"channel": ["…"]}, {"channel": "来源渠道"})  → ["第3行「来源渠道」：…"]

One formatter for all importers: projects' importers use it too (cases is the bottom layer)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

# error keys that name no column: the row as a whole
ROW_KEYS = frozenset({NON_FIELD_ERRORS, "row", "__row__", ""})


def label_for(key: str, labels: Mapping[str, str]) -> str:
    """The clerk's name of an error key: its label, else the label of its parent ("complainant.name" →
    "complainant"), else that of its first child ("construction_unit" → "construction_unit.name"), else ""
    (the row as a whole: an internal key is never shown)."""
    if key in ROW_KEYS:
        return ""
    if key in labels:
        return labels[key]
    head = key.split(".")[0]
    if head in labels:
        return labels[head]
    # a parent of labelled fields ("construction_unit" → the label of "construction_unit.name", its first)
    return next((label for k, label in labels.items() if k.startswith(head + ".")), "")


def row_message(row: int, label: str, message: str) -> str:
    """第5行「投诉人身份证号」：校验位不正确 (without a label: 第5行：…)."""
    message = str(message).strip()
    if label:
        return _("第%(row)d行「%(label)s」：%(message)s") % {"row": row, "label": label, "message": message}
    return _("第%(row)d行：%(message)s") % {"row": row, "message": message}


def row_messages(row: int, errors: Mapping[str, Iterable[str]], labels: Mapping[str, str]) -> list[str]:
    """Every message of a row's errors (keyed by field), each with the row and the column's label."""
    return [row_message(row, label_for(key, labels), m) for key, messages in errors.items() for m in messages]


def not_a_choice(value, choices: Iterable[object]) -> str:
    """“visit”不是可选值（可选：来访、来电、网上投诉）: `choices` are the labels the clerk may type."""
    return _("“%(value)s”不是可选值（可选：%(choices)s）") % {
        "value": str(value).strip(),
        "choices": "、".join(str(c) for c in choices),
    }
