from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointMeetingConfig(AppConfig):
    name = "jointmeeting"
    verbose_name = _("联席会议")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the clocks of 督办 and 约谈 on the deadline engine, and what happens when they run out
        from . import clocks

        clocks.register()
