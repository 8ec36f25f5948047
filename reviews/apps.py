from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("年度书面审查")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """The written review's clocks on the deadline engine and what their warning and overdue do."""
        from cases import deadlines

        from . import services
        from .rules import RULES, WINDOW

        deadlines.rules_register(RULES)
        deadlines.on_warning(WINDOW, services.window_warned)  # reminder letters to those not yet reported
        deadlines.on_overdue(WINDOW, services.window_overdue)  # the window closes
        # how the leader's overdue list names these clocks' subjects and links their pages
        deadlines.subject_register("reviews.campaign", services.campaign_link)
        deadlines.subject_register("reviews.finding", services.finding_link)
