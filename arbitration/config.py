"""The arbitration and legal-aid numbers of a region's province (ArbitrationConfig; the law's defaults when the
province has no row), and the final-award threshold (LDMAL art 47) from the local monthly minimum wage."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases import configuration
from cases.actors import Actor
from cases.models import Region
from cases.tx import one_transaction
from cases.values import yuan
from earlywarning.config import config_for as warning_config_for
from earlywarning.config import province_of

from .models import ArbitrationConfig

FIELDS = [f.name for f in ArbitrationConfig._meta.fields if f.name not in ("id", "province")]


def config_for(region: Region | None) -> ArbitrationConfig:
    """The province's row, or an unsaved row with the defaults (nothing is written by reading)."""
    province = province_of(region) if region is not None else None
    if province is None:
        return ArbitrationConfig()
    return ArbitrationConfig.objects.filter(province=province).first() or ArbitrationConfig(province=province)


def minimum_wage(region: Region) -> Decimal:
    """The local monthly minimum wage: the province's early-warning parameter (最低工资标准), one place for it."""
    return yuan(warning_config_for(region).minimum_wage_monthly)


def final_threshold(region: Region) -> Decimal:
    """LDMAL art 47: 12 (the province's setting) × the local monthly minimum wage."""
    return yuan(minimum_wage(region) * config_for(region).final_award_months)


@one_transaction
def arbitration_config_save(*, actor: Actor, province: Region, values: dict) -> ArbitrationConfig:
    """Set the province's arbitration and legal-aid numbers: one event with the changes on the province's chain.
    Only a province administrator (cases.configuration)."""
    for field in ("final_award_months", "legal_aid_review_days", "legal_aid_assign_days", "green_channel_days"):
        if field in values and (values[field] is None or int(values[field]) <= 0):
            raise ValidationError({field: [_("必须大于零。")]})
    return configuration.province_settings_save(
        model=ArbitrationConfig,
        actor=actor,
        province=province,
        values=values,
        fields=FIELDS,
        event="config.arbitration_changed",
    )
