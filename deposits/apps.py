from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepositsConfig(AppConfig):
    name = "deposits"
    verbose_name = _("工资保证金与应急周转金")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the coverage indicators' share of projects with their wage deposit in place (projects.coverage)
        from projects.coverage import register_figure

        from .selectors import deposit_in_place_q

        register_figure("deposit", _("工资保证金"), deposit_in_place_q)
