"""Issue 13 gaps, item 3: the 行政处罚告知书 is served only through its step (the service that opens the party's
statement and hearing windows); the generic document-service endpoint refuses it with a message naming that
step, records nothing, and leaves the windows unopened. Other documents are still served there."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import investigation
from cases.models import Document, PenaltyProcedure, ServiceRecord
from tests import factories, world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_penalty_notice_is_served_only_through_its_step_which_opens_the_windows(client):
    case = factories.case("deciding", region="360302")
    inspector = world.user("inspector", "360302")
    investigation.case_pre_decision(
        case=case, actor=inspector, proposed_penalty=Decimal("5000"), facts="阻挠监察。", basis="lsir_30"
    )
    notice = case.documents.get(kind=Document.Kind.PRE_DECISION_NOTICE)
    client.force_login(inspector)
    url = reverse("api-document-services", args=[case.case_no, notice.pk])
    body = {"method": "direct", "served_at": timezone.now().isoformat(), "recipient": "法定代表人王某"}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400, refused.content
    message = refused.json()["errors"]["document"][0]
    assert "送达行政处罚告知书" in message and "陈述" in message
    assert not ServiceRecord.objects.filter(document=notice).exists()
    procedure = PenaltyProcedure.objects.get(case=case)
    assert procedure.served_at is None and procedure.statement_due is None


def test_a_document_without_its_own_step_is_still_served_by_hand(client):
    case = factories.case("enforcing", region="360302")
    order = case.documents.filter(kind=Document.Kind.HANDLING_DECISION).first() or case.documents.first()
    client.force_login(world.user("inspector", "360302"))
    url = reverse("api-document-services", args=[case.case_no, order.pk])
    body = {"method": "direct", "served_at": timezone.now().isoformat(), "recipient": "法定代表人王某"}
    assert client.post(url, body, content_type="application/json").status_code == 201
