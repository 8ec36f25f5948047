"""Issue 13 gaps item 5: the party's windows that the sweep had made overdue end at their due time (已届满);
they are no failure of the bureau and leave the overdue statistics."""

from django.db import migrations
from django.db.models import F

PARTY_KINDS = [
    "penalty.statement",
    "penalty.hearing_request",
    "penalty.fine_payment",
    "enforcement.reconsideration",
    "enforcement.litigation",
    "enforcement.demand",
]


def forwards(apps, schema_editor):
    Deadline = apps.get_model("cases", "Deadline")
    party = Deadline.objects.filter(kind__in=PARTY_KINDS)
    party.filter(state="overdue").update(state="met", closed_at=F("due_at"), overdue_at=None)
    party.filter(state="closed_late").update(state="met", overdue_at=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0030_document_kinds_removal_decision")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
