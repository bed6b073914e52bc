"""Fixed-window rate limits kept in Django's cache (Redis in production, memory otherwise)."""

import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from .errors import TooManyRequests


def check_rate(scope: str, client: str, *, limit: int, window_seconds: int) -> None:
    """Count one request of `client` in `scope`; refuse when over `limit` in the current window."""
    window = int(time.time() // window_seconds)
    key = f"rl:{scope}:{client}:{window}"
    if cache.add(key, 1, timeout=window_seconds + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window_seconds + 5)
            count = 1
    if count > limit:
        raise TooManyRequests(
            _("Terlalu banyak permintaan. Silakan coba lagi dalam beberapa menit."), code="rate_limited"
        )


def client_key(request) -> str:
    """The account when logged in, otherwise the remote address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    auth = getattr(request, "auth", None)
    if auth is not None and getattr(auth, "pk", None):
        return f"user:{auth.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', 'unknown')}"
