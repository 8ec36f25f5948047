"""The region tree as JSON for the region picker (cases.region_picker): staff get the regions their roles
cover, the public the deployment's province (throttled per client address, scope "public_regions").

    GET ?q=萍乡        the regions whose name contains the text (at most LIMIT), full names first by level
    GET ?parent=360300 the children of a region (cascading selects); a parent outside what may be picked: 404
    GET                every region that may be picked
    GET ?scope=province (staff) the whole province, for the forms that send a complaint elsewhere

Each region: {"code", "name", "label" (full name: 江西省 萍乡市 安源区), "level", "parent" (code or null)}.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from ..clientip import client_ip
from ..models import Region
from ..regions import region_labels
from ..scope.regions import regions_public, regions_visible
from ..throttling import retry_message, throttle_hit

LIMIT = 50  # regions a search answers
TREE_LIMIT = 5000  # regions the whole tree answers (a province has a few hundred; all of China ~3,200)


def region_tree(regions: QuerySet[Region], params) -> JsonResponse:
    q = (params.get("q") or "").strip()[:20]
    parent = (params.get("parent") or "").strip()[:6]
    rows = regions.select_related("parent").order_by("path", "code")
    limit = TREE_LIMIT
    if parent:
        node = regions.filter(code=parent).first()
        if node is None:
            raise Http404
        rows = rows.filter(parent=node)
    if q:
        rows = rows.filter(name__contains=q)
        limit = LIMIT
    found = list(rows[:limit])
    labels = region_labels(found)
    data = [
        {
            "code": r.code,
            "name": r.name,
            "label": labels[r.pk],
            "level": r.level,
            "parent": r.parent.code if r.parent else None,
        }
        for r in found
    ]
    response = JsonResponse({"regions": data}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@login_required
def staff_regions(request):
    """?scope=province: the whole province (where a complaint may be sent or transferred), for any staff
    member with a role; otherwise the regions the user's roles cover."""
    regions = regions_visible(request.user)  # 403 without a role, whatever the scope asked
    if request.GET.get("scope") == "province":
        regions = regions_public()
    return region_tree(regions, request.GET)


@require_GET
def public_regions(request):
    if (wait := throttle_hit("public_regions", client_ip(request))) is not None:
        response = JsonResponse({"detail": retry_message(wait)}, status=429, json_dumps_params={"ensure_ascii": False})
        response["Retry-After"] = str(wait)
        return response
    return region_tree(regions_public(), request.GET)
