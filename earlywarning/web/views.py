"""Staff pages of the early warning: the signals list (filters: level, rule, region, status, project), a
signal's page (its evidence in readable Chinese, its events), a signal entered by hand, and the project
page's "check now". Thin views over earlywarning.scope and one service each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import scope as case_scope
from cases.models import TimelineEvent
from cases.timeline.labels import event_label
from projects import scope as project_scope

from .. import scope, sources
from ..checks.run import month_of, previous_month, project_month_check
from ..explanation import explanation_clock
from ..forms import SignalEntryForm
from ..models import Signal
from ..rules import RULES, rule_title
from ..selectors import evidence_rows, signal_summary


@require_GET
@login_required
def signal_list(request):
    qs = scope.signals_visible(request.user).select_related("region", "project", "unit__employer")
    f = {k: (request.GET.get(k) or "").strip()[:40] for k in ("level", "rule", "status", "region", "project", "own")}
    if f["level"] in Signal.Level.values:
        qs = qs.filter(level=f["level"])
    if f["rule"] in RULES:
        qs = qs.filter(rule=f["rule"])
    if f["status"] == "active":
        qs = qs.filter(status__in=Signal.OPEN_STATUSES)
    elif f["status"] in Signal.Status.values:
        qs = qs.filter(status=f["status"])
    if f["region"] and f["own"] == "1":  # the region's own office only (a coverage page's 本级 row)
        qs = qs.filter(region__code=f["region"])
    elif f["region"]:
        qs = case_scope.within_region_code(qs, f["region"])
    if f["project"]:
        qs = qs.filter(project__project_no=f["project"])
    page = Paginator(qs.order_by("-raised_at", "-id"), 50).get_page(request.GET.get("page"))
    rows = [
        {"signal": s, "rule": rule_title(s.rule), "project": s.project, "unit": s.unit.employer.name if s.unit else ""}
        for s in page
    ]
    return render(request, "earlywarning/signal_list.html", {
        "page": page, "rows": rows, "f": f,
        "levels": Signal.Level.choices, "statuses": Signal.Status.choices,
        "rules": [(code, info.title) for code, info in RULES.items()],
        "query": urlencode({k: v for k, v in f.items() if v}),
        "can_enter": scope.handles_anywhere(request.user),
    })  # fmt: skip


@require_GET
@login_required
def signal_detail(request, pk):
    if not scope.reads_anywhere(request.user):
        raise PermissionDenied
    signal = scope.signal_for_user(request.user, pk)
    events = TimelineEvent.objects.filter(region=signal.region, data__signal=signal.pk).order_by("id")
    return render(request, "earlywarning/signal_detail.html", {
        "signal": signal,
        "rule": rule_title(signal.rule),
        "reference": RULES[signal.rule].reference if signal.rule in RULES else "",
        "summary": signal_summary(signal),
        "explanation_clock": explanation_clock(signal) if signal.explain_due_on else None,
        "evidence": evidence_rows(signal),
        "events": [{"at": e.at, "label": event_label(e.kind), "actor": e.actor_name} for e in events],
        "sees_case": signal.case is not None and case_scope.can(
            request.user, case_scope.Right.READ_CASE, region=signal.case.region, case_id=signal.case_id),
    })  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def signal_new(request):
    if not scope.handles_anywhere(request.user):
        raise PermissionDenied
    form = SignalEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signal = sources.signal_enter_for(request.user, form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("预警线索已录入，将分派给本机构监察员研判处置。"))
            return redirect("earlywarning:detail", pk=signal.pk)
    return render(request, "earlywarning/signal_new.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
@login_required
def project_check(request, project_no):
    """The project page's "check now": the month asked for (default: last month), for staff who handle it."""
    project = project_scope.project_for_user(request.user, project_no)
    if not scope.can_check(request.user, project.region):
        raise PermissionDenied
    try:
        month = month_of(request.POST.get("month") or previous_month(timezone.localdate()))
    except (ValueError, TypeError):
        messages.error(request, _("月份格式应为 YYYY-MM。"))
        return redirect("projects:detail", project_no=project.project_no)
    result = project_month_check(project=project, month=month, actor=request.user)
    found = sum(v for k, v in result.outcomes.items() if k != "resolved")
    messages.success(request, _("已完成 %(m)s 月度检查：发现预警 %(n)s 条，消除 %(r)s 条。") % {
        "m": f"{month:%Y-%m}", "n": found, "r": result.outcomes.get("resolved", 0)})  # fmt: skip
    return redirect(reverse("earlywarning:index") + "?" + urlencode({"project": project.project_no}))
