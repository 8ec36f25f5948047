"""The staff site's frame on every staff page, its error pages included.

viewflow draws its frame (menu, top bar) only for pages mounted under the Site: it reads the Site from
`request.resolver_match.site`. Staff pages mounted beside it (the accountability register and
publications, account management) and Django's error pages would be drawn bare. StaffFrameMiddleware
puts the Site on those pages' resolver match; the error handlers draw 403, 404 and 500 in the frame and
in the user's language (what LocaleMiddleware activated: zh-Hans unless the user chose English).
"""

from __future__ import annotations

from types import SimpleNamespace

from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

# Pages with a frame of their own, or none: the API (JSON), Django's admin, the public pages, files.
UNFRAMED = ("/api/", "/admin/", "/public/", "/static/", "/media/", "/i18n/")


def _site():
    from config.urls import site

    return site


def framed(request) -> bool:
    return not request.path_info.startswith(UNFRAMED)


def ensure_frame(request) -> None:
    """Give the request's resolver match the staff Site (a bare one when no route matched)."""
    if not framed(request):
        return
    match = getattr(request, "resolver_match", None)
    if match is None:
        request.resolver_match = SimpleNamespace(
            site=_site(), app=None, viewset=None, namespace="", namespaces=[], app_name="", app_names=[],
            url_name=None, kwargs={}, args=(), route="", view_name="",
        )  # fmt: skip
    elif getattr(match, "site", None) is None:
        match.site = _site()


class StaffFrameMiddleware:
    """After viewflow's SiteMiddleware: a staff page outside the Site gets the Site (and so the menu)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, callback, callback_args, callback_kwargs):
        ensure_frame(request)
        return None


def _messages(status: int) -> tuple[str, str]:
    if status == 403:
        return _("没有权限"), _("您的岗位不能打开这个页面或执行这个操作。请从左侧菜单选择您可以办理的事项。")
    if status == 404:
        return _("页面不存在"), _("没有找到您要的页面或案件：它可能不存在，或不在您的管辖范围内。")
    return _("服务器出错"), _("处理您的请求时出错，已记录。请稍后重试；如果问题持续，请联系系统管理员。")


def error_page(request, status: int) -> HttpResponse:
    """The error page in the frame (staff pages) or plain (public pages and anything the frame cannot draw)."""
    title, message = _messages(status)
    context = {"status": status, "title": title, "message": message}
    if framed(request) and getattr(request, "user", None) is not None:
        try:
            ensure_frame(request)
            return HttpResponse(loader.render_to_string("staff_error.html", context, request), status=status)
        except Exception:  # noqa: BLE001 — a broken frame must not hide the error page itself
            pass
    return HttpResponse(loader.render_to_string("plain_error.html", context), status=status)
