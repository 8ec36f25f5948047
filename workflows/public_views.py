"""Public pages (no login, mobile first): file a complaint, see its receipt, look up its status.

Throttled per client address on the shared cache (cases.throttling; the middleware also counts every
public page): a complaint POST against "complaint" and "complaint_burst"; a status lookup against
"status", and each receipt number's failed lookups against "status_receipt" — past that the receipt is
locked for every address, so its phone digits cannot be guessed. Throttled answers are 429 pages.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cases import intake, selectors
from cases.clientip import client_ip
from cases.documents.complaint_notices import complaint_documents
from cases.throttling import receipt_locked_message, retry_message, throttle_blocked, throttle_hit
from cases.web.document_views import pdf_response

from . import services
from .complaint_forms import ComplaintForm
from .public_forms import StatusLookupForm


def request_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def complaint_throttle(request) -> int | None:
    """Seconds to wait before this address may submit again, or None (this submission is counted)."""
    address = client_ip(request)
    return throttle_hit("complaint_burst", address) or throttle_hit("complaint", address)


def receipt_key(receipt_no: str) -> str:
    return receipt_no.strip().upper()


@require_http_methods(["GET", "POST"])
def complaint_form(request):
    if request.method == "GET":
        form = ComplaintForm(initial={"idempotency_key": uuid.uuid4().hex})
        return render(request, "public/complaint_form.html", {"form": form})
    form = ComplaintForm(request.POST)
    form.is_valid()
    if (wait := complaint_throttle(request)) is not None:
        # what was typed stays on the page; nothing is written
        form.add_error(None, retry_message(wait))
        response = render(request, "public/complaint_form.html", {"form": form}, status=429)
        response["Retry-After"] = str(wait)
        return response
    if form.errors:  # e.g. a region the picker cannot name: nothing is written
        return render(request, "public/complaint_form.html", {"form": form}, status=400)
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
    if request.GET and (wait := throttle_hit("status", client_ip(request))) is not None:
        form.add_error(None, retry_message(wait))
        return _status_page(request, form, None, status=429, wait=wait)
    if request.GET and form.is_valid():
        receipt = receipt_key(form.cleaned_data["receipt_no"])
        if (wait := throttle_blocked("status_receipt", receipt)) is not None:
            form.add_error("receipt_no", receipt_locked_message(wait))
            return _status_page(request, form, None, status=429, wait=wait)
        complaint = selectors.complaint_public_lookup(receipt_no=receipt, phone_last4=form.cleaned_data["phone_last4"])
        if complaint is None:
            throttle_hit("status_receipt", receipt)  # one failed lookup more for this receipt number
            form.add_error(None, form.not_found_message)
    status = 404 if request.GET and complaint is None and not form.errors.get("receipt_no") else 200
    info = selectors.complaint_public_status(complaint) if complaint else None
    if info is not None:  # the notices, downloadable with the same receipt number and phone digits
        query = urlencode({"receipt_no": complaint.receipt_no, "phone_last4": form.cleaned_data["phone_last4"]})
        for d in info["documents"]:
            d["url"] = f"{reverse('public:status-document', args=[d['id']])}?{query}"
    return _status_page(request, form, info, status=status)


@require_http_methods(["GET"])
def complaint_document(request, doc_id: int):
    """A notice of the complaint (受理通知书 / 不予受理告知书) for the complainant: the same receipt number and
    phone digits as the status page, counted by the same throttles; any mismatch is a 404."""
    form = StatusLookupForm(request.GET or None)
    if (wait := throttle_hit("status", client_ip(request))) is not None:
        form.add_error(None, retry_message(wait))
        return _status_page(request, form, None, status=429, wait=wait)
    if not form.is_valid():
        raise Http404
    receipt = receipt_key(form.cleaned_data["receipt_no"])
    if (wait := throttle_blocked("status_receipt", receipt)) is not None:
        form.add_error("receipt_no", receipt_locked_message(wait))
        return _status_page(request, form, None, status=429, wait=wait)
    complaint = selectors.complaint_public_lookup(receipt_no=receipt, phone_last4=form.cleaned_data["phone_last4"])
    if complaint is None:
        throttle_hit("status_receipt", receipt)
        raise Http404
    document = complaint_documents(complaint).filter(pk=doc_id).first()
    if document is None:
        raise Http404
    return pdf_response(document)


def _status_page(request, form, info, *, status: int, wait: int | None = None):
    response = render(request, "public/complaint_status.html", {"form": form, "info": info}, status=status)
    if wait is not None:
        response["Retry-After"] = str(wait)
    return response
