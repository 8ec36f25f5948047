"""The campaign numbers of a region's province (CampaignConfig; the declared defaults when the province has no
row), saved by the province's administrator through campaign_config_save (one event on the province's chain)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases import configuration
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
    if "hazard_resolve_wd" in values and not values["hazard_resolve_wd"]:
        raise ValidationError({"hazard_resolve_wd": [_("隐患整改期限须为正整数。")]})
    return configuration.province_settings_save(
        model=CampaignConfig,
        actor=actor,
        province=province,
        values=values,
        fields=FIELDS,
        event="config.campaign_changed",
    )
