"""Template filters of the campaign pages: an amount with thousands separators (cases.values.yuan; the unit
is in the column head), a value of a dict."""

from django import template

from cases.values import yuan

register = template.Library()


@register.filter
def money(value) -> str:
    return f"{yuan(value):,}"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
