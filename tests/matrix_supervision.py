"""Permission-matrix entries of 挂牌督办: none.

The supervision flow adds no URL: it is started through `POST /api/v1/flows/supervision/start/` (and the
page `tasks:start`), and its steps go through the generic task API and pages, all covered by their own
entries. Who may start it (city and province leaders: 201; everyone else: 403; a case out of scope: 404)
and who acts on each step is tested role by role in tests/test_supervision.py.
"""

ENTRIES: dict = {}
