from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    """The yearly assessment (考核) of the cities and counties from the system's own data, and its circulars (通报)."""

    name = "assessment"
    verbose_name = _("考核与通报")
    default_auto_field = "django.db.models.BigAutoField"
