from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("专项行动")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the hazard's resolution clock on the deadline engine: its rule, what its overdue does to the hazard,
        # and how the leader's overdue list names it
        from cases import deadlines

        from .services import KIND, RULE, hazard_overdue, hazard_subject_link

        deadlines.rules_register({KIND: RULE})
        deadlines.on_overdue(KIND, hazard_overdue)
        deadlines.subject_register("campaigns.hazard", hazard_subject_link)
