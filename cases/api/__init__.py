"""The REST API of cases (DRF): views, serializers, URLs and the {"errors": …} exception handler.

The interface layer: it calls the domain (cases.scope, cases.selectors, the services); no domain module
imports it (.importlinter). Shared HTTP helpers (file responses, the filter forms) come from cases.web."""
