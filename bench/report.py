"""The suite's table: rows from the results dict of bench.run, rendered as text and markdown, and the JSON.

A measure that could not run (its result is {"skipped": reason} or {"error": ...}, or P6's "pending")
keeps a row that says why.
"""

from __future__ import annotations

import json
from pathlib import Path

GOALS = {
    "P1": ">= 300/s",
    "P2_statements": "<= 8",
    "P2_p95": "<= 10 ms",
    "P3": "<= 15 ms",
    "P4_verify": "<= 10 s",
    "P4_page": "<= 50 ms",
    "P5": "<= 2 s",
    "P6": "<= 200 ms",
    "P7_inbox": "<= 50 ms",
    "P7_complete": "<= 40 ms",
}
# result key, what its row says when the measure could not run
UNAVAILABLE_ROWS = (
    ("P1P2", "P1/P2 (bench.intake figures)"),
    ("P2@1M", "P2@1M claim and complete"),
    ("P3 shipped", "P3 lists, as shipped"),
    ("P3 indexes", "P3 lists, + proposed indexes"),
    ("P4", "P4 timeline verification and pages"),
    ("P5", "P5 deadline sweep"),
    ("P7", "P7 HTTP (gunicorn + wrk)"),
    ("vanilla", "vanilla viewflow 2.4 baseline"),
)


def _reason(value) -> str:
    """Why a measure's result holds no figures ("" when it has them)."""
    if not isinstance(value, dict):
        return ""
    return str(value.get("skipped") or value.get("error") or "")


def _ratio(ours, theirs) -> str:
    if ours is None or not theirs:
        return "—"
    return f"{ours / theirs:.2f}"


