"""Issue 17 item 4: the emergency fund's balance never goes negative under concurrency — two leaders approving
two advances at once, the balance enough for one: the second waits for the fund's row lock, then finds too
little and is refused (PostgreSQL)."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Region, Role

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_never_overdraw_the_fund(on_postgres, settings, tmp_path):
    from cases.accounts import staff_create
    from cases.ledger import ledger_entry_add
    from cases.regions import regions_load
    from deposits.fund import fund_advance_decide, fund_advance_request, fund_allocate
    from deposits.models import EmergencyFund, FundAdvance
    from tests import factories
    from tests.factories import mobile, person_id

    settings.MEDIA_ROOT = str(tmp_path)
    if not Region.objects.filter(code="360302").exists():
        regions_load(province="360000")
    county = Region.objects.get(code="360302")
    leader = staff_create(username="race_leader", region=county, role=Role.LEADER)
    inspector = staff_create(username="race_inspector", region=county, role=Role.INSPECTOR)
    fund_allocate(region=county, amount="1000.00", on=timezone.localdate(), actor=leader)
    case = factories.case("filed", region="360302", workers=2, amount="2000.00", flow=False)
    entries = [
        ledger_entry_add(case=case, period_start="2026-05-01",
                         worker={"name": f"竞争{i}", "id_number": person_id(9100 + i), "phone": mobile(91 + i)},
                         period_end="2026-10-31", amount_owed="1000.00", actor=inspector)
        for i in range(2)
    ]  # fmt: skip
    advances = [
        fund_advance_request(case=case, purpose="wages", amounts={str(e.pk): "800.00"}, reason="并发", actor=inspector)
        for e in entries
    ]
    decided, release, outcomes = threading.Event(), threading.Event(), {}

    def approve(name, advance, hold):
        try:
            if not hold:
                decided.wait(20)
            with transaction.atomic():
                fund_advance_decide(advance=advance, approved=True, opinion="同意", paid_on=timezone.localdate(),
                                    actor=leader)  # fmt: skip
                if hold:
                    decided.set()
                    release.wait(20)
            outcomes[name] = "paid"
        except ValidationError as exc:
            outcomes[name] = "refused: " + exc.message_dict["amount"][0]
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=("first", advances[0], True)),
               threading.Thread(target=approve, args=("second", advances[1], False))]  # fmt: skip
    for thread in threads:
        thread.start()
    assert decided.wait(20)
    time.sleep(1)  # the second waits for the fund's row
    release.set()
    for thread in threads:
        thread.join()
    assert outcomes["first"] == "paid" and outcomes["second"].startswith("refused: 应急周转金余额不足")
    assert EmergencyFund.objects.get(region=county).balance == Decimal("200.00")
    assert list(FundAdvance.objects.filter(case=case).order_by("id").values_list("status", flat=True)) == [
        "paid", "requested"]  # fmt: skip
