"""`{% load zq_timeline %}{{ event.kind|event_label }}`: a timeline event as people read it."""

from django import template

from ..timeline.labels import event_label as _event_label

register = template.Library()


@register.filter
def event_label(kind: str) -> str:
    return _event_label(str(kind or ""))
