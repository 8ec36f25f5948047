"""The transaction of a service that is mostly called from another service's (a flow step's).

`@transaction.atomic` nested in a transaction opens a savepoint: SAVEPOINT and RELEASE, two statements
per call, on every task completion (bench P2/P7). A service that no caller catches and carries on after
needs none: on failure the whole request's transaction rolls back anyway.
"""

from __future__ import annotations

import functools

from django.db import transaction


def one_transaction(service):
    """The service's own transaction when called outside one; the caller's, without a savepoint, inside
    one. A caller that wants to carry on after the service failed opens its own atomic() around it."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        if transaction.get_connection().in_atomic_block:
            return service(*args, **kwargs)
        with transaction.atomic():
            return service(*args, **kwargs)

    return wrapper