def table_rows(result: dict) -> list[dict]:
    """measure, median, p95, goal, met, vanilla figure, ratio (ours / vanilla)."""
    rows = []
    van = result.get("vanilla") or {}
    vq = (van.get("queries") or {}).get("queries", {})

    def add(measure, median, p95, goal, met, vanilla=None, ratio="—", unit="ms"):
        rows.append(
            {
                "measure": measure,
                "median": median,
                "p95": p95,
                "goal": goal,
                "met": None if met is None else bool(met),
                "vanilla": vanilla,
                "ratio": ratio,
                "unit": unit,
            }
        )

    intake = result.get("P1P2") or {}
    if intake.get("skipped") or intake.get("error"):
        intake = {}
    if "P1" in result["selected"]:
        v_starts = (van.get("starts_w2") or {}).get("median_processes_per_s")
        v_flow = (van.get("flow_w2") or {}).get("median_processes_per_s")
        for sms in ("queued", "noop", "console"):
            runs = [r for r in intake.get("p1", []) if r["clients"] == 2 and r["sms"] == sms]
            if not runs:
                continue
            best = max(runs, key=lambda r: r["per_s"])
            add(
                f"P1 complaints accepted/s, 2 clients, {sms} SMS (bench.intake, best of {len(runs)}: "
                f"{', '.join(str(r['per_s']) for r in runs)})",
                best["per_s"],
                None,
                GOALS["P1"],
                best["per_s"] >= 300,
                f"{v_starts} starts/s" if v_starts else None,
                _ratio(best["per_s"], v_starts),
                "/s",
            )
        if v_flow:
            add(
                "P1 (vanilla full case: start+claim+2 executes, 2 workers)",
                None,
                None,
                "",
                None,
                f"{v_flow} cases/s",
                "—",
                "/s",
            )
    if "P2" in result["selected"]:
        steps = van.get("steps") or {}
        vmap = {"claim": "claim", "complete_accept": "triage", "complete_refuse": "triage", "complete": "triage"}
        best_p2 = {}
        for r in intake.get("p2", []):
            if r["sms"] in ("noop", "queued") and (
                r["kind"] not in best_p2 or r["latency"]["p95_ms"] < best_p2[r["kind"]]["latency"]["p95_ms"]
            ):
                best_p2[r["kind"]] = r

        def p2_rows(prefix: str, suffix: str, statements, latency: dict, v: dict) -> None:
            add(
                f"{prefix} statements{suffix}",
                statements,
                None,
                GOALS["P2_statements"],
                statements <= 8,
                v.get("statements_median"),
                _ratio(statements, v.get("statements_median")),
                "",
            )
            add(
                f"{prefix} latency{suffix}",
                latency["median_ms"],
                latency["p95_ms"],
                GOALS["P2_p95"],
                latency["p95_ms"] <= 10,
                v.get("p95_ms"),
                _ratio(latency["p95_ms"], v.get("p95_ms")),
            )

        for r in best_p2.values():
            p2_rows(
                f"P2 {r['kind']}",
                " (bench.intake)",
                r["statements"],
                r["latency"],
                steps.get(vmap.get(r["kind"], ""), {}),
            )
        for kind, a in ({} if _reason(result.get("P2@1M")) else result.get("P2@1M") or {}).items():
            p2_rows(f"P2@1M {kind}", "", a["statements_median"], a["latency"], steps.get(vmap[kind], {}))
    if "P3" in result["selected"]:
        vanilla_for = {"inbox": "inbox_heavy", "queue": "queue_member_viewflow", "cases": "cases_guardian_direct_fk"}
        for mode in ("shipped", "indexes"):
            data = result.get(f"P3 {mode}")
            if not data or _reason(data):
                continue
            tag = "as shipped" if mode == "shipped" else "+ proposed indexes"
            for name in ("inbox", "queue", "cases"):
                entries = {k.split(" / ")[1]: e for k, e in data.items() if k.startswith(name + " /") and "first" in e}
                if not entries:
                    continue
                stmts = sorted({e[w]["statements"] for e in entries.values() for w in ("first", "deep")})
                for which in ("first", "deep"):
                    user, e = max(entries.items(), key=lambda kv: kv[1][which]["p95_ms"])
                    f = e[which]
                    vv = (
                        vq.get(vanilla_for[name], {})
                        .get("first_page" if which == "first" else "keyset_deep_page", {})
                        .get("p95_ms")
                    )
                    page = "first page" if which == "first" else "deep page (keyset)"
                    add(
                        f"P3 {name} {page}, worst of {len(entries)} users: {user} (page {f['page_no']}), "
                        f"{'/'.join(map(str, stmts))} stmts, {tag}",
                        f["median_ms"],
                        f["p95_ms"],
                        GOALS["P3"],
                        f["p95_ms"] <= 15,
                        vv,
                        _ratio(f["p95_ms"], vv),
                    )
    if "P4" in result["selected"] and result.get("P4") and not _reason(result["P4"]):
        p = result["P4"]
        for v in p["verify"]:
            add(
                f"P4 verify_timeline --jobs {v['jobs']}, {v['events']:,} events ({v['events_per_s']:,}/s)",
                v["seconds"],
                None,
                GOALS["P4_verify"],
                v["seconds"] <= 10 and v["ok"],
                None,
                "—",
                "s",
            )
        for page in ("case page", "case page, proposed deadlines_for", "timeline page"):
            if page in p["pages"]:
                f = p["pages"][page]
                add(
                    f"P4 {page}, {p['pages']['events']} events ({f['statements']} stmts)",
                    f["median_ms"],
                    f["p95_ms"],
                    GOALS["P4_page"],
                    f["p95_ms"] <= 50,
                )
    if "P5" in result["selected"] and result.get("P5") and not _reason(result["P5"]):
        p = result["P5"]
        for name, f in p.items():
            if not isinstance(f, dict) or "seconds" not in f:
                continue
            stmts = f" ({f['statements']} stmts)" if f.get("statements") else ""
            add(
                f"P5 sweep {f['open_deadlines']:,} open, {f['overdue']:,} due: {name}{stmts}",
                f["seconds"],
                None,
                GOALS["P5"],
                f["seconds"] <= 2,
                None,
                "—",
                "s",
            )
    if "P6" in result["selected"] and result.get("P6") and not _reason(result["P6"]):
        p = result["P6"]
        if "pending" in p:
            add(f"P6 dashboard: pending ({p['pending'][:60]})", None, None, GOALS["P6"], None)
        else:
            for label in ("province", "city", "county"):
                f = p[label]
                add(
                    f"P6 dashboard {label}, a year ({f['statements']} stmts)",
                    f["median_ms"],
                    f["p95_ms"],
                    GOALS["P6"],
                    f["p95_ms"] <= 200,
                )
    if "P7" in result["selected"] and result.get("P7") and not _reason(result["P7"]):
        p = result["P7"]
        for name, goal in (
            ("inbox page (HTML)", "P7_inbox"),
            ("task list API", "P7_inbox"),
            ("claim API", None),
            ("completion API", "P7_complete"),
        ):
            f = p.get(name)
            if not f:
                continue
            if not f["requests"]:  # none answered within the duration: no figure, no verdict
                add(f"P7 {name}: no request completed within the run", None, None, GOALS[goal] if goal else "", None)
                continue
            add(
                f"P7 {name}: {f['requests']} requests, {f['per_s']}/s, {f['non2xx']} non-2xx",
                f["median_ms"],
                f["p95_ms"],
                GOALS[goal] if goal else "",
                (f["p95_ms"] <= (50 if goal == "P7_inbox" else 40) and not f["non2xx"]) if goal else None,
            )
    for key, what in UNAVAILABLE_ROWS:
        reason = _reason(result.get(key))
        if reason and (key == "vanilla" or key.split(" ")[0].replace("P1P2", "P1") in result["selected"]):
            add(f"{what}: cannot run: {reason}", None, None, "", None, unit="")
    return rows


