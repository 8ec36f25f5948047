from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("双随机一公开")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the clocks of an inspection's rectification and a plan's publication on the deadline engine, the
        # overdue publication's reminder, and how the engine's pages name and link those subjects
        from cases.web.origin_links import origin_link_register

        from . import clocks
        from .rectification import case_origin_links

        clocks.register()
        origin_link_register(case_origin_links)  # the case page links back to its inspection
