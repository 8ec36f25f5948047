"""The region index: every region's code and names, loaded once per process.

Finds a region by its code (`_region_by_code`) and the most precise region named in an address
(`_address_parse`). The index is dropped whenever a Region is saved or deleted (`region_index_clear`).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_delete, post_save

from ..models import Region

_BLANKS = re.compile(r"\s+")


@dataclass(frozen=True)
class _R:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    path: str

    def within(self, other: _R | None) -> bool:
        return other is None or self.path.startswith(other.path)

    def region(self) -> Region:
        """A Region instance built from the cache (no query); safe: regions are never deleted (PROTECT)."""
        obj = Region(
            id=self.id, code=self.code, name=self.name, level=self.level, parent_id=self.parent_id, path=self.path
        )
        obj._state.adding = False
        obj._state.db = DEFAULT_DB_ALIAS
        return obj


@dataclass(frozen=True)
class _Name:
    regions: tuple[_R, ...]
    short: bool  # a short form (安源 for 安源区): used only with care, see _tokens


@dataclass
class _RegionIndex:
    by_code: dict[str, _R]
    names: dict[str, _Name]
    lengths: tuple[int, ...]  # the name lengths present, longest first


# Short forms: 安源区 → 安源, 萍乡市 → 萍乡, 江西省 → 江西, 广西壮族自治区 → 广西, 阿里地区 → 阿里, 浦东新区 → 浦东.
_PROVINCE_SHORT = re.compile(r"^(.+?)(?:壮族|回族|维吾尔)?(?:省|市|自治区|特别行政区)$")
_LOWER_SHORT = re.compile(r"^(.{2,}?)(?:新区|地区|区|县|市|旗|盟)$")
# A short form followed by one of these is a street or a place inside a town (东风路, 光明小区), not a region.
_NOT_A_REGION_AFTER = tuple("路街道巷弄里村镇乡屯组社楼栋号园桥湖山门站口") + ("小区", "大道", "广场", "花园", "公园")

_index_lock = threading.Lock()
_index: _RegionIndex | None = None


def _short_name(r: _R) -> str:
    if "自治" in r.name and r.level != Region.Level.PROVINCE:
        return ""
    match = (_PROVINCE_SHORT if r.level == Region.Level.PROVINCE else _LOWER_SHORT).match(r.name)
    return match.group(1) if match and len(match.group(1)) >= 2 else ""


def _index_build() -> _RegionIndex:
    rows = [_R(*row) for row in Region.objects.values_list("id", "code", "name", "level", "parent_id", "path")]
    full: dict[str, list[_R]] = {}
    shorts: dict[str, list[_R]] = {}
    for r in rows:
        full.setdefault(r.name, []).append(r)
        if short := _short_name(r):
            shorts.setdefault(short, []).append(r)
    names = {name: _Name(tuple(rs), short=False) for name, rs in full.items()}
    for short, rs in shorts.items():
        if short in names:
            continue
        if len(rs) > 1:
            # 南昌 = 南昌市 and 南昌县 (inside it), 吉林 = 吉林省 and 吉林市: the outermost one, if it contains
            # the others; otherwise the short form is ambiguous and is not used.
            top = min(rs, key=lambda r: len(r.path))
            if not all(r.within(top) for r in rs):
                continue
            rs = [top]
        names[short] = _Name(tuple(rs), short=True)
    lengths = tuple(sorted({len(n) for n in names}, reverse=True))
    return _RegionIndex(by_code={r.code: r for r in rows}, names=names, lengths=lengths)


def _region_index() -> _RegionIndex:
    global _index
    index = _index
    if index is None:
        with _index_lock:
            index = _index
            if index is None:
                index = _index_build()
                if index.by_code:  # never cache an empty table (regions not loaded yet)
                    _index = index
    return index


def region_index_clear(**_kwargs) -> None:
    """Forget the cached region index (it reloads on next use). Called when a Region is saved or deleted."""
    global _index
    with _index_lock:
        _index = None


post_save.connect(region_index_clear, sender=Region, dispatch_uid="cases.intake.region_index_clear.save")
post_delete.connect(region_index_clear, sender=Region, dispatch_uid="cases.intake.region_index_clear.delete")


def _region_by_code(code: str) -> _R | None:
    found = _region_index().by_code.get(code)
    if found is None and re.fullmatch(r"\d{6}", code):
        # Added since the index was loaded (another process)? One query, then reload the index.
        if Region.objects.filter(code=code).exists():
            region_index_clear()
            found = _region_index().by_code.get(code)
    return found


def _tokens(text: str, index: _RegionIndex) -> Iterator[tuple[str, _Name]]:
    """Region names in the text, left to right, the longest name at each position."""
    text = _BLANKS.sub("", unicodedata.normalize("NFKC", text))
    i, n = 0, len(text)
    while i < n:
        for length in index.lengths:
            if i + length > n:
                continue
            word = text[i : i + length]
            name = index.names.get(word)
            if name is None:
                continue
            if name.short and text.startswith(_NOT_A_REGION_AFTER, i + length):
                continue
            yield word, name
            i += length
            break
        else:
            i += 1


def _address_parse(text: str, within: _R | None = None) -> _R | None:
    """The most precise region named in an address (county, else city, else province), inside `within`.

    Duplicate names (several 城关区, 朝阳区) are told apart by the province and city named in the same
    text; a county that contradicts them is ignored. Full names win over short forms (安源区 over 安源).
    """
    if not text:
        return None
    index = _region_index()

    def relevant(r: _R) -> bool:  # inside `within`, or one of its ancestors (江西省 when within is 萍乡市)
        return r.within(within) or (within is not None and within.within(r))

    found = [(name, [r for r in name.regions if relevant(r)]) for _word, name in _tokens(text, index)]

    def named(level: str) -> list[_R]:
        return [r for name, rs in found for r in rs if r.level == level]

    provinces = named(Region.Level.PROVINCE)
    cities = [c for c in named(Region.Level.CITY) if not provinces or any(c.within(p) for p in provinces)]

    def consistent(r: _R) -> bool:
        if not r.within(within):
            return False
        if cities and r.level == Region.Level.COUNTY and not any(r.within(c) for c in cities):
            return False
        return not provinces or any(r.within(p) for p in provinces)

    for level in (Region.Level.COUNTY, Region.Level.CITY, Region.Level.PROVINCE):
        for short in (False, True):
            for name, rs in found:
                if name.short != short:
                    continue
                candidates = {r.id: r for r in rs if r.level == level and consistent(r)}
                if len(candidates) == 1:
                    return next(iter(candidates.values()))
    return None
