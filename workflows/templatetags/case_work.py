"""{% case_tasks case as tasks %}: the open tasks of a case this user may do now — those routed to them
(claimed), then those of the case they may take from the queue — for the case page's action bar. The case
page lives in cases.web, below the flows: it asks through this tag (the template), never by an import."""

from django import template
from viewflow.workflow.status import STATUS

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def case_tasks(context, case) -> list[dict]:
    from viewflow.workflow.models import Task

    request = context.get("request")
    if request is None or case is None or not request.user.is_authenticated:
        return []
    user = request.user
    mine = Task.objects.filter(process__caseprocess__case_id=case.pk, owner=user, status=STATUS.ASSIGNED)
    open_ = Task.objects.filter(selectors.queue_filter(user), process__caseprocess__case_id=case.pk, status=STATUS.NEW)
    rows = []
    for task, claimed in [
        *((t, True) for t in mine.order_by("id")[:10]),
        *((t, False) for t in open_.order_by("id")[:10]),
    ]:
        rows.append({"pk": task.pk, "title": task.flow_task.task_title, "claimed": claimed})
    return rows


@register.simple_tag(takes_context=True)
def case_money_actions(context, case) -> list[dict]:
    """{% case_money_actions case as money %}: the deposit drawdown (when the case's project holds a wage deposit)
    and the emergency wage fund's advance, for the people who may investigate the case (deposits' scope rule);
    each opens its step's page (deposits), which says whether it may be taken now and why."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from deposits import scope as deposit_scope
    from deposits.drawdown import deposit_for_case

    request = context.get("request")
    if request is None or case is None or not request.user.is_authenticated:
        return []
    if not deposit_scope.can_investigate(request.user, case):
        return []
    actions = []
    if deposit_for_case(case) is not None:
        actions.append({"label": _("动用工资保证金"), "url": reverse("deposits:drawdown", args=[case.case_no])})
    actions.append({"label": _("申请应急周转金垫付"), "url": reverse("deposits:advance", args=[case.case_no])})
    return actions


@register.simple_tag(takes_context=True)
def referral_actions(context, case=None, complaint=None) -> list[dict]:
    """{% referral_actions case=case as refer %} / {% referral_actions complaint=complaint as refer %}: the
    referrals of the case or complaint (each opening its page) and, for who may refer it, the links to refer it
    to the arbitration commission or the legal-aid centre (arbitration.scope decides)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from arbitration import scope as arbitration_scope
    from arbitration.models import Office, Referral

    request = context.get("request")
    if request is None or not request.user.is_authenticated or (case is None and complaint is None):
        return []
    user = request.user
    if case is not None:
        existing = Referral.objects.filter(case=case)
        may = arbitration_scope.can_refer_case(user, case)
        query = f"case={case.case_no}"
    else:
        existing = Referral.objects.filter(complaint=complaint, case__isnull=True)
        may = arbitration_scope.can_refer_complaint(user, complaint)
        query = f"complaint={complaint.receipt_no}"
    actions = [
        {"label": f"{r.get_office_display()} · {r.number} · {r.get_status_display()}",
         "url": reverse("arbitration:detail", args=[r.pk]), "existing": True}
        for r in existing.select_related("region").order_by("id")
    ]  # fmt: skip
    if may:
        base = reverse("arbitration:new")
        actions.append({"label": _("转介劳动人事争议仲裁委员会"), "url": f"{base}?{query}&office={Office.ARBITRATION}"})
        actions.append({"label": _("转介法律援助中心"), "url": f"{base}?{query}&office={Office.LEGAL_AID}"})
    return actions
