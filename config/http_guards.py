"""Bad input stops at the edge, before any view, form or query sees it (security issue, item 6).

- RequestGuardMiddleware: a body larger than the cap is refused by its Content-Length (413); a NUL
  byte or a lone surrogate in the path, a query parameter, a form field (name or value), an uploaded
  file's name or a header is refused (400 naming the field). PostgreSQL cannot store either
  (DataError, a 500 before) and no field of ours has a use for them.
- StrictJSONParser (every API view's JSON parser): the body read up to the cap, strict UTF-8, an
  object at the top, at most MAX_DEPTH levels, no NaN / Infinity / number out of a float's range,
  no NUL or lone surrogate in any key or text: 400 `{"errors": {"<field>": ["…"]}}` naming the
  first bad field (dotted path: `employer.name`, `inspectors[1]`).
- PermissionsPolicyMiddleware: the Permissions-Policy header (the browser features we never use).
- SessionRefreshMiddleware: a session expires after a working day without activity (see its docstring).
"""

from __future__ import annotations

import json
import math
import time

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
MULTIPART_SLACK = 1024 * 1024  # form fields and part headers around an uploaded file
DEFAULT_UPLOAD_MAX_BYTES = 20 * 1024 * 1024  # as cases.evidence.DEFAULT_MAX_BYTES


def body_cap() -> int:
    """The largest JSON or form body (settings.DATA_UPLOAD_MAX_MEMORY_SIZE, Django's own cap)."""
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440)


def upload_cap() -> int:
    """The largest multipart body: the evidence upload limit plus the form around the file."""
    return int(getattr(settings, "ZHIQIAN_EVIDENCE_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES)) + MULTIPART_SLACK


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None."""
    if "\x00" in value:
        return _("不能包含空字符（\\0）。")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("不能包含无效的 Unicode 字符（单独的代理项）。")
    return None


def _too_large_message(limit: int) -> str:
    return _("请求体过大：最多 %(mb).1f MB。") % {"mb": limit / (1024 * 1024)}


# --- the JSON parser -------------------------------------------------------------------------------


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class _OutOfRange:
    """What a number the JSON parser cannot hold (1e400, NaN, Infinity) parses to, until it is named."""


_OUT_OF_RANGE = _OutOfRange()


def _parse_float(text: str):
    value = float(text)
    return value if math.isfinite(value) else _OUT_OF_RANGE


def _parse_constant(_text: str):
    return _OUT_OF_RANGE


def json_problem(data) -> tuple[str, str] | None:
    """The first (field, message) that makes parsed JSON unusable, walking it without recursion."""
    stack = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return path or "body", _("嵌套层数过多（最多 %(n)d 层）。") % {"n": MAX_DEPTH}
        if value is _OUT_OF_RANGE:
            return path or "body", _("数值超出范围。")
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                return path or "body", problem
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                problem = text_problem(key)
                if problem:
                    return _printable(child), problem
                stack.append((item, child, depth + 1))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                stack.append((item, f"{path}[{index}]" if path else f"[{index}]", depth + 1))
    return None


class StrictJSONParser(JSONParser):
    """DRF's JSON parser with the checks above; every view parses JSON with it."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = body_cap()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge({"body": [_too_large_message(limit)]})
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError({"body": [_("请求体不是有效的 UTF-8 文本。")]})
        try:
            data = json.loads(text, parse_float=_parse_float, parse_constant=_parse_constant)
        except RecursionError:
            raise ParseError({"body": [_("嵌套层数过多（最多 %(n)d 层）。") % {"n": MAX_DEPTH}]})
        except ValueError as exc:
            raise ParseError({"body": [_("JSON 格式错误：%(error)s") % {"error": exc}]})
        if not isinstance(data, dict):
            raise ParseError({"body": [_("请求体应为一个 JSON 对象。")]})
        problem = json_problem(data)
        if problem:
            raise ParseError({problem[0]: [problem[1]]})
        return data


# --- the middleware --------------------------------------------------------------------------------


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _refuse(request, status_code: int, field: str, message: str) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"errors": {field: [message]}}, status=status_code)
    body = f"<!doctype html><title>{status_code}</title><h1>{status_code}</h1><p>{escape(field)}: {escape(message)}</p>"
    return HttpResponse(body, status=status_code, content_type="text/html; charset=utf-8")


