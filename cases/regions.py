"""Loading China's administrative divisions from the CSV the project ships."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Region

DATA_FILE = Path(__file__).resolve().parent / "data" / "regions.csv"


def read_rows(path: Path = DATA_FILE) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _path(row: dict, by_code: dict[str, dict]) -> str:
    chain = []
    node: dict | None = row
    while node is not None:
        chain.append(Region.path_segment(node["code"], node["level"]))
        node = by_code.get(node["parent_code"]) if node["parent_code"] else None
    return "/".join(reversed(chain)) + "/"


@transaction.atomic
def regions_load(
    *,
    province: str | None = None,
    rows: Iterable[dict] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Insert or update regions (all of China, or one province by its code). Returns (created, updated)."""
    rows = list(rows if rows is not None else read_rows())
    by_code = {r["code"]: r for r in rows}
    if province:
        if province not in by_code or by_code[province]["level"] != Region.Level.PROVINCE:
            raise ValidationError({"province": f"{province} is not a province code (e.g. 360000)"})
        rows = [r for r in rows if r["code"][:2] == province[:2]]
    order = {Region.Level.PROVINCE: 0, Region.Level.CITY: 1, Region.Level.COUNTY: 2}
    rows.sort(key=lambda r: (order[r["level"]], r["code"]))
    existing = {r.code: r for r in Region.objects.all()}
    created = updated = 0
    for i, row in enumerate(rows, 1):
        parent = existing.get(row["parent_code"]) if row["parent_code"] else None
        values = {"name": row["name"], "level": row["level"], "parent": parent, "path": _path(row, by_code)}
        region = existing.get(row["code"])
        if region is None:
            existing[row["code"]] = Region.objects.create(code=row["code"], **values)
            created += 1
        elif any(getattr(region, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(region, k, v)
            region.save()
            updated += 1
        if progress and (i % 200 == 0 or i == len(rows)):
            progress(i, len(rows))
    return created, updated
