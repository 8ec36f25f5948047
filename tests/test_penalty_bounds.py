"""Issue 13 item 6: penalty ranges as data (domain-rules §3). Each legal basis carries its range; an amount outside
it is refused naming the basis — at each boundary: min − 0.01 refused, min and max accepted, max + 0.01 refused.
Per-worker ranges multiply by the workers concerned; the extra compensation's is a percentage."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases import investigation
from cases.models import LegalBasis
from cases.penalty import amount_check
from tests import factories, world

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")

# code → (title, min, max): the statute's figures
RANGES = {
    "lsir_30": ("《劳动保障监察条例》第三十条", "2000", "20000"),
    "lsir_25": ("《劳动保障监察条例》第二十五条", "100", "500"),
    "lsir_23": ("《劳动保障监察条例》第二十三条", "1000", "5000"),
    "wpr_54_unit": ("《保障农民工工资支付条例》第五十四条", "20000", "50000"),
    "wpr_54_person": ("《保障农民工工资支付条例》第五十四条", "10000", "30000"),
    "wpr_55": ("《保障农民工工资支付条例》第五十五条", "50000", "100000"),
    "wpr_56": ("《保障农民工工资支付条例》第五十六条", "50000", "100000"),
    "wpr_57": ("《保障农民工工资支付条例》第五十七条", "50000", "100000"),
    "lsir_26": ("《劳动保障监察条例》第二十六条", "50", "100"),
}


def test_every_basis_is_seeded_with_its_range():
    seeded = {b.code: (b.title, b.min_amount, b.max_amount) for b in LegalBasis.objects.all()}
    assert seeded == {k: (t, Decimal(lo), Decimal(hi)) for k, (t, lo, hi) in RANGES.items()}
    assert LegalBasis.objects.get(code="lsir_25").measure == LegalBasis.Measure.PER_WORKER
    assert LegalBasis.objects.get(code="lsir_23").measure == LegalBasis.Measure.PER_WORKER
    assert LegalBasis.objects.get(code="lsir_26").measure == LegalBasis.Measure.PERCENT


@pytest.mark.parametrize("code", sorted(RANGES))
def test_each_range_boundary(code):
    title, low, high = RANGES[code]
    basis = LegalBasis.objects.get(code=code)
    low, high = Decimal(low), Decimal(high)
    assert amount_check(basis, low) == low
    assert amount_check(basis, high) == high
    for outside in (low - CENT, high + CENT):
        with pytest.raises(ValidationError) as err:
            amount_check(basis, outside)
        assert title in err.value.message_dict["amount"][0]


@pytest.mark.parametrize(("code", "workers"), [("lsir_25", 7), ("lsir_23", 3)])
def test_per_worker_ranges_multiply_by_the_workers_concerned(code, workers):
    _title, low, high = RANGES[code]
    basis = LegalBasis.objects.get(code=code)
    low, high = Decimal(low) * workers, Decimal(high) * workers
    assert amount_check(basis, low, workers=workers) == low
    assert amount_check(basis, high, workers=workers) == high
    for outside in (low - CENT, high + CENT):
        with pytest.raises(ValidationError):
            amount_check(basis, outside, workers=workers)


def test_a_proposed_penalty_outside_its_basis_is_refused_naming_the_basis(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = factories.case("deciding")
    with pytest.raises(ValidationError) as err:
        investigation.case_pre_decision(
            case=case,
            actor=world.user("inspector", "360302"),
            proposed_penalty=Decimal("20000.01"),
            facts="拒不履行处理决定。",
            basis="lsir_30",
        )
    assert "《劳动保障监察条例》第三十条" in err.value.message_dict["proposed_penalty"][0]
    assert not case.documents.exclude(kind="acceptance_notice").exists()  # the complaint's 受理通知书 only


def test_a_proposal_needs_a_basis(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = factories.case("deciding")
    with pytest.raises(ValidationError) as err:
        investigation.case_pre_decision(
            case=case, actor=world.user("inspector", "360302"), proposed_penalty=Decimal("5000"), facts="事实",
            basis="",
        )  # fmt: skip
    assert "penalty_basis" in err.value.message_dict


def test_the_legal_bases_are_readable_in_the_admin(client):
    client.force_login(world.user("admin", "360000"))
    response = client.get("/admin/cases/legalbasis/")
    assert response.status_code == 200
    assert "第三十条" in response.content.decode()
