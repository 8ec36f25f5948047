from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarlyWarningConfig(AppConfig):
    name = "earlywarning"
    verbose_name = _("欠薪预警")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # a red signal escalated for being left unhandled past its day counts for a 挂牌督办 proposal of the case
        # opened from it (cases.supervision.rules)
        from django.db.models import Exists, OuterRef, Q

        from cases.supervision.rules import supervision_rule_register

        from .models import Signal

        def red_signal_overdue() -> Q:
            red = Signal.objects.filter(case_id=OuterRef("pk"), level=Signal.Level.RED, escalated_at__isnull=False)
            return Q(Exists(red))

        supervision_rule_register("red_signal_overdue", _("红色欠薪预警逾期未处置"), red_signal_overdue)

        # the unit's window to explain a signal, on the deadline engine (earlywarning.explanation)
        from .explanation import register

        register()
