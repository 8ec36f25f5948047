"""Staff pages of the flows: inbox, queue, the task page, complaint entry and bulk import.

Thin views: look the object up through the scope module or a selector, call one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import intake, scope
from cases.deadlines import days_left, subject_link
from cases.web.list_export import export_requested, xlsx_response
from projects.links import intake_project

from . import leader, routing, selectors, services, starts
from .complaint_forms import ImportForm, StaffComplaintForm
from .list_columns import TASK_COLUMNS


@login_required
def home(request):
    """Each role starts where its work is (workflows.menu.LANDING): the clerk at the intake queue, the
    inspector at its tasks, the leader at approvals and overdue, the auditor at the case search, the
    administrator at the accounts."""
    from .menu import landing_url

    url = landing_url(request.user)
    if url is None:
        raise PermissionDenied
    return redirect(url)


def _conflict(request, message: str) -> HttpResponse:
    return render(request, "workflows/conflict.html", {"message": message}, status=409)


def _page(request, qs, template: str, title: str, **extra):
    if export_requested(request):
        return xlsx_response(qs, TASK_COLUMNS, title=str(title))
    try:
        after = int(request.GET.get("after") or 0) or None
    except ValueError:
        after = None
    rows, next_after = selectors.keyset_page(qs, after=after)
    return render(request, template, {"tasks": rows, "next_after": next_after, "title": title, **extra})


@require_GET
@login_required
def inbox(request):
    return _page(request, selectors.tasks_inbox(request.user), "workflows/task_list.html", _("我的待办"), mode="inbox")


@require_GET
@login_required
def queue(request):
    return _page(
        request,
        selectors.tasks_queue(request.user),
        "workflows/task_list.html",
        _("待领取"),
        mode="queue",
        assignees=routing.assignees_for(request.user),
    )


@require_POST
@login_required
def queue_claim(request):
    """Bulk claim: each task is checked on its own; the page reports what was claimed."""
    claimed, refused = [], []
    for raw in request.POST.getlist("task")[:100]:
        try:
            task = selectors.task_for_user(request.user, int(raw))
            services.task_assign(task=task, actor=request.user)
            claimed.append(raw)
        except (ValueError, Http404, PermissionDenied, services.TaskConflict):
            refused.append(raw)  # out of scope, no right or taken: reported alike, nothing revealed
    if claimed:
        messages.success(request, _("已领取 %(n)d 项任务。") % {"n": len(claimed)})
    if refused:
        messages.warning(request, _("%(n)d 项任务无法领取（已被领取或无权办理）。") % {"n": len(refused)})
    return redirect("tasks:inbox")


@require_POST
@login_required
def queue_assign(request):
    """Bulk assignment by a leader to a named person (SPEC §7): each task checked on its own
    (workflows.routing.task_assign_to); the page reports what was given and what was refused."""
    people = {str(u.pk): u for u in routing.assignees_for(request.user)}
    if not people:
        raise PermissionDenied
    assignee = people.get(request.POST.get("assignee") or "")
    if assignee is None:
        messages.warning(request, _("请选择要分派给的人员。"))
        return redirect("tasks:queue")
    given, refused = [], []
    for raw in request.POST.getlist("task")[:100]:
        try:
            task = selectors.task_for_user(request.user, int(raw))
            routing.task_assign_to(task=task, assignee=assignee, actor=request.user)
            given.append(raw)
        except (ValueError, Http404, PermissionDenied, services.TaskConflict):
            refused.append(raw)
    name = assignee.get_full_name() or assignee.get_username()
    if given:
        messages.success(request, _("已将 %(n)d 项任务分派给 %(name)s。") % {"n": len(given), "name": name})
    if refused:
        messages.warning(request, _("%(n)d 项任务无法分派（已被领取，或对方、您无权办理）。") % {"n": len(refused)})
    return redirect("tasks:queue")


def _filing(process) -> dict | None:
    """A proactive filing's proposal (立案审批表), shown on its approval step: what the leader approves."""
    from cases.models import Case, FilingProposal

    if process.case_id or process.complaint_id or not isinstance(process.artifact, FilingProposal):
        return None
    proposal = process.artifact.proposal
    return {
        "origin": Case.Origin(proposal["origin"]).label,
        "employer": proposal["employer"]["name"],
        "project": proposal["project"]["name"],
        "workers": proposal["workers_count"],
        "amount": proposal["amount_owed"],
        "facts": proposal["facts"],
        "proposer": process.artifact.proposer,
    }


def _task_context(request, task, form=None):
    node = task.flow_task
    process = task.process.coerced
    subject = process.case or process.complaint
    is_owner = task.owner_id == request.user.pk
    if form is None and is_owner and task.status == "ASSIGNED":
        form = node.form_class(task=task)
    deadlines = [(d, days_left(d)) for d in subject.deadlines.order_by("due_at")] if subject is not None else []
    return {
        "task": task,
        "node": node,
        "process": process,
        "subject": subject,
        "filing": _filing(process) if subject is None else None,
        "form": form,
        "is_owner": is_owner,
        "can_claim": task.status == "NEW" and node.allowed(request.user, task),
        "deadlines": deadlines,
    }


