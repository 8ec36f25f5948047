"""The rate table's form and its one service (the province admin's edit, recorded on the province's timeline)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases import timeline
from cases.models import Role
from cases.tx import one_transaction

from .models import DepositRateTable

RATE_FIELDS = ["base_rate", "reduced_rate", "arrears_rate", "listed_rate", "cap_amount", "small_contract_limit",
               "clean_years_reduce", "clean_years_exempt", "arrears_lookback_years", "deposit_wd", "bank_pay_wd",
               "topup_wd", "return_notice_days", "guarantee_warn_days"]  # fmt: skip


class RateTableForm(forms.ModelForm):
    class Meta:
        model = DepositRateTable
        fields = RATE_FIELDS

    def clean(self):
        data = super().clean()
        rates = [data.get(f) for f in ("reduced_rate", "base_rate", "arrears_rate", "listed_rate")]
        if all(r is not None for r in rates):
            if not all(0 < r <= 10 for r in rates):
                raise ValidationError({"base_rate": _("比例须大于0且不超过10%。")})
            if not rates[0] <= rates[1] <= rates[2] <= rates[3]:
                raise ValidationError({"arrears_rate": _("比例须满足：下浮 ≤ 基准 ≤ 拖欠上浮 ≤ 失信上浮。")})
            if not 1 <= rates[1] <= 3:
                raise ValidationError({"base_rate": _("基准比例须在1%至3%之间。")})
        reduce, exempt = data.get("clean_years_reduce"), data.get("clean_years_exempt")
        if reduce is not None and exempt is not None and reduce > exempt:
            raise ValidationError({"clean_years_exempt": _("免存年数不得少于下浮年数。")})
        return data


@one_transaction
def rate_table_save(*, form: RateTableForm, actor) -> DepositRateTable:
    table = form.save()
    changed = {f: str(form.cleaned_data[f]) for f in form.changed_data}
    timeline.record(table.province, "deposit.rates_changed", actor=actor, role=Role.ADMIN, data=changed)
    return table
