"""The address of the client that sent a request, also behind reverse proxies.

``X-Forwarded-For`` is believed only from the proxies named in ``TILA_TRUSTED_PROXIES``
(addresses or networks): each trusted proxy appends the address it got the request from, so
the list is read from the right, past the trusted proxies, to the first address that is not
one. A request that did not come through a trusted proxy is known by its peer address alone,
whatever its headers claim."""

from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from django.conf import settings
from django.http import HttpRequest

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ip_network(proxy, strict=False) for proxy in proxies)


def _parse(value: str) -> Address | None:
    try:
        return ip_address(value.strip())
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or from a trusted proxy the nearest untrusted
    address of X-Forwarded-For."""
    peer = str(request.META.get("REMOTE_ADDR", "") or "unknown")
    networks = _networks(tuple(getattr(settings, "TILA_TRUSTED_PROXIES", ())))

    def trusted(address: Address | None) -> bool:
        return address is not None and any(address in network for network in networks)

    if not networks or not trusted(_parse(peer)):
        return peer
    client = peer
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _parse(hop)
        if address is None:
            break  # garbage: nothing further left can be believed
        client = str(address)
        if not trusted(address):
            break
    return client
