"""One module per measure of the benchmark suite. bench.run's measures (p1 … p7, vanilla) each expose
`run(ctx) -> dict` (ctx: args, db, users, python, selected) and raise bench.common.Unavailable when they
cannot run here; the table (bench.report) then shows the reason in the measure's row. data.py holds the
bench database's users and the complaints the measures act on; intake_*.py are bench.intake's measures.
"""
