"""The staff web pages of cases: HTML views, their forms, URLs and file downloads (the XLSX ledger export).

The interface layer: it calls the domain (cases.scope, cases.selectors, the services); no domain module
imports it (.importlinter)."""
