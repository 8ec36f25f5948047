"""The campaign numbers of a region's province (CampaignConfig; the declared defaults when the province has no
row), saved by the province's administrator through campaign_config_save (one event on the province's chain)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases import configuration, timeline
from cases.actors import Actor
from cases.models import Region
from cases.provinces import province_of
from cases.tx import one_transaction

from .models import CampaignConfig

FIELDS = ["hazard_resolve_wd"]


def config_for(region: Region) -> CampaignConfig:
    """The province's row, or an unsaved row with the defaults (nothing is written by reading)."""
    province = province_of(region)
    return CampaignConfig.objects.filter(province=province).first() or CampaignConfig(province=province)


@one_transaction
def campaign_config_save(*, actor: Actor, province: Region, values: dict) -> CampaignConfig:
    if province.level != Region.Level.PROVINCE:
        raise ValidationError({"province": [_("请选择省级区划")]})
    if actor is not None and not configuration.configures(actor, province):
        raise ValidationError({"province": [_("只有省级系统管理员可以修改省级参数和工作日调整")]})
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("不能修改此项")]})
    config = CampaignConfig.objects.select_for_update().filter(province=province).first()
    config = config or CampaignConfig(province=province)
    changes = {f: [str(getattr(config, f)), str(v)] for f, v in values.items() if getattr(config, f) != v}
    if not changes and config.pk is not None:
        return config
    for field, value in values.items():
        setattr(config, field, value)
    if not config.hazard_resolve_wd:
        raise ValidationError({"hazard_resolve_wd": [_("隐患整改期限须为正整数。")]})
    config.full_clean()
    config.save()
    timeline.record(province, "config.campaign_changed", actor=actor, data={"changes": changes})
    return config
