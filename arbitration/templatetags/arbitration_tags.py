from django import template

from cases import values

register = template.Library()


@register.filter
def yuan(value) -> str:
    """An amount as people read it: thousands separators, two decimals ("—" when there is none)."""
    return "—" if value is None or value == "" else f"{values.yuan(value):,}"