@require_GET
@login_required
def task_detail(request, task_id: int):
    task = selectors.task_for_user(request.user, task_id)
    return render(request, "workflows/task_detail.html", _task_context(request, task))


@require_POST
@login_required
def task_assign(request, task_id: int):
    task = selectors.task_for_user(request.user, task_id)
    try:
        services.task_assign(task=task, actor=request.user)
    except services.TaskConflict as exc:
        return _conflict(request, str(exc))
    return redirect("tasks:detail", task_id=task.pk)


@require_POST
@login_required
def task_release(request, task_id: int):
    task = selectors.task_for_user(request.user, task_id)
    try:
        services.task_unassign(task=task, actor=request.user)
    except services.TaskConflict as exc:
        return _conflict(request, str(exc))
    return redirect("tasks:queue")


@require_POST
@login_required
def task_complete(request, task_id: int):
    task = selectors.task_for_user(request.user, task_id)
    try:
        services.task_complete(task=task, actor=request.user, data=request.POST)
    except services.TaskConflict as exc:
        return _conflict(request, str(exc))
    except ValidationError as exc:
        form = task.flow_task.form_class(data=request.POST, task=task)
        form.is_valid()
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return render(request, "workflows/task_detail.html", _task_context(request, task, form), status=400)
    messages.success(request, _("已办结：%(title)s") % {"title": task.flow_task.task_title})
    return redirect("tasks:inbox")


@login_required
def complaint_new(request):
    """Clerk entry of a hotline / walk-in / letter complaint."""
    if not scope.holds_anywhere(request.user, scope.Right.INTAKE):
        raise PermissionDenied
    form = StaffComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clean = intake.complaint_validate(form.body(), staff=True)
            complaint, _created = services.intake_submit(
                actor=request.user, clean=clean, channel=form.body()["channel"]
            )
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        else:
            messages.success(request, _("已登记，回执号 %(no)s") % {"no": complaint.receipt_no})
            return redirect("complaints:detail", receipt_no=complaint.receipt_no)
    return render(request, "workflows/complaint_new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def complaint_import(request):
    """Bulk import (CSV/XLSX) by clerks, with a per-row error report."""
    if not scope.holds_anywhere(request.user, scope.Right.INTAKE):
        raise PermissionDenied
    if request.GET.get("template"):
        response = HttpResponse(intake.import_template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="complaints-template.csv"'
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = intake.complaints_import(
                actor=request.user,
                file=upload,
                filename=upload.name,
                submit=services.intake_submit,
                project_lookup=intake_project,
            )
        except ValidationError as exc:  # the file as a whole (unreadable, a column missing): nothing written
            for error in exc.message_dict.get("file", exc.messages) if hasattr(exc, "error_dict") else exc.messages:
                form.add_error("file", error)
    status = 400 if form.errors else 200
    return render(request, "workflows/complaint_import.html", {"form": form, "report": report}, status=status)


@login_required
def flow_start(request, name: str):
    """Start a flow by hand (a proactive case, an extension request)."""
    startable = starts.STARTABLE.get(name)
    if startable is None:
        raise Http404
    if not startable.may_start(request.user):
        raise PermissionDenied
    # a form that lists the user's own things (the referral's evidence picker) is given the user
    extra = {"user": request.user} if getattr(startable.form_class, "takes_user", False) else {}
    form = startable.form_class(request.POST or None, initial=request.GET.dict(), **extra)
    if request.method == "POST" and form.is_valid():
        try:
            starts.flow_start(name=name, actor=request.user, data=request.POST)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    target = field.replace(".", "_")
                    form.add_error(target if target in form.fields else None, error)
        else:
            messages.success(request, _("已提交：%(title)s") % {"title": startable.title})
            return redirect("tasks:inbox")
    return render(
        request, "workflows/flow_start.html", {"form": form, "startable": startable}, status=400 if form.errors else 200
    )


@require_GET
@login_required
def leader_screen(request):
    """Approvals waiting, overdue deadlines below, supervised cases (SPEC §7 leader's screen)."""
    leader.require_leader(request.user)
    approvals, approvals_next = leader.approvals(request.user, after=_int(request.GET.get("approvals_after")))
    overdue, overdue_next = leader.overdue(request.user, after=request.GET.get("overdue_after"))
    supervised, supervised_next = leader.supervised(request.user, after=_int(request.GET.get("supervised_after")))
    return render(
        request,
        "workflows/leader.html",
        {
            "approvals": approvals, "approvals_next": approvals_next,
            "overdue": [(d, days_left(d), subject_link(d)) for d in overdue], "overdue_next": overdue_next,
            "supervised": supervised, "supervised_next": supervised_next,
        },
    )  # fmt: skip


def _int(value) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
