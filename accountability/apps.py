from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    """Credit listing and official accountability. Its deadline rules ("listing.term",
    "accountability.case_overdue") are registered when accountability.listing / .accountability are imported;
    what makes this app react to events of cases (an overdue supervision, an overdue case deadline) and what
    the flows start when it opens a row are connected in workflows.wiring (accountability → cases only)."""

    name = "accountability"
    verbose_name = _("问责与信用惩戒")
