"""Per-address rate limits counted in the cache (the local cache, or Redis when set).

A client is known by ``tila.lib.client_address``, which believes ``X-Forwarded-For`` only from
the trusted proxies."""

from django.core.cache import cache
from django.http import HttpRequest

from tila.lib.client_address import client_address


def _key(request: HttpRequest, scope: str) -> str:
    return f"tila:rate:{scope}:{client_address(request)}"


def count_hit(request: HttpRequest, scope: str, *, limit: int, window: int) -> bool:
    """Count one event from the client's address; True when the count is over ``limit``
    within ``window`` seconds (the window starts at the first event)."""
    key = _key(request, scope)
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit


def is_spent(request: HttpRequest, scope: str, *, limit: int) -> bool:
    """Whether the client's address has already had its ``limit`` of counted events in the
    current window, without counting this one."""
    return int(cache.get(_key(request, scope), 0)) >= limit