def p3_detail(result: dict) -> str:
    """Markdown: every user and list, first and deep page, p95 ms (statements), both modes."""
    modes = [m for m in ("shipped", "indexes") if result.get(f"P3 {m}")]
    if not modes:
        return ""
    head = (
        "| list / user | "
        + " | ".join(
            f"{'first' if w == 'first' else 'deep'} p95, {'as shipped' if m == 'shipped' else '+ indexes'}"
            for m in modes
            for w in ("first", "deep")
        )
        + " |"
    )
    lines = [head, "|---|" + "---:|" * (2 * len(modes))]
    for key in result[f"P3 {modes[0]}"]:
        cells = []
        for m in modes:
            e = result[f"P3 {m}"].get(key, {})
            for w in ("first", "deep"):
                f = e.get(w)
                cells.append(f"{f['p95_ms']} ({f['statements']}; p.{f['page_no']})" if f else "—")
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}" if v < 1000 else f"{v:,.0f}"
    return str(v)


def render(rows: list[dict]) -> str:
    head = (
        f"{'measure':<92} {'median':>9} {'p95':>9} {'unit':>4}  {'goal':<10} {'met?':<5} {'vanilla':>16} {'ratio':>6}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        met = "—" if r["met"] is None else ("yes" if r["met"] else "NO")
        lines.append(
            f"{r['measure']:<92} {_fmt(r['median']):>9} {_fmt(r['p95']):>9} {r['unit']:>4}  {r['goal']:<10} "
            f"{met:<5} {_fmt(r['vanilla']):>16} {r['ratio']:>6}"
        )
    return "\n".join(lines)


def markdown(rows: list[dict]) -> str:
    lines = ["| measure | median | p95 | goal | met? | vanilla | ratio |", "|---|---:|---:|---|---|---:|---:|"]
    for r in rows:
        met = "—" if r["met"] is None else ("yes" if r["met"] else "**no**")
        unit = "" if r["unit"] in ("", "ms") else f" {r['unit']}"
        lines.append(
            f"| {r['measure']} | {_fmt(r['median'])}{unit if r['median'] is not None else ''} | "
            f"{_fmt(r['p95'])} | {r['goal']} | {met} | {_fmt(r['vanilla'])} | {r['ratio']} |"
        )
    return "\n".join(lines)


def write_json(result: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def print_report(result: dict, path: Path | None, root: Path) -> None:
    """The table as bench.run prints it, from a results dict (a fresh run's or a stored JSON's)."""
    m = result["machine"]
    server = result["db"]["server"]
    print(
        f"\nzhiqian benchmark suite — {result['date']} — {server} — {m['nproc']} CPUs, {m['memory_gb']} GB — code "
        f"{result['code']}"
    )
    print(f"data: {result['data']['shape']}")
    print("ratio = ours / vanilla viewflow 2.4 (same machine, same run; times: lower is better, rates: higher)\n")
    print(render(result.get("table") or table_rows(result)))
    detail = p3_detail(result)
    if detail:
        print("\nP3 per user: p95 ms (statements; page number)\n" + detail)
    if path is not None:
        print(f"\nJSON: {path.relative_to(root) if path.is_relative_to(root) else path}")
