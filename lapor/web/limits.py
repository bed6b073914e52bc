"""Rate limits of the portal's forms, per client (account when logged in, else address).

Submissions share `LAPOR["SUBMISSIONS_PER_HOUR"]` with the API; the others guard passwords,
one-time codes and secret codes against guessing.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from lapor.core.errors import TooManyRequests
from lapor.core.ratelimit import check_rate, client_key

# scope -> (requests, window in seconds); `None` reads the shared submission setting.
WINDOWS = {
    "submit": (None, 3600),
    "login": (10, 15 * 60),
    "register": (10, 3600),
    "verify": (20, 15 * 60),
    "track": (30, 15 * 60),
    # The similar-reports fragment a script asks for while the citizen types.
    "similar": (120, 15 * 60),
}


def _messages() -> dict[str, str]:
    return {
        "submit": _(
            "Anda sudah mengirim terlalu banyak laporan dalam satu jam terakhir. Laporan ini belum terkirim; "
            "silakan coba lagi nanti."
        ),
        "login": _("Terlalu banyak percobaan masuk. Tunggu 15 menit, lalu coba lagi."),
        "register": _("Terlalu banyak pendaftaran dari perangkat ini. Silakan coba lagi dalam satu jam."),
        "verify": _("Terlalu banyak percobaan kode. Tunggu 15 menit, lalu coba lagi."),
        "track": _("Terlalu banyak percobaan pelacakan. Tunggu 15 menit, lalu coba lagi."),
        "similar": _("Terlalu banyak permintaan. Silakan coba lagi dalam beberapa menit."),
    }


def limit(request, scope: str) -> None:
    """Count one attempt; raise TooManyRequests with a message that says what to do."""
    count, window = WINDOWS[scope]
    if count is None:
        count = settings.LAPOR["SUBMISSIONS_PER_HOUR"]
    try:
        check_rate(f"web-{scope}", client_key(request), limit=count, window_seconds=window)
    except TooManyRequests:
        raise TooManyRequests(_messages()[scope]) from None
