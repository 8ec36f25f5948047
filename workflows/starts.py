"""Flows a user may start by hand (SPEC §7 `GET /api/v1/flows/`, `POST /api/v1/flows/{name}/start/`).

Each entry: a form for its fields, who may start it, and the service that starts it. The entries are
listed in workflows.wiring (STARTABLE there), which fills this registry once at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction


@dataclass(frozen=True)
class Startable:
    name: str
    title: str
    form_class: type[forms.Form]
    may_start: Callable
    start: Callable  # (actor, form) -> CaseProcess


STARTABLE: dict[str, Startable] = {}


def register(startable: Startable) -> None:
    """workflows.wiring.connect() adds the flows a user may start by hand."""
    STARTABLE[startable.name] = startable


def startable_for(user) -> list[Startable]:
    return [s for s in STARTABLE.values() if s.may_start(user)]


@transaction.atomic
def flow_start(*, name: str, actor, data) -> object:
    """Start flow `name` with the form data. KeyError → 404; PermissionDenied → 403; ValidationError → 400."""
    startable = STARTABLE[name]
    if not startable.may_start(actor):
        raise PermissionDenied
    form = startable.form_class(data=data)
    if not form.is_valid():
        raise ValidationError({k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()})
    return startable.start(actor, form)


__all__ = ["STARTABLE", "Startable", "flow_start", "register", "startable_for"]
