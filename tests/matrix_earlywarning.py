"""Permission-matrix entries: the early warning (issue 16). The bureau's readers read the signals of the
regions they cover (404 outside); an inspector or leader of the office enters signals by hand; an inspector of
the project's office or a leader over it runs a project's check (other readers 403); the administrator reads
no signals (lists and pages 403; a project 404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from cases.models import Role
from tests import world
from tests.matrix import READERS, Entry, Target
from tests.matrix_projects import project_target

HANDLERS = {Role.INSPECTOR, Role.LEADER}
API = {"anonymous": (401, 403)}


@dataclass
class SignalTarget(Target):
    signal_id: int = 0


def signal_target(code: str) -> SignalTarget:
    from earlywarning.sources import signal_enter

    signal = signal_enter(actor=None, region=world.region(code), source="hotline", level="yellow", facts="权限矩阵")
    return SignalTarget(signal_id=signal.pk)


def reader_list(role: str, _in_scope: bool) -> int:
    return 200 if role in READERS else 403


def reader_signal(role: str, in_scope: bool) -> int:
    if role not in READERS:
        return 403
    return 200 if in_scope else 404


def handler_list(role: str, _in_scope: bool) -> int:
    return 200 if role in HANDLERS else 403


def checker(ok: int):
    def expect(role: str, in_scope: bool) -> int:
        if role not in READERS or not in_scope:
            return 404
        return ok if role in HANDLERS else 403

    return expect


def _signal(name: str, expect, **kw) -> Entry:
    return Entry(lambda t: reverse(name, args=[t.signal_id]), expect, prepare=signal_target, **kw)


def _project(name: str, expect, **kw) -> Entry:
    return Entry(lambda t: reverse(name, args=[t.project_no]), expect, method="post", prepare=project_target, **kw)


ENTRIES = {
    "earlywarning:index": Entry(lambda t: reverse("earlywarning:index"), reader_list, scoped=False),
    "earlywarning:new": Entry(lambda t: reverse("earlywarning:new"), handler_list, scoped=False),
    "earlywarning:detail": _signal("earlywarning:detail", reader_signal),
    # a check of last month: the project page again (302) for who may run it
    "earlywarning:check": _project("earlywarning:check", checker(302)),
    "api-signal-list": Entry(lambda t: reverse("api-signal-list"), reader_list, scoped=False, **API),
    "api-signal-detail": _signal("api-signal-detail", reader_signal, **API),
    # without a month: 400 naming it, for who may run the check
    "api-project-check": _project("api-project-check", checker(400), **API),
}
