"""Configuration services: province parameters (省级参数) and the working-day calendar's overrides.

Both are the province administrators' (an admin holding the role at the province itself; a superuser):
a province's parameters only its own, the working-day calendar (national, one table) any of them. City
and county administrators neither see nor change them. Every change is an event on a region's
administration timeline: config.province_changed (the changed fields, old → new) on the province;
config.workday_override_saved / config.workday_override_deleted on every province (the calendar reaches
every province's deadlines).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from . import scope, timeline
from .accounts import administers, is_superuser
from .actors import Actor
from .models import ProvinceConfig, Region, Role, WorkdayOverride
from .tx import one_transaction

M = TypeVar("M", bound=models.Model)

PROVINCE_FIELDS = [f.name for f in ProvinceConfig._meta.concrete_fields if f.name not in ("id", "province")]


def provinces_administered(actor: Actor) -> list[int]:
    """Ids of the provinces whose parameters `actor` administers: where it holds the admin role at the
    province itself. A superuser: every province."""
    provinces = Region.objects.filter(level=Region.Level.PROVINCE)
    if is_superuser(actor):
        return list(provinces.values_list("pk", flat=True))
    admin_at = [g.region_id for g in scope.grants(actor) if g.role == Role.ADMIN]
    return list(provinces.filter(pk__in=admin_at).values_list("pk", flat=True))


def configures(actor: Actor, province: Region | None = None) -> bool:
    """Whether `actor` administers province parameters (of `province`) and the working-day calendar."""
    administered = provinces_administered(actor) if actor is not None and actor.is_active else []
    return bool(administered) if province is None else province.pk in administered


def _check(actor: Actor, province: Region | None = None, field: str = "province") -> None:
    if actor is not None and not configures(actor, province):
        raise ValidationError({field: [_("只有省级系统管理员可以修改省级参数和工作日调整")]})


def _role(actor: Actor) -> str:
    return Role.ADMIN if actor is not None and scope.has_role(actor, Role.ADMIN) else ""


@one_transaction
def province_config_save(*, actor: Actor, province: Region, values: dict) -> ProvinceConfig:
    """Set province parameters (a row is created with the defaults on the first change). `values`: field →
    new value, for the fields of ProvinceConfig other than the province."""
    if province.level != Region.Level.PROVINCE:
        raise ValidationError({"province": [_("请选择省级区划")]})
    _check(actor, province)
    unknown = set(values) - set(PROVINCE_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("不能修改此项")]})
    config = ProvinceConfig.objects.select_for_update().filter(province=province).first()
    config = config or ProvinceConfig(province=province)
    changes = {f: [getattr(config, f), v] for f, v in values.items() if getattr(config, f) != v}
    if not changes and config.pk is not None:
        return config
    for field, (_old, new) in changes.items():
        setattr(config, field, new)
    config.full_clean()
    config.save()
    timeline.record(province, "config.province_changed", actor=actor, role=_role(actor), data={"changes": changes})
    return config


def province_settings_save(
    *, model: type[M], actor: Actor, province: Region, values: dict, fields: Iterable[str], event: str
) -> M:
    """The one way a per-province settings row of an application (the early-warning numbers, the assessment's
    weights, the campaigns', reviews', arbitration's and joint meeting's numbers) is set, in its caller's
    transaction: only by a province administrator; a row with the defaults on the first change; one `event`
    with the changes (old and new, as text) on the province's timeline; nothing written when nothing changes."""
    if province.level != Region.Level.PROVINCE:
        raise ValidationError({"province": [_("请选择省级区划")]})
    _check(actor, province)
    unknown = set(values) - set(fields)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("不能修改此项")]})
    config = model._default_manager.select_for_update().filter(province=province).first()
    config = config or model(province=province)
    changes = {f: [str(getattr(config, f)), str(v)] for f, v in values.items() if getattr(config, f) != v}
    if not changes and config.pk is not None:
        return config
    for field, value in values.items():
        setattr(config, field, value)
    config.full_clean()
    config.save()
    timeline.record(province, event, actor=actor, data={"changes": changes})
    return config


def _calendar_event(kind: str, *, actor: Actor, data: dict) -> None:
    provinces = Region.objects.filter(level=Region.Level.PROVINCE).order_by("pk")
    role = _role(actor)
    timeline.record_many([timeline.Entry(p, kind, actor=actor, role=role, data=data) for p in provinces])


@one_transaction
def workday_override_save(
    *, actor: Actor, day: date, is_workday: bool, note: str = "", override: WorkdayOverride | None = None
) -> WorkdayOverride:
    """Add a correction of the holiday calendar, or change `override` (its date too)."""
    _check(actor, field="date")
    clash = WorkdayOverride.objects.filter(date=day)
    if override:
        clash = clash.exclude(pk=override.pk)
    if clash.exists():
        raise ValidationError({"date": [_("该日期已有调整记录")]})
    old = None
    if override is not None:
        override = WorkdayOverride.objects.select_for_update().get(pk=override.pk)
        old = {"date": override.date, "is_workday": override.is_workday, "note": override.note}
    else:
        override = WorkdayOverride()
    override.date, override.is_workday, override.note = day, is_workday, note
    override.full_clean()
    override.save()
    new = {"date": day, "is_workday": is_workday, "note": note}
    if old != new:
        _calendar_event("config.workday_override_saved", actor=actor, data={"old": old, "new": new})
    return override


@one_transaction
def workday_override_delete(*, actor: Actor, override: WorkdayOverride) -> None:
    _check(actor, field="date")
    override = WorkdayOverride.objects.select_for_update().get(pk=override.pk)
    old = {"date": override.date, "is_workday": override.is_workday, "note": override.note}
    override.delete()
    _calendar_event("config.workday_override_deleted", actor=actor, data={"old": old})


@one_transaction
def region_rename(*, actor: Actor, region: Region, name: str) -> Region:
    """Correct a region's name (GB/T 2260 data): an administrator within its subtree."""
    if actor is not None and not (administers(actor) and scope.manages_region(actor, region)):
        raise ValidationError({"name": [_("该区划不在您的管理范围内")]})
    name = (name or "").strip()
    max_length = Region._meta.get_field("name").max_length or 0  # a CharField's: always set
    if not name or len(name) > max_length:
        raise ValidationError({"name": [_("请填写名称（不超过64个字）")]})
    region = Region.objects.select_for_update().get(pk=region.pk)
    if region.name != name:
        old, region.name = region.name, name
        region.save(update_fields=["name"])
        timeline.record(region, "region.renamed", actor=actor, role=_role(actor), data={"old": old, "new": name})
    return region
