"""The shape of workflows/: in each feature package a flow imports its steps and forms, its starts import the
flow, and nothing imports back (import-linter's "workflows-acyclic" contract, run by make check)."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _packages() -> list[Path]:
    return sorted(p.parent for p in (ROOT / "workflows").glob("*/flow.py"))


def test_no_import_cycle_in_a_flow_package_steps_and_forms_never_import_their_flow():
    back = re.compile(r"(?m)^\s*(from \.flow import|from \. import .*\bflow\b|import workflows\.\w+\.flow)")
    checked = 0
    for package in _packages():
        for path in sorted([*package.glob("*steps.py"), *package.glob("*forms.py")]):
            assert not back.search(path.read_text(encoding="utf-8")), f"{path} imports its flow"
            checked += 1
    assert checked >= 14  # five packages' steps and forms, investigation's penalty and enforcement ones


def test_the_acyclic_contract_covers_workflows_with_no_import_ignored():
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter", encoding="utf-8")
    contract = config["importlinter:contract:workflows-acyclic"]
    assert contract["type"] == "acyclic_siblings"
    assert contract["ancestors"].split() == ["workflows"]
    ignored = [line.strip() for line in contract.get("ignore_imports", "").splitlines() if line.strip()]
    ignored = [line for line in ignored if not line.startswith("#")]
    assert ignored == []
