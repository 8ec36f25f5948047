from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("办案流程")

    def ready(self) -> None:
        from . import deadline_handlers

        deadline_handlers.register()
