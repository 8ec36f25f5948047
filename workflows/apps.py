from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("办案流程")

    def ready(self) -> None:
        # Every deadline handler, domain hook, periodic check and startable flow: listed in workflows.wiring.
        from . import wiring

        wiring.connect()
