"""Official accountability (问责), by job: opening, overdue (watches, checks, the periodic job), decision,
register. Imported as `accountability.accountability`, which re-exports every public name."""
