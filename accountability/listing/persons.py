"""The persons listed with the employer: its legal representative and the other responsible persons, each
with a checked resident ID number; masked wherever auditors read them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.masking import mask_id, mask_name
from cases.values import resident_id_clean

from ..models import ListedPerson


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    role: str


LEGAL_REPRESENTATIVE = "法定代表人"


def persons_clean(
    *, employer, legal_representative: str, legal_representative_id: str, persons: Iterable[dict]
) -> list[Person]:
    """The legal representative (Employer.legal_representative unless given) and the other responsible
    persons entered in the proposal, each with a valid ID number; one ID appears once."""
    name = " ".join((legal_representative or employer.legal_representative or "").split())
    if not name:
        raise ValidationError({"legal_representative": _("请填写用人单位的法定代表人或主要负责人姓名。")})
    if len(name) > 64:
        raise ValidationError({"legal_representative": _("姓名不能超过64个字符。")})
    representative_id = resident_id_clean(legal_representative_id, field="legal_representative_id")
    out = [Person(name, representative_id, LEGAL_REPRESENTATIVE)]
    for i, p in enumerate(persons or []):
        if not isinstance(p, dict):
            raise ValidationError({f"persons.{i}": _("每名责任人须有姓名、身份证号和身份。")})
        p_name = " ".join(str(p.get("name") or "").split())
        role = " ".join(str(p.get("role") or "").split()) or "直接责任人员"
        if not p_name or len(p_name) > 64:
            raise ValidationError({f"persons.{i}.name": _("请填写责任人姓名（不超过64个字符）。")})
        if len(role) > 32:
            raise ValidationError({f"persons.{i}.role": _("身份不能超过32个字符。")})
        out.append(Person(p_name, resident_id_clean(p.get("id_number"), field=f"persons.{i}.id_number"), role))
    seen: set[str] = set()
    for i, p in enumerate(out):
        if p.id_number in seen:
            raise ValidationError(
                {f"persons.{i - 1}.id_number" if i else "legal_representative_id": _("同一身份证号重复填写。")}
            )
        seen.add(p.id_number)
    return out


def _masked(persons: Iterable[Person | ListedPerson]) -> list[dict]:
    """For the timeline and the history: never a full ID number there (they are read by auditors)."""
    return [{"name": mask_name(p.name), "id_number": mask_id(p.id_number), "role": p.role} for p in persons]
