"""{% staff_menu as groups %}: the staff menu of the request's user (workflows.menu)."""

from django import template
from django.utils.translation import gettext_lazy as _

from .. import menu

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_menu(context) -> list[dict]:
    request = context.get("request")
    if request is None:
        return []
    return menu.menu_for(request.user, request.path)


TASK_STATUS = {
    "NEW": _("待领取"),
    "ASSIGNED": _("办理中"),
    "STARTED": _("办理中"),
    "DONE": _("已办结"),
    "CANCELED": _("已取消"),
    "ERROR": _("出错"),
    "SCHEDULED": _("已排期"),
    "REVIVED": _("已恢复"),
}


@register.filter
def task_status(status: str) -> str:
    """A task's status in the user's language (viewflow's own labels are English only)."""
    return str(TASK_STATUS.get(status, _("处理中")))


@register.simple_tag(takes_context=True)
def staff_section(context, default="") -> str:
    """The top bar's title: the name of the menu entry of the page shown (审计查询 on the audit search, 统计分析
    on the dashboard …), not the title of the viewflow application the URL belongs to (every page under
    /cases/ is the "案件" application). A page outside the menu: `default`."""
    request = context.get("request")
    if request is None:
        return str(default)
    for group in menu.menu_for(request.user, request.path):
        for link in group["links"]:
            if link["active"]:
                return str(link["label"])
    return str(default)
