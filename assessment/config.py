"""The assessment numbers of a region's province (AssessmentConfig; the defaults when the province has no row)."""

from __future__ import annotations

from cases import configuration
from cases.actors import Actor
from cases.models import Region
from cases.tx import one_transaction

from .models import AssessmentConfig

FIELDS = [f.name for f in AssessmentConfig._meta.fields if f.name not in ("id", "province")]


def province_of(region: Region) -> Region | None:
    if region.level == Region.Level.PROVINCE:
        return region
    return Region.objects.filter(code=region.code[:2] + "0000").first()


def config_for(region: Region) -> AssessmentConfig:
    """The province's row, or an unsaved row with the defaults (reading writes nothing)."""
    province = province_of(region)
    row = AssessmentConfig.objects.filter(province=province).first() if province is not None else None
    return row or AssessmentConfig(province=province)


def config_snapshot(config: AssessmentConfig) -> dict:
    """The numbers an assessment is computed with, kept on it (a later change of the settings moves nothing)."""
    return {
        "weights": config.weights(),
        "incident_deduction": str(config.incident_deduction),
        "grade_a_min": str(config.grade_a_min),
        "grade_b_min": str(config.grade_b_min),
    }


@one_transaction
def assessment_config_save(*, actor: Actor, province: Region, values: dict) -> AssessmentConfig:
    """Set the province's assessment numbers (a row with the defaults on the first change): one event with the
    changes on the province's timeline. Only a province administrator (cases.configuration)."""
    return configuration.province_settings_save(
        model=AssessmentConfig,
        actor=actor,
        province=province,
        values=values,
        fields=FIELDS,
        event="config.assessment_changed",
    )
