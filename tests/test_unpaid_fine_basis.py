"""Issue 13 gaps, item 4: a fine named with "逾期未支付" (case_unpaid_after_order) names its legal basis and lies
within that basis's range (cases.penalty: LSIR art 30, 2,000–20,000 yuan); otherwise it is refused on the field,
naming the basis, and nothing changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases import investigation
from cases.models import Case, Document
from tests import factories, world
from tests.clock import days_later

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def unpaid(case: Case, **kwargs):
    return investigation.case_unpaid_after_order(
        case=case, actor=world.user("inspector", "360302"), compensation_rate=50, **kwargs
    )


def test_the_fine_after_unpaid_names_its_basis_and_lies_within_its_range():
    case = factories.case("enforcing", region="360302", workers=2, amount="12000.00")
    factories.ledger(case)
    with days_later(11):
        with pytest.raises(ValidationError) as refused:  # no basis
            unpaid(case, penalty_amount=Decimal("5000"))
        assert "penalty_basis" in refused.value.message_dict
        with pytest.raises(ValidationError) as refused:  # above LSIR art 30's 20,000
            unpaid(case, penalty_amount=Decimal("20000.01"), penalty_basis="lsir_30")
        assert "第三十条" in refused.value.message_dict["penalty_amount"][0]
        with pytest.raises(ValidationError) as refused:  # below its 2,000
            unpaid(case, penalty_amount=Decimal("1999.99"), penalty_basis="lsir_30")
        assert "penalty_amount" in refused.value.message_dict
        with pytest.raises(ValidationError) as refused:  # the compensation's percentage is no fine's basis
            unpaid(case, penalty_amount=Decimal("80"), penalty_basis="lsir_26")
        assert "penalty_basis" in refused.value.message_dict
        with pytest.raises(ValidationError) as refused:  # an unknown basis
            unpaid(case, penalty_amount=Decimal("5000"), penalty_basis="unknown")
        assert "penalty_basis" in refused.value.message_dict
        assert not Case.objects.get(pk=case.pk).unpaid_after_order
        assert not case.documents.filter(kind=Document.Kind.COMPENSATION_ORDER).exists()
        unpaid(case, penalty_amount=Decimal("20000"), penalty_basis="lsir_30")
    case = Case.objects.get(pk=case.pk)
    assert case.unpaid_after_order and case.penalty_amount == Decimal("20000")
    assert case.events.filter(kind="case.order_overdue").get().data["basis"] == "lsir_30"


def test_no_fine_needs_no_basis():
    case = factories.case("enforcing", region="360302", workers=2, amount="12000.00")
    factories.ledger(case)
    with days_later(11):
        unpaid(case, penalty_amount=None)
    assert Case.objects.get(pk=case.pk).unpaid_after_order
