"""{% project_check_button project %}: the project page's "check now" form, for staff who handle the project's
signals (an inspector of its office, a leader over it); the count of its open signals for its readers."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ..checks.run import previous_month
from ..models import Signal
from ..scope import can_check, can_read

register = template.Library()


@register.inclusion_tag("earlywarning/project_check_button.html", takes_context=True)
def project_check_button(context, project):
    user = context["request"].user
    open_signals = [
        s for s in Signal.objects.filter(project=project, status__in=Signal.OPEN_STATUSES).select_related("region")
        if can_read(user, s)
    ]  # fmt: skip
    return {
        "project": project,
        "can_check": can_check(user, project.region),
        "month": f"{previous_month(timezone.localdate()):%Y-%m}",
        "open_signals": len(open_signals),
        "csrf_token": context.get("csrf_token"),
    }
