"""`{% export_link %}`: the 导出 link of a staff list, with its current filters (cases.web.list_export)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..xlsx import export_query

register = template.Library()


@register.simple_tag(takes_context=True)
def export_link(context, label: str = "") -> str:
    request = context.get("request")
    if request is None:
        return ""
    return format_html(
        '<a class="mdc-button zq-export" data-turbo="false" href="?{}">{}</a>',
        export_query(request.GET),
        label or _("导出Excel"),
    )
