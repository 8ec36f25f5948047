"""Unpaid months (JI2013 art 3 "拖欠…个月以上"): the one rule lives in cases.arrears_months, shared with the
credit listing's criteria."""

from __future__ import annotations

from ..arrears_months import merged_periods, months_between, months_text, worker_months

__all__ = ["merged_periods", "months_between", "months_text", "worker_months"]
