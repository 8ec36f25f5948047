from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("工程项目")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cases.liable_units import liable_proposers_register

        from .chain import liable_proposals

        liable_proposers_register(liable_proposals)  # the case page's liable units: the chain's proposals
