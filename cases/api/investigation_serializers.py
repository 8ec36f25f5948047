"""Output serializers of the investigation API (cases.api.investigation_api): evidence, the arrears
ledger (entries as cases.ledger.ledger_entry_row builds them), investigation records."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from ..models import Evidence, InvestigationRecord


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "description",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, evidence) -> str:
        return reverse("api-case-evidence-download", args=[evidence.case.case_no, evidence.pk])


class PaymentRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid_on = serializers.DateField()
    proof = serializers.IntegerField(allow_null=True)


class LedgerEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    worker_name = serializers.CharField()
    worker_id_number = serializers.CharField()
    worker_phone = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    amount_owed = serializers.DecimalField(max_digits=14, decimal_places=2)
    amount_paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid_in_full = serializers.BooleanField()
    payments = PaymentRowSerializer(many=True)


class LedgerSummarySerializer(serializers.Serializer):
    owed = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=2)
    workers = serializers.IntegerField()
    workers_paid_in_full = serializers.IntegerField()


class LedgerSerializer(serializers.Serializer):
    case_no = serializers.CharField()
    unmasked = serializers.BooleanField()
    summary = LedgerSummarySerializer()
    entries = LedgerEntrySerializer(many=True)


class RecordSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")
    inspectors = serializers.SerializerMethodField()
    recorded_by = serializers.CharField(source="recorded_by.username")

    class Meta:
        model = InvestigationRecord
        fields = [
            "id",
            "kind",
            "kind_display",
            "held_at",
            "place",
            "subject",
            "content",
            "inspectors",
            "recorded_by",
            "recorded_at",
        ]

    def get_inspectors(self, record) -> list[str]:
        return sorted(u.username for u in record.inspectors.all())
