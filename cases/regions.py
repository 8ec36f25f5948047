"""China's administrative divisions: loading them from the CSV the project ships, their full names, and the
regions a name typed by a person stands for (the region picker, cases.region_picker)."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

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


# --- regions by name (issue 14 item 7): what a person types or picks, resolved to a region ----------------

SEPARATORS = re.compile(r"[\s/·>，,、\-—]+")


def region_labels(regions: Iterable[Region]) -> dict[int, str]:
    """Each region's full name, province to county ("江西省 萍乡市 安源区"), by id. One query for the ancestors
    the regions given do not already include."""
    regions = list(regions)
    by_path = {r.path: r.name for r in regions}
    missing = {a for r in regions for a in _ancestor_paths(r.path) if a not in by_path}
    if missing:
        by_path.update(Region.objects.filter(path__in=missing).values_list("path", "name"))
    return {r.pk: " ".join(by_path[p] for p in (*_ancestor_paths(r.path), r.path) if p in by_path) for r in regions}


def _ancestor_paths(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def regions_named(text: str, within: QuerySet[Region]) -> list[Region]:
    """The regions of `within` that `text` names: a six-digit code, a full name with or without the province
    ("萍乡市安源区", "江西省 萍乡市 安源区"), a name ("安源区") or its beginning ("萍乡"). The most exact kind
    of match wins; several regions left means the name is ambiguous (the caller asks to pick one)."""
    text = SEPARATORS.sub("", text or "")
    if not text:
        return []
    if text.isdigit():
        return list(within.filter(code=text))
    exact = list(within.filter(name=text))
    if exact:
        return exact
    candidates = list(within.filter(name__startswith=text[:2]) | within.filter(name__in=_tails(text)))
    labels = region_labels(candidates)
    full = [r for r in candidates if text in (labels[r.pk].replace(" ", ""), _without_first(labels[r.pk]))]
    if full:
        return full
    return list(within.filter(name__startswith=text).order_by("path"))


def _tails(text: str) -> list[str]:
    return [text[i:] for i in range(1, len(text))]


def _without_first(label: str) -> str:
    parts = label.split(" ")
    return "".join(parts[1:]) if len(parts) > 1 else label
