from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("办案流程")

    def ready(self) -> None:
        import importlib
        import pkgutil

        from . import deadline_handlers

        deadline_handlers.register()
        # Feature modules (supervision, referral, accountability …): flows, forms, steps, and a
        # register() that adds their startable flows, deadline rules and deadline handlers.
        for module in sorted(m.name for m in pkgutil.iter_modules([self.path]) if m.name.startswith("flows_")):
            feature = importlib.import_module(f"{self.name}.{module}")
            feature.register()
