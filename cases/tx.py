"""The transaction of services that are mostly called from another service's (a flow step's).

`@transaction.atomic` nested in a transaction opens a savepoint: SAVEPOINT and RELEASE, two statements
per call, on every task completion (bench P2/P7). A service that no caller catches and carries on after
needs none: on failure the whole request's transaction rolls back anyway. Two policies:

- one_transaction: a service in its own right (acceptance, case_file), also called alone;
- in_callers_transaction: a part of other services (the deadline clocks), refused alone.
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


def in_callers_transaction(service):
    """Run inside the calling service's transaction, without a savepoint; called outside one, refuse."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError(f"{service.__name__}() must run inside the calling service's transaction")
        return service(*args, **kwargs)

    return wrapper
