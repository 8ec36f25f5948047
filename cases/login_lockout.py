"""Login lockout (django-axes; docs/operations-throttling-and-notices.md).

`LockoutBackend` is axes' standalone backend, first in AUTHENTICATION_BACKENDS: a locked-out username
(or username from that address) is refused even with the right password, on /accounts/login/,
/admin/login/ and anything else that authenticates a password with its request. An authenticate() call
without a request is not an HTTP login (the test client's login(), a shell script) and is passed on
to the next backend unchecked — axes cannot tell its address.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page's 429, in the user's language, with when to retry."""
    import math

    from axes.helpers import get_cool_off, get_failure_limit
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else None
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_timedelta": cool_off,
        "cooloff_minutes": minutes,
    }
    response = render(request, "registration/locked_out.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
