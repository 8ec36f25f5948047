"""A province's written-review numbers (ReviewConfig), set by its administrator: one event with the changes on
the province's timeline."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases import configuration
from cases.actors import Actor
from cases.models import Region
from cases.tx import one_transaction

from .models import ReviewConfig

FIELDS = ("rectify_wd",)


@one_transaction
def review_config_save(*, actor: Actor, province: Region, values: dict) -> ReviewConfig:
    if "rectify_wd" in values and not 1 <= int(values["rectify_wd"]) <= 60:
        raise ValidationError({"rectify_wd": [_("整改期限须在 1 至 60 个工作日之间。")]})
    return configuration.province_settings_save(
        model=ReviewConfig, actor=actor, province=province, values=values, fields=FIELDS, event="config.review_changed"
    )
