"""Where a proactive case came from, as links on the case page (a double-random inspection, a warning signal):
the apps above cases register a finder, case → [(words, url)], from their AppConfig.ready(); cases knows none
of them. A finder returns [] quickly for a case that is not of its kind (look at case.origin first)."""

from __future__ import annotations

from collections.abc import Callable

from ..models import Case

OriginLinks = Callable[[Case], "list[tuple[str, str]]"]
_FINDERS: list[OriginLinks] = []


def origin_link_register(fn: OriginLinks) -> None:
    if fn not in _FINDERS:
        _FINDERS.append(fn)


def origin_links(case: Case) -> list[tuple[str, str]]:
    return [link for fn in _FINDERS for link in fn(case)]
