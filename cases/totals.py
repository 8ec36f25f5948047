"""A case's totals — the amount owed and the headcount (issue 13 item 13).

- Once the case has a ledger (台账), the ledger wins: the sums of its entries and the number of distinct
  workers (cases.ledger keeps them as entries and payments change).
- Until then, the totals are the claims of the case's complaints that count (every complaint linked to the
  case except a refused one), and one person counts once however many complaints they filed: the same
  person is the same complainant key (the blind index of the resident ID number, or of the phone without
  one) or the same party. Of one person's complaints the largest claim counts (a second complaint
  restates the first; it does not add a second set of workers).
- A case without complaints (filed proactively) keeps the totals it was filed with until it has a ledger.

`case_totals_refresh(case=)` recomputes and saves them (one UPDATE; the object follows). Every service that
changes what the totals are made of calls it in its own transaction: filing, grouping a complaint onto a
case, refusing a grouped complaint. Supervision's headcount rule (cases.supervision.rules) reads the result.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum

from .models import ArrearsEntry, Case, Complaint
from .values import yuan


def _person(complainant_key: str, party_id: int) -> str:
    return f"key:{complainant_key}" if complainant_key else f"party:{party_id}"


def complaint_claims(case: Case) -> tuple[int, Decimal]:
    """(headcount, amount) of the case's counted complaints, each person once (their largest claim)."""
    rows = (
        Complaint.objects.filter(case=case)
        .exclude(status=Complaint.Status.REFUSED)
        .values_list("complainant_key", "complainant_id", "workers_count", "amount_owed")
    )
    people: dict[str, tuple[int, Decimal]] = {}
    for key, party_id, workers, amount in rows:
        person = _person(key, party_id)
        seen_workers, seen_amount = people.get(person, (0, Decimal("0")))
        people[person] = (max(seen_workers, workers), max(seen_amount, amount))
    return sum(w for w, _ in people.values()), sum((a for _, a in people.values()), Decimal("0"))


def case_totals(case: Case) -> tuple[int, Decimal, Decimal] | None:
    """(workers, owed, paid) as the case should show them, or None when nothing determines them (a
    proactive case without a ledger keeps what it was filed with)."""
    ledger = ArrearsEntry.objects.filter(case=case).aggregate(
        owed=Sum("amount_owed"), paid=Sum("amount_paid"), workers=Count("worker", distinct=True), n=Count("id")
    )
    if ledger["n"]:
        return ledger["workers"] or 0, yuan(ledger["owed"]), yuan(ledger["paid"])
    if not Complaint.objects.filter(case=case).exists():
        return None
    workers, owed = complaint_claims(case)
    return workers, yuan(owed), case.amount_paid


def case_totals_refresh(*, case: Case) -> Case:
    """Recompute and save the case's totals (see the module's doc). In the caller's transaction."""
    totals = case_totals(case)
    if totals is not None:
        workers, owed, paid = totals
        Case.objects.filter(pk=case.pk).update(workers_count=workers, amount_owed=owed, amount_paid=paid)
        case.workers_count, case.amount_owed, case.amount_paid = workers, owed, paid
    return case
