"""Clocks of things that are neither a case nor a complaint: the apps above cases (a warning signal's
explanation, an inspection's rectification, a 督办 to a department) put their clocks on the same engine with a
`subject_ref`, "<app_label>.<model>:<pk>". cases knows nothing of those models: each app registers how its
subject is shown (its words and its page) with subject_register(), from its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model

from ..models import Deadline

# label ("app_label.model") → pk → (the words people read, the page's URL) or None when it is gone
Link = Callable[[int], "tuple[str, str] | None"]
_LINKS: dict[str, Link] = {}


def subject_ref_of(obj: Model) -> str:
    """ "<app_label>.<model>:<pk>" of a saved model instance."""
    if obj.pk is None:
        raise ValueError("subject_ref_of() needs a saved object")
    return f"{obj._meta.label_lower}:{obj.pk}"


def subject_parse(ref: str) -> tuple[str, int] | None:
    """("app_label.model", pk) of a subject_ref, None for anything else."""
    label, _, pk = ref.rpartition(":")
    return (label, int(pk)) if label and pk.isdigit() else None


def subject_register(label: str, link: Link) -> None:
    """How a subject of `label` ("app_label.model") is shown: link(pk) → (words, url) or None."""
    _LINKS[label.lower()] = link


def subject_link(deadline: Deadline) -> tuple[str, str] | None:
    """(words, url) of a subject_ref deadline's subject, None for a case or complaint or an unknown subject."""
    parsed = subject_parse(deadline.subject_ref) if deadline.subject_ref else None
    if parsed is None or parsed[0] not in _LINKS:
        return None
    return _LINKS[parsed[0]](parsed[1])
