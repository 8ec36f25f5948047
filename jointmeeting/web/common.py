"""Helpers of the joint-meeting pages: a service's ValidationError onto a form, the page cursor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator


def errors_onto(form, exc: ValidationError) -> None:
    """The service's errors on the form's fields (an unknown field: on the form)."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def page_of(request, qs, per_page: int = 50):
    try:
        number = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        number = 1
    return Paginator(qs, per_page).get_page(number)


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
