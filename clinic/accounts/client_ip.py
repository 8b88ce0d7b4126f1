"""The address a request really came from, for sign-in lockouts (django-axes reads it here).

Behind a proxy every request arrives from the proxy's address, so locking by REMOTE_ADDR would
lock the whole clinic out at once. The deployment names the header its proxy sets
(`TRUSTED_PROXY_IP_HEADER`) and how many proxies stand in front (`TRUSTED_PROXY_COUNT`). Without
a trusted header the header is ignored: anyone can send X-Forwarded-For.
"""

import ipaddress

from django.conf import settings


def meta_key(header):
    """`X-Forwarded-For` or `HTTP_X_FORWARDED_FOR` -> the request.META key."""
    key = header.strip().upper().replace("-", "_")
    return key if key.startswith("HTTP_") or key == "REMOTE_ADDR" else f"HTTP_{key}"


def client_ip(request):
    """The client's IP: REMOTE_ADDR, or the right-most address the trusted proxies did not add.

    Each proxy appends the address it received the request from, so with N proxies the client is
    N places from the right; anything further left was sent by the client and may be forged.
    """
    remote = request.META.get("REMOTE_ADDR")
    header = getattr(settings, "TRUSTED_PROXY_IP_HEADER", "")
    if not header:
        return remote
    hops = [hop.strip() for hop in request.META.get(meta_key(header), "").split(",")]
    hops = [hop for hop in hops if hop]
    if not hops:
        return remote
    count = max(1, getattr(settings, "TRUSTED_PROXY_COUNT", 1))
    candidate = hops[-min(count, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # A proxy that passes garbage through is misconfigured; the peer is still a real address.
        return remote
