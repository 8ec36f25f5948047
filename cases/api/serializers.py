from rest_framework import serializers

from ..models import Case, TimelineEvent


class CaseSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    employer = serializers.CharField(source="employer.name")
    employer_uscc = serializers.CharField(source="employer.uscc")

    class Meta:
        model = Case
        fields = [
            "case_no",
            "status",
            "origin",
            "region_code",
            "region_name",
            "employer",
            "employer_uscc",
            "filed_at",
            "closed_at",
            "workers_count",
            "amount_owed",
            "amount_paid",
            "group_incident",
            "media_reported",
            "leader_instructed",
            "government_invested",
        ]


class TimelineEventSerializer(serializers.ModelSerializer):
    subject = serializers.SerializerMethodField()

    class Meta:
        model = TimelineEvent
        fields = [
            "seq",
            "subject",
            "at",
            "kind",
            "actor_name",
            "actor_role",
            "actor_region",
            "data",
            "prev_hash",
            "hash",
        ]

    def get_subject(self, event) -> str:
        return "case" if event.case_id else f"complaint:{event.complaint.receipt_no}"


class TimelineSerializer(serializers.Serializer):
    case_no = serializers.CharField()
    chain_ok = serializers.BooleanField()
    events = TimelineEventSerializer(many=True)
