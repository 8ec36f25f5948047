"""Public pages (no login, mobile first): file a complaint, see its receipt, look up its status."""

from __future__ import annotations

import hashlib
import json
import uuid

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from cases import intake, selectors

from . import services
from .complaint_forms import ComplaintForm
from .public_forms import StatusLookupForm


def request_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@require_http_methods(["GET", "POST"])
def complaint_form(request):
    if request.method == "GET":
        form = ComplaintForm(initial={"idempotency_key": uuid.uuid4().hex})
        return render(request, "public/complaint_form.html", {"form": form})
    form = ComplaintForm(request.POST)
    form.is_valid()
    body = form.body()
    key = (request.POST.get("idempotency_key") or "").strip()[:80] or None
    try:
        clean = intake.complaint_validate(body, staff=False)
        complaint, _created = services.intake_submit(
            actor=None,
            clean=clean,
            channel="web",
            idempotency_key=key and f"web:{key}",
            request_hash=request_hash(body),
        )
    except ValidationError as exc:
        form.add_service_errors(exc.message_dict)
        return render(request, "public/complaint_form.html", {"form": form}, status=400)
    # Only now, after the commit, is the receipt number shown.
    return render(request, "public/complaint_receipt.html", {"complaint": complaint})


@require_http_methods(["GET"])
def complaint_status(request):
    form = StatusLookupForm(request.GET or None)
    complaint = None
    if request.GET and form.is_valid():
        complaint = selectors.complaint_public_lookup(
            receipt_no=form.cleaned_data["receipt_no"], phone_last4=form.cleaned_data["phone_last4"]
        )
        if complaint is None:
            form.add_error(None, form.not_found_message)
    status = 404 if request.GET and complaint is None and not form.errors.get("receipt_no") else 200
    info = selectors.complaint_public_status(complaint) if complaint else None
    return render(request, "public/complaint_status.html", {"form": form, "info": info}, status=status)
