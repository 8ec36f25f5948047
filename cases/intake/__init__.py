"""Complaint intake (SPEC §4.1): validate, route, submit, bulk import.

The public web form, the REST API, clerk entry and the bulk import all call these
services; there is one path that receives a complaint: `complaint_submit`.

    clean = complaint_validate(body, staff=False)           # ValidationError keyed by JSON path
    complaint, created = complaint_submit(actor=None, clean=clean, channel="web",
                                          idempotency_key=key)  # one transaction

Routing (`complaint_route`) goes to the county where the labour is used: the chosen
region, else a county named in the project address, else in the employer address; when
no county can be found, the city's (then the province's) intake pool. Region names are
matched against an in-process index of every region, loaded once.

Modules, by subdomain (each imports only those above it):
    region_index  the region index (by code, by names in an address), dropped when a Region changes
    validation    complaint_validate and the Clean* dataclasses, field and identifier checks
    routing       complaint_route
    submit        complaint_submit: find-or-create, duplicate flag, grouping onto an open case
    importing     complaints_import, ImportReport / ImportRow, import_template_csv, IMPORT_COLUMNS
"""

from .importing import IMPORT_COLUMNS, ImportReport, ImportRow, complaints_import, import_template_csv
from .region_index import region_index_clear
from .routing import complaint_route
from .submit import complaint_replay, complaint_submit
from .validation import CleanComplaint, CleanEmployer, CleanPerson, CleanProject, complaint_validate

__all__ = [
    "IMPORT_COLUMNS",
    "CleanComplaint",
    "CleanEmployer",
    "CleanPerson",
    "CleanProject",
    "ImportReport",
    "ImportRow",
    "complaint_replay",
    "complaint_route",
    "complaint_submit",
    "complaint_validate",
    "complaints_import",
    "import_template_csv",
    "region_index_clear",
]
