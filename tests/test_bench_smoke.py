"""The benchmark suite's code (bench/) without a database: every module imports, the report rebuilds the
stored tables of bench/results/ row for row, a measure that could not run keeps a row with its reason,
and the generator's identity numbers pass python-stdnum's checks."""

from __future__ import annotations

import copy
import importlib
import json
import pkgutil
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from stdnum.cn import ric, uscc

import bench
import bench.measures
from bench import ids, report, report_intake

RESULTS = Path(bench.__file__).resolve().parent / "results"


def _load(name: str) -> dict:
    return json.loads((RESULTS / name).read_text(encoding="utf-8"))


def test_every_bench_module_imports():
    names = [f"bench.{m.name}" for m in pkgutil.iter_modules(bench.__path__)]
    names += [f"bench.measures.{m.name}" for m in pkgutil.iter_modules(bench.measures.__path__)]
    assert {"bench.run", "bench.intake", "bench.report", "bench.common", "bench.measures.p7"} <= set(names)
    for name in names:
        importlib.import_module(name)
    for n in ("p1", "p2", "p3", "p4", "p5", "p6", "p7", "vanilla"):
        assert callable(importlib.import_module(f"bench.measures.{n}").run)


def test_report_rebuilds_the_stored_run_table():
    result = _load("run-2026-11-28-postgres.json")
    rows = report.table_rows(result)
    assert rows == result["table"]
    assert report.markdown(rows) == result["table_markdown"]
    assert report.p3_detail(result) == result["p3_detail_markdown"]
    assert len(report.render(rows).splitlines()) == len(rows) + 2


@pytest.mark.parametrize(
    ("key", "value", "row"),
    [
        ("P7", {"skipped": "wrk not installed"}, "P7 HTTP (gunicorn + wrk): cannot run: wrk not installed"),
        ("vanilla", {"skipped": "/x not found"}, "vanilla viewflow 2.4 baseline: cannot run: /x not found"),
        ("P4", {"error": "boom"}, "P4 timeline verification and pages: cannot run: boom"),
    ],
)
def test_a_measure_that_cannot_run_keeps_a_row_with_its_reason(key, value, row):
    result = copy.deepcopy(_load("run-2026-11-28-postgres.json"))
    result[key] = value
    measures = [r["measure"] for r in report.table_rows(result)]
    assert row in measures
    assert not [m for m in measures if m.startswith(key + " ") and "cannot run" not in m]


def test_intake_report_renders_the_stored_results():
    result = _load("intake-2026-11-28-postgres.json")
    text = report_intake.report(result)
    assert "P1 — complaints accepted per second" in text and "P2 — per human action" in text
    assert report_intake.vanilla_ratios(result) == result["vanilla_ratios"]


def test_generated_identity_numbers_pass_stdnum():
    rng = random.Random(7)
    for _ in range(200):
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(16000))
        assert ric.is_valid(ids.resident_id(f"360302{born:%Y%m%d}{rng.randrange(1000):03d}"))
        org = ids.org_code("MA" + "".join(rng.choice(ids.USCC_CHARS) for _ in range(6)))
        assert uscc.is_valid(ids.uscc_code(f"91360302{org}".replace("X", "Y")))
