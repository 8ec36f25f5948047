"""A province's written-review numbers (ReviewConfig), set by its administrator: one event with the changes on
the province's timeline."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases import configuration, timeline
from cases.actors import Actor
from cases.models import Region
from cases.tx import one_transaction

from .models import ReviewConfig

FIELDS = ("rectify_wd",)


@one_transaction
def review_config_save(*, actor: Actor, province: Region, values: dict) -> ReviewConfig:
    if province.level != Region.Level.PROVINCE:
        raise ValidationError({"province": [_("请选择省级区划")]})
    if actor is not None and not configuration.configures(actor, province):
        raise ValidationError({"province": [_("只有省级系统管理员可以修改省级参数和工作日调整")]})
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("不能修改此项")]})
    if "rectify_wd" in values and not 1 <= int(values["rectify_wd"]) <= 60:
        raise ValidationError({"rectify_wd": [_("整改期限须在 1 至 60 个工作日之间。")]})
    config = ReviewConfig.objects.select_for_update().filter(province=province).first() or ReviewConfig(
        province=province
    )
    changes = {f: [str(getattr(config, f)), str(v)] for f, v in values.items() if getattr(config, f) != v}
    if not changes and config.pk is not None:
        return config
    for field, value in values.items():
        setattr(config, field, value)
    config.full_clean()
    config.save()
    timeline.record(province, "config.review_changed", actor=actor, data={"changes": changes})
    return config
