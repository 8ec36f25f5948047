"""The two pools of 双随机一公开 (一单两库): the certified inspectors of a region and its inspection targets
(employers with their GB/T 4754 section and size, construction projects), and the recusals between them.

Keyword-only, `actor` explicit, one transaction each, one event per change on the region's timeline.
An inspector is drawn only while in the pool with a certificate number whose validity (when entered) has not
run out (`drawable_inspectors`); why one is not drawn is `Inspector.undrawable_reason`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import timeline
from cases.actors import Actor
from cases.industries import Industry
from cases.models import Employer, Region, Role, StaffRole
from cases.tx import one_transaction
from projects.models import Project

from .models import Conflict, Inspector, Target

# construction projects are GB/T 4754 section E (建筑业)
PROJECT_INDUSTRY = "E"


def _fail(field: str, message: str) -> NoReturn:
    raise ValidationError({field: [message]})


def drawable_inspectors(region: Region, *, on: date | None = None) -> QuerySet[Inspector]:
    """The inspectors the draw may pick: in the region's pool, with a certificate number, not expired."""
    on = on or timezone.localdate()
    return (
        Inspector.objects.filter(region=region, active=True)
        .exclude(certificate_no="")
        .filter(Q(certificate_valid_until__isnull=True) | Q(certificate_valid_until__gte=on))
    )


def inspector_candidates(region: Region) -> QuerySet:
    """Staff accounts holding the inspector role at the region, not yet in its pool (the enrolment list)."""
    from django.contrib.auth import get_user_model

    users = StaffRole.objects.filter(region=region, role=Role.INSPECTOR).values("user_id")
    enrolled = Inspector.objects.filter(region=region, active=True).values("user_id")
    return get_user_model().objects.filter(pk__in=users, is_active=True).exclude(pk__in=enrolled).order_by("username")


@one_transaction
def inspector_enrol(*, region: Region, user, name: str, certificate_no: str, actor: Actor,
                    certificate_valid_until: date | None = None) -> Inspector:  # fmt: skip
    """An inspector in the region's pool (a staff account with the inspector role there); without a valid
    certificate, kept but never drawn. Enrolling again updates the certificate and puts a removed one back."""
    if user is None or not StaffRole.objects.filter(user=user, region=region, role=Role.INSPECTOR).exists():
        _fail("user", _("只能选择本区划具有监察员岗位的工作人员。"))
    name = (name or "").strip() or _fail("name", _("请填写检查人员姓名。"))
    certificate_no = (certificate_no or "").strip()
    if len(certificate_no) > 40:
        _fail("certificate_no", _("执法证号不得超过 40 个字符。"))
    inspector, _created = Inspector.objects.update_or_create(
        region=region, user=user, defaults={
            "name": name, "certificate_no": certificate_no, "certificate_valid_until": certificate_valid_until,
            "active": True, "removed_reason": "",
        },
    )  # fmt: skip
    timeline.record(region, "inspection.inspector_enrolled", actor=actor, data={
        "inspector": inspector.pk, "name": name, "certificate_no": certificate_no,
        "valid_until": certificate_valid_until.isoformat() if certificate_valid_until else "",
        "drawable": inspector.drawable,
    })  # fmt: skip
    return inspector


@one_transaction
def inspector_remove(*, inspector: Inspector, reason: str, actor: Actor) -> Inspector:
    """Out of the pool (transferred, retired, certificate withdrawn): no longer drawn; past draws keep it."""
    inspector = Inspector.objects.select_for_update().get(pk=inspector.pk)
    reason = (reason or "").strip() or _fail("reason", _("请填写移出理由。"))
    if not inspector.active:
        _fail("reason", _("该检查人员已移出检查人员库。"))
    inspector.active, inspector.removed_reason = False, reason[:200]
    inspector.save(update_fields=["active", "removed_reason"])
    timeline.record(inspector.region, "inspection.inspector_removed", actor=actor,
                    data={"inspector": inspector.pk, "name": inspector.name, "reason": reason})  # fmt: skip
    return inspector


def _in_region(region: Region, obj) -> bool:
    return obj.region_id is not None and (obj.region_id == region.pk or obj.region.path.startswith(region.path))


