"""Account management in the staff site (the admin role, SPEC §2): the accounts of the admin's subtree with
their roles, and the way to each administration page. The rules are cases.accounts' (accounts_managed:
the admin's subtree only); adding or changing an account opens the scoped Django admin page that already
applies them, from here, in the site's look."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import accounts, configuration
from ..models import StaffRole
from .list_columns import ACCOUNT_COLUMNS
from .list_export import export_requested, xlsx_response

PAGE = 100


@require_GET
@login_required
def account_list(request):
    if not accounts.administers(request.user):
        raise PermissionDenied
    q = (request.GET.get("q") or "").strip()
    qs = accounts.accounts_managed(request.user).order_by("username")
    if q:
        qs = qs.filter(username__icontains=q) | qs.filter(first_name__icontains=q) | qs.filter(last_name__icontains=q)
    roles = StaffRole.objects.select_related("region").order_by("region__path", "role")
    if export_requested(request):
        return xlsx_response(
            list(qs.prefetch_related(Prefetch("staff_roles", queryset=roles))), ACCOUNT_COLUMNS, title="账号列表"
        )
    rows = list(qs.prefetch_related(Prefetch("staff_roles", queryset=roles))[: PAGE + 1])
    return render(
        request,
        "cases/account_list.html",
        {
            "accounts": rows[:PAGE],
            "more": len(rows) > PAGE,
            "q": q,
            "configures": configuration.configures(request.user),
        },
    )
