"""The 督办/约谈 numbers of a region's province (JointMeetingConfig; the declared defaults when it has none)."""

from __future__ import annotations

from cases import configuration
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
    values = {k: v for k, v in values.items() if k in FIELDS}  # the admin form may hand more
    return configuration.province_settings_save(
        model=JointMeetingConfig,
        actor=actor,
        province=province,
        values=values,
        fields=FIELDS,
        event="config.jointmeeting_changed",
    )
