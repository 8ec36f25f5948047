"""P1 (and bench.intake's P2): complaints accepted per second come from bench.intake (its own database);
bench.run reads the newest bench/results/intake-*.json (running bench.intake when there is none)."""

from __future__ import annotations

import glob
import json
import os
import subprocess
from pathlib import Path

from bench.common import RESULTS, ROOT, log


def intake_figures(python: str) -> dict:
    files = sorted(glob.glob(str(RESULTS / "intake-*.json")), key=os.path.getmtime)
    if not files:
        log("no bench/results/intake-*.json: running python -m bench.intake --no-vanilla")
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        subprocess.run([python, "-m", "bench.intake", "--no-vanilla"], cwd=ROOT, env=env, check=True)
        files = sorted(glob.glob(str(RESULTS / "intake-*.json")), key=os.path.getmtime)
    path = files[-1]
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out = {
        "file": str(Path(path).relative_to(ROOT)),
        "code": data.get("code"),
        "date": data.get("date"),
        "p1": [],
        "p2": [],
    }
    for r in data.get("p1", []):
        out["p1"].append(
            {
                "label": r["label"],
                "clients": r["clients"],
                "sms": r.get("sms"),
                "per_s": r["per_s"],
                "latency": r["latency"],
                "statements": r["statements_per_submission"]["total"],
                "machine_busy_before_pct": r.get("machine_busy_before_pct"),
            }
        )
    for r in data.get("p2", []):
        for kind, a in r["actions"].items():
            out["p2"].append(
                {
                    "label": f"{r['label']} {kind}",
                    "sms": r.get("sms"),
                    "kind": kind,
                    "statements": a["statements"]["total"],
                    "latency": a["latency"],
                }
            )
    return out


def run(ctx) -> dict:
    return intake_figures(ctx.python)
