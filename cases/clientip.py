"""The client's address, the one key of every throttle and of the login lockout (django-axes).

`REMOTE_ADDR` is the address of the direct peer. Only when that peer is one of our own reverse proxies
(settings.ZHIQIAN_TRUSTED_PROXIES: CIDRs, from the environment) is X-Forwarded-For believed, and then
only its right-most address that is not itself a trusted proxy — the address our outermost proxy saw.
Anything a client writes into the header to the left of that is ignored, and a header sent by an
untrusted peer is ignored whole, so a forged X-Forwarded-For never buys a fresh throttle bucket.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in spec if cidr.strip())


def trusted_proxies() -> tuple[Network, ...]:
    spec = getattr(settings, "ZHIQIAN_TRUSTED_PROXIES", ())
    if isinstance(spec, str):
        spec = spec.split(",")
    return _networks(tuple(spec))


def _address(value: str):
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [IPv6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in net for net in networks if address.version == net.version)


def client_ip(request) -> str:
    """The client's address as a string (also AXES_CLIENT_IP_CALLABLE and the DRF throttles' ident)."""
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return "0.0.0.0"
    networks = trusted_proxies()
    if not networks or not _is_trusted(remote, networks):
        return str(remote)
    hops = [a for a in (_address(h) for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")) if a]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return str(hop)
    return str(hops[0]) if hops else str(remote)  # every hop is ours: the innermost one


def axes_client_ip(request) -> str:
    """AXES_CLIENT_IP_CALLABLE (axes calls it with the request)."""
    return client_ip(request)
