"""Errors as {"errors": {"field": ["message"]}} (SPEC §7)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from ..web.downloads import StoredFileMissing


def _as_lists(detail) -> dict:
    if isinstance(detail, dict):
        return {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"detail": [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, StoredFileMissing):  # the record is there, its file is not: say so
        exc = exceptions.NotFound({"file": [str(exc)]})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = {"errors": _as_lists(response.data)}
    return response


# --- the schema: every operation documents the error answers it can give -----------------------------

ERRORS_SCHEMA = {
    "type": "object",
    "properties": {
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "field (or `detail`, `body`, `non_field_errors`) → messages",
        }
    },
    "required": ["errors"],
}
ERROR_CODES = {
    "400": "invalid input: the fields named in `errors`",
    "401": "not authenticated (`WWW-Authenticate: Token`)",
    "403": "not allowed for this user",
    "404": "not found, or not in the user's scope",
    "405": "method not allowed",
    "406": "not acceptable (Accept header)",
    "429": "too many requests (throttled)",
}
BODY_ERROR_CODES = {
    "409": "conflict: taken, done or changed by someone else meanwhile",
    "413": "request body too large",
    "415": "unsupported media type",
}


def error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the `{"errors": ...}` answers (SPEC §7) to every
    operation that does not document them itself, so that the schema matches what the API answers."""
    result.setdefault("components", {}).setdefault("schemas", {})["Errors"] = ERRORS_SCHEMA
    ref = {"$ref": "#/components/schemas/Errors"}
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = dict(ERROR_CODES)
            if method in ("post", "put", "patch"):
                codes.update(BODY_ERROR_CODES)
            for code, description in codes.items():
                operation["responses"].setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": ref}}}
                )
    return result
