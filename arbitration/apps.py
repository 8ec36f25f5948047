from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArbitrationConfig(AppConfig):
    name = "arbitration"
    verbose_name = _("仲裁与法律援助转介")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # cases knows nothing of referrals: the clocks, the SMS texts and the worker's status page's stages
        # are registered here.
        from cases.notifications import texts_register
        from cases.public_status import stage_provider_register

        from . import rules
        from .public import TEXTS, referral_stages

        rules.register()
        texts_register(TEXTS)
        stage_provider_register(referral_stages)
