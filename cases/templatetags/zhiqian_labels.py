"""Labels for the codes the pages would otherwise show raw: event kinds (cases.timeline.labels), roles, and an
event's values as label–value lines (never a Python dict)."""

from __future__ import annotations

from django import template

from ..models import Role
from ..timeline.labels import event_label as _event_label

register = template.Library()


@register.filter
def event_label(kind: str) -> str:
    return _event_label(kind or "")


@register.filter
def route_basis_label(basis: str) -> str:
    """管辖依据: why a complaint went to its office, in words (never the stored code)."""
    from ..audit.words import ROUTE_BASIS

    return str(ROUTE_BASIS.get(basis or "", "")) or "—"


@register.filter
def role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        from ..timeline.labels import ROLE_LABELS

        return str(ROLE_LABELS.get(role or "", "")) or "—"


def _plain(value) -> str:
    if isinstance(value, dict):
        return "；".join(f"{k}：{_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(_plain(v) for v in value)
    return "—" if value in (None, "") else str(value)


@register.filter
def event_values(data) -> list[tuple[str, str]]:
    """An event's recorded values as (name, text) lines, nested values flattened to text."""
    if not isinstance(data, dict):
        return [] if data in (None, "") else [("", _plain(data))]
    return [(str(k), _plain(v)) for k, v in data.items()]


@register.filter
def event_sentence(event) -> str:
    """The event as a sentence (cases.audit.sentences); the view's sentences_attach() saves the queries."""
    sentence = getattr(event, "sentence", None)
    if sentence is None:
        from ..audit.sentences import event_sentence as _sentence

        sentence = _sentence(event)
    return sentence
