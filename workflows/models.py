"""The process row of every flow: which complaint or case it runs for, and in which region.

`region` is the office whose staff act on the flow's tasks now (it moves on transfer and
designation); lists and queues filter on it through cases.scope.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from cases.models import Case, Complaint, Region


class CaseProcess(Process):
    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("办理机构"))
    # The last human decision, for the flow's gateways (e.g. accept / refuse / supplement / transfer).
    decision = models.CharField(max_length=24, blank=True)

    class Meta:
        verbose_name = _("办理流程")
        verbose_name_plural = _("办理流程")
        indexes = [models.Index(fields=["region"], name="caseprocess_region")]

    def __str__(self) -> str:
        return f"{self.flow_class.__name__ if self.flow_class else 'Flow'} #{self.pk}"

    @property
    def subject(self):
        return self.case or self.complaint
