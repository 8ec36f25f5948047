"""Money as people read it on the written review's pages: 1,234.50元 (cases.values.yuan_text)."""

from __future__ import annotations

from django import template

from cases.values import yuan_text

register = template.Library()


@register.filter
def yuan(value) -> str:
    if value in (None, ""):
        return "—"
    try:
        return yuan_text(value)
    except ValueError:
        return "—"