@one_transaction
def target_enrol(*, region: Region, actor: Actor, industry: str, size: str = Target.Size.SMALL,
                 employer=None, project=None) -> Target:  # fmt: skip
    """An employer or a construction project of the region in its target pool, with its industry and size."""
    if (employer is None) == (project is None):
        _fail("employer", _("请选择用人单位或工程项目（二者选一）。"))
    subject = employer or project
    if not _in_region(region, subject):
        _fail("project" if project else "employer", _("只能将本区划的用人单位或工程项目纳入检查对象库。"))
    if industry not in Industry.values:
        _fail("industry", _("行业门类须为国民经济行业分类的门类之一。"))
    if size not in Target.Size.values:
        _fail("size", _("请选择企业规模。"))
    existing = Target.objects.filter(region=region, employer=employer, project=project).first()
    if existing is not None and existing.active:
        _fail("project" if project else "employer", _("该对象已在检查对象库中。"))
    if existing is not None:
        existing.industry, existing.size, existing.active, existing.removed_reason = industry, size, True, ""
        existing.save(update_fields=["industry", "size", "active", "removed_reason"])
        target = existing
    else:
        target = Target.objects.create(region=region, employer=employer, project=project, industry=industry, size=size)
    timeline.record(region, "inspection.target_enrolled", actor=actor,
                    data={"target": target.pk, "name": target.name, "industry": industry, "size": size})  # fmt: skip
    return target


def bulk_candidates(region: Region, *, source: str, industry: str = "") -> QuerySet:
    """The region's (and its subregions') employers or projects not yet in the pool; employers by section."""
    if source == "projects":
        taken = Target.objects.filter(region=region, active=True, project__isnull=False).values("project_id")
        return Project.objects.filter(region__path__startswith=region.path).exclude(pk__in=taken).order_by("pk")
    held = Target.objects.filter(region=region, active=True, employer__isnull=False).values("employer_id")
    qs = Employer.objects.filter(region__path__startswith=region.path).exclude(pk__in=held).exclude(industry="")
    if industry:
        qs = qs.filter(industry=industry)
    return qs.order_by("pk")


@one_transaction
def targets_bulk_enrol(*, region: Region, source: str, actor: Actor, industry: str = "",
                       size: str = Target.Size.SMALL, limit: int = 2000) -> list[Target]:  # fmt: skip
    """Every employer (of the section, when given; those without a section are left for a person to classify)
    or every construction project of the region not yet in the pool, at most `limit`: one event naming them."""
    if source not in ("employers", "projects"):
        _fail("source", _("请选择用人单位或工程项目。"))
    if industry and industry not in Industry.values:
        _fail("industry", _("行业门类须为国民经济行业分类的门类之一。"))
    if size not in Target.Size.values:
        _fail("size", _("请选择企业规模。"))
    candidates: Iterable = bulk_candidates(region, source=source, industry=industry)[:limit]
    targets = []
    for obj in candidates:
        existing = Target.objects.filter(region=region, **{source[:-1]: obj}).first()
        section = PROJECT_INDUSTRY if source == "projects" else obj.industry
        if existing is not None:  # removed earlier: back in the pool
            existing.industry, existing.size, existing.active, existing.removed_reason = section, size, True, ""
            existing.save(update_fields=["industry", "size", "active", "removed_reason"])
            targets.append(existing)
        else:
            targets.append(Target(region=region, industry=section, size=size, **{source[:-1]: obj}))
    new = [t for t in targets if t.pk is None]
    Target.objects.bulk_create(new)
    if not targets:
        _fail("source", _("没有可加入的对象：符合条件的对象均已在库中（未登记行业门类的单位须先补登行业）。"))
    timeline.record(region, "inspection.targets_bulk_enrolled", actor=actor, data={
        "source": source, "industry": industry, "size": size, "count": len(targets),
        "targets": sorted(t.pk for t in targets),
    })  # fmt: skip
    return targets


@one_transaction
def target_remove(*, target: Target, reason: str, actor: Actor) -> Target:
    """Out of the target pool (closed down, moved away): no longer drawn; past inspections keep it."""
    target = Target.objects.select_for_update().get(pk=target.pk)
    reason = (reason or "").strip() or _fail("reason", _("请填写移出理由。"))
    if not target.active:
        _fail("reason", _("该对象已移出检查对象库。"))
    target.active, target.removed_reason = False, reason[:200]
    target.save(update_fields=["active", "removed_reason"])
    timeline.record(target.region, "inspection.target_removed", actor=actor,
                    data={"target": target.pk, "name": target.name, "reason": reason})  # fmt: skip
    return target


@one_transaction
def recusal_record(*, inspector: Inspector, target: Target, reason: str, actor: Actor) -> Conflict:
    """An inspector linked to a target (kin, former employment, an earlier case): never drawn for it."""
    reason = (reason or "").strip() or _fail("reason", _("请填写回避理由。"))
    if inspector.region_id != target.region_id:
        _fail("target", _("检查人员和检查对象须属同一区划的名录库。"))
    conflict, created = Conflict.objects.get_or_create(inspector=inspector, target=target, defaults={"reason": reason})
    if not created:
        _fail("target", _("该检查人员与该对象的回避关系已登记。"))
    timeline.record(target.region, "inspection.recusal_recorded", actor=actor, data={
        "inspector": inspector.pk, "name": inspector.name, "target": target.pk, "target_name": target.name,
        "reason": reason,
    })  # fmt: skip
    return conflict
