"""The 督办/约谈 numbers of a region's province (JointMeetingConfig; the declared defaults when it has none)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases import configuration, timeline
from cases.actors import Actor
from cases.models import Region
from cases.tx import one_transaction

from .models import JointMeetingConfig


def config_for(region: Region) -> JointMeetingConfig:
    """The province's row, or an unsaved row with the defaults (nothing is written by reading)."""
    if region.level == Region.Level.PROVINCE:
        province: Region | None = region
    else:
        province = Region.objects.filter(code=region.code[:2] + "0000").first()
    if province is None:
        return JointMeetingConfig()
    return JointMeetingConfig.objects.filter(province=province).first() or JointMeetingConfig(province=province)


FIELDS = ["matter_days", "followup_days"]


@one_transaction
def joint_config_save(*, actor: Actor, province: Region, values: dict) -> JointMeetingConfig:
    """Set the province's 督办/约谈 numbers (a row with the defaults on the first change): one event with the
    changes on the province's timeline. Only a province administrator (cases.configuration)."""
    if province.level != Region.Level.PROVINCE:
        raise ValidationError({"province": [_("请选择省级区划")]})
    if actor is not None and not configuration.configures(actor, province):
        raise ValidationError({"province": [_("只有省级系统管理员可以修改省级参数和工作日调整")]})
    config = JointMeetingConfig.objects.select_for_update().filter(province=province).first()
    config = config or JointMeetingConfig(province=province)
    values = {k: v for k, v in values.items() if k in FIELDS}
    changes = {f: [str(getattr(config, f)), str(v)] for f, v in values.items() if getattr(config, f) != v}
    if not changes and config.pk is not None:
        return config
    for field, value in values.items():
        setattr(config, field, value)
    config.full_clean()
    config.save()
    timeline.record(province, "config.jointmeeting_changed", actor=actor, data={"changes": changes})
    return config
