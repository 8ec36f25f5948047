from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("双随机一公开")
    default_auto_field = "django.db.models.BigAutoField"
