"""Penalty ranges as data (LegalBasis): an amount outside its basis's range is refused, naming the basis. A
per-worker range is multiplied by the workers concerned; the extra compensation's range is a percentage."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import LegalBasis
from ..values import yuan_text


def basis_get(code, *, field: str = "basis") -> LegalBasis:
    """The legal basis named by its code (or the row itself); an unknown code is an error on `field`."""
    if isinstance(code, LegalBasis):
        return code
    basis = LegalBasis.objects.filter(code=str(code or "").strip()).first()
    if basis is None:
        raise ValidationError({field: _("请选择处罚依据。")})
    return basis


def basis_range(basis: LegalBasis, *, workers: int = 1) -> tuple[Decimal, Decimal]:
    """(lowest, highest) allowed for this basis: a per-worker range times the workers concerned."""
    if basis.measure == LegalBasis.Measure.PER_WORKER:
        return basis.min_amount * workers, basis.max_amount * workers
    return basis.min_amount, basis.max_amount


def amount_check(basis: LegalBasis, amount, *, workers: int = 1, field: str = "amount") -> Decimal:
    """The amount as a Decimal, refused (on `field`, naming the basis) outside the basis's range."""
    try:
        value = Decimal(str(amount))
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("请填写金额。")})
    try:
        workers = int(workers)
    except (TypeError, ValueError):
        workers = 0
    if basis.measure == LegalBasis.Measure.PER_WORKER and workers < 1:
        raise ValidationError({"workers_concerned": _("按人计罚的，请填写涉及的劳动者人数。")})
    low, high = basis_range(basis, workers=max(workers, 1))
    if not low <= value <= high:
        if basis.measure == LegalBasis.Measure.PERCENT:
            shown = _("%(low)s%% 至 %(high)s%%") % {"low": f"{low:g}", "high": f"{high:g}"}
        else:
            shown = _("%(low)s至%(high)s") % {"low": yuan_text(low), "high": yuan_text(high)}
        per = _("（每人%(low)s至%(high)s，共%(n)d人）") % {
            "low": yuan_text(basis.min_amount), "high": yuan_text(basis.max_amount), "n": workers
        } if basis.measure == LegalBasis.Measure.PER_WORKER else ""  # fmt: skip
        raise ValidationError(
            {
                field: _("依据%(basis)s，金额须在%(range)s之间%(per)s。")
                % {"basis": basis.title, "range": shown, "per": per}
            }
        )
    return value


def fine_check(basis, amount, *, workers: int = 1, amount_field: str = "penalty_amount") -> tuple[LegalBasis, Decimal]:
    """A fine named with its basis: the basis is required (a fine's basis, not the extra compensation's
    percentage) and the amount within its range, refused on `amount_field` naming the basis."""
    if basis in (None, ""):
        raise ValidationError({"penalty_basis": _("罚款须载明处罚依据。")})
    row = basis_get(basis, field="penalty_basis")
    if row.measure == LegalBasis.Measure.PERCENT:
        raise ValidationError({"penalty_basis": _("加付赔偿金不是罚款，请选择罚款的依据。")})
    return row, amount_check(row, amount, workers=workers, field=amount_field)
