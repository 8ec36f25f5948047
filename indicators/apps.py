from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    """The plan's coverage indicators (二(一)) per region and month, their page, the monthly report upward."""

    name = "indicators"
    verbose_name = _("覆盖率指标")