def _printable(name: str) -> str:
    return name.replace("\x00", "\\0").encode("utf-8", "backslashreplace").decode("utf-8")


def _query_problem(querydict) -> tuple[str, str] | None:
    for key, values in querydict.lists():
        problem = text_problem(key)
        if problem:
            return _printable(key), problem
        for value in values:
            problem = text_problem(value) if isinstance(value, str) else None
            if problem:
                return key, problem
    return None


class RequestGuardMiddleware:
    """See the module's docstring. Early in the chain: after SecurityMiddleware, WhiteNoise and the
    header middlewares (its refusals carry their headers too), before sessions and the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with translation.override(translation.get_language_from_request(request)):
            refused = self._check(request)
        return refused or self.get_response(request)

    def _check(self, request) -> HttpResponse | None:
        problem = text_problem(request.path_info)
        if problem:
            return _refuse(request, 400, "path", problem)
        content_type = request.META.get("CONTENT_TYPE", "")
        multipart = content_type.startswith("multipart/")
        limit = upload_cap() if multipart else body_cap()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refuse(request, 400, "Content-Length", _("Content-Length 无效。"))
        if length > limit:
            return _refuse(request, 413, "body", _too_large_message(limit))
        for key, value in request.META.items():
            if key.startswith("HTTP_") and isinstance(value, str):
                problem = text_problem(value)
                if problem:
                    return _refuse(request, 400, key[5:].replace("_", "-").title(), problem)
        problem = _query_problem(request.GET)
        if problem:
            return _refuse(request, 400, *problem)
        if request.method == "POST" and (multipart or content_type.startswith("application/x-www-form-urlencoded")):
            # Django's own parser (DATA_UPLOAD_MAX_* caps apply); views and DRF reuse what it parsed
            try:
                problem = _query_problem(request.POST)
            except RequestDataTooBig:
                return _refuse(request, 413, "body", _too_large_message(body_cap()))
            except (MultiPartParserError, TooManyFieldsSent, BadRequest, UnicodeDecodeError) as exc:
                return _refuse(request, 400, "body", _("表单格式错误：%(error)s") % {"error": exc})
            if problem:
                return _refuse(request, 400, *problem)
            for key, upload in request.FILES.items():
                problem = text_problem(upload.name or "")
                if problem:
                    return _refuse(request, 400, key, problem)
        return None


class PermissionsPolicyMiddleware:
    """Permissions-Policy: none of the powerful browser features, for every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


class SessionRefreshMiddleware:
    """Staff sessions end after settings.SESSION_COOKIE_AGE (a working day) without a request: the
    session's expiry is pushed forward on activity, at most once per SESSION_REFRESH_SECONDS (one
    session write every few minutes, not one per request as SESSION_SAVE_EVERY_REQUEST would)."""

    KEY = "_zq_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session, user = getattr(request, "session", None), getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated or not session.session_key:
            return response
        now = int(time.time())
        every = int(getattr(settings, "SESSION_REFRESH_SECONDS", 300))
        if not session.modified and now - int(session.get(self.KEY, 0)) >= every:
            session[self.KEY] = now  # modified: SessionMiddleware saves it with a new expiry
        return response


# --- Django's error pages: JSON under /api/ (config.urls handler400/403/404/500) ----------------------


def _api_or_page(default, status_code: int, message):
    def view(request, exception=None):
        if _is_api(request):
            return JsonResponse({"errors": {"detail": [str(message)]}}, status=status_code)
        return default(request, exception) if status_code != 500 else default(request)

    return view


def bad_request(request, exception=None):
    from django.views import defaults

    return _api_or_page(defaults.bad_request, 400, _("请求无效。"))(request, exception)


def permission_denied(request, exception=None):
    from .staff_frame import error_page  # in the staff frame and the user's language

    page = _api_or_page(lambda request, exception: error_page(request, 403), 403, _("您没有执行该操作的权限。"))
    return page(request, exception)


def page_not_found(request, exception=None):
    from .staff_frame import error_page

    return _api_or_page(lambda request, exception: error_page(request, 404), 404, _("未找到。"))(request, exception)


def server_error(request):
    from .staff_frame import error_page

    return _api_or_page(lambda request: error_page(request, 500), 500, _("服务器错误。"))(request)
