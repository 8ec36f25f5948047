"""`{{ key|period_label }}`: a publication period in words (2026Q3 → 2026年第三季度), never the code."""

from django import template

from ..forms import period_label as _period_label

register = template.Library()


@register.filter
def period_label(key: str) -> str:
    return _period_label(key)
