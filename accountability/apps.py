import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("问责与信用惩戒")

    def ready(self) -> None:
        # The deadline kinds of this app ("listing.term", "accountability.case_overdue") are registered
        # when these modules are imported.
        from . import accountability, listing  # noqa: F401

        # An overdue supervision opens an accountability (SPEC §4.3 step 3). cases.supervision is being
        # written alongside this app: tolerate its absence until it lands.
        try:
            from cases.supervision import on_supervision_overdue
        except ImportError:
            logger.warning(
                "cases.supervision.on_supervision_overdue is missing: overdue supervisions do not open "
                "accountability yet (accountability.accountability.accountability_for_supervision_overdue)"
            )
        else:
            on_supervision_overdue(accountability.accountability_for_supervision_overdue)
