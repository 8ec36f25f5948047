"""{% staff_menu as groups %}: the staff menu of the request's user (workflows.menu)."""

from django import template

from .. import menu

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_menu(context) -> list[dict]:
    request = context.get("request")
    if request is None:
        return []
    return menu.menu_for(request.user, request.path)
