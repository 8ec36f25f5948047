"""Office numbers and keys shared by the services that issue them: the gap-free per-office, per-year
counters (receipt numbers, case numbers, document serials), the case number's format and the
employer-name key complaints are grouped by. Below cases.services and cases.intake: imports neither."""

from __future__ import annotations

import re

from django.db import IntegrityError, connection, transaction

from .models import OfficeSequence, Region

_NAME_NOISE = re.compile(r"[\s（）()\[\]【】·・,，.。、\-—]+")


def employer_name_key(name: str) -> str:
    """Normalised employer name for grouping: no blanks, brackets or punctuation."""
    return _NAME_NOISE.sub("", name).upper()


def office_number_next(*, region: Region, kind: str, year: int) -> int:
    """The next number of `kind` for this office and year: no gap, no duplicate.

    Must run inside the caller's transaction; the row lock serialises issuers.
    """
    # One statement in the steady state: the UPDATE takes the row lock and returns the number.
    table = OfficeSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE region_id = %s AND year = %s AND kind = %s RETURNING last",
            [region.pk, year, kind],
        )
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    try:
        with transaction.atomic():  # the first number of the year: a savepoint, in case another issuer races
            OfficeSequence.objects.create(region=region, year=year, kind=kind, last=1)
        return 1
    except IntegrityError:
        return office_number_next(region=region, kind=kind, year=year)


def case_number_format(region: Region, year: int, number: int) -> str:
    return f"{region.code}-{year}-{number:05d}"
