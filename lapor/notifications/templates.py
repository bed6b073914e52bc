"""Message templates, one per kind, in Indonesian with English translations.

A message is rendered in its recipient's language when it is written to the outbox, not in the
language of whoever caused it: an officer working in English still writes to a reporter who
chose Indonesian in Indonesian.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("id", "en")

# kind -> (subject, body); bodies are %-formatted with the parameters the caller gives.
TEMPLATES = {
    "report.disposed": (
        _("Laporan baru %(tracking)s"),
        _("Laporan baru %(tracking)s masuk ke instansi Anda."),
    ),
    "report.forwarded": (
        _("Laporan %(tracking)s untuk unit Anda"),
        _("Laporan %(tracking)s diteruskan ke unit Anda."),
    ),
    "report.transferred": (
        _("Laporan %(tracking)s dialihkan"),
        _("Laporan %(tracking)s dialihkan ke instansi Anda."),
    ),
    "report.answer_proposed": (
        _("Jawaban menunggu tinjauan: %(tracking)s"),
        _("Jawaban unit untuk laporan %(tracking)s menunggu tinjauan Anda."),
    ),
    "report.answer_returned": (
        _("Jawaban dikembalikan: %(tracking)s"),
        _("Jawaban untuk laporan %(tracking)s dikembalikan untuk diperbaiki."),
    ),
    "report.held": (
        _("Laporan %(tracking)s perlu dilengkapi"),
        _(
            "Laporan %(tracking)s perlu Anda lengkapi: %(question)s Tanpa kelengkapan, laporan akan "
            "diarsipkan setelah %(days)d hari kerja."
        ),
    ),
    "report.followed_up": (
        _("Laporan %(tracking)s ditindaklanjuti"),
        _("Laporan %(tracking)s telah ditindaklanjuti. Lihat jawabannya dan beri penilaian."),
    ),
    "report.interim_answer": (
        _("Jawaban sementara untuk laporan %(tracking)s"),
        _("Laporan %(tracking)s mendapat jawaban sementara. Perkiraan selesai: %(date)s."),
    ),
    "report.closed_by_system": (
        _("Laporan %(tracking)s ditutup"),
        _(
            "Laporan %(tracking)s ditutup oleh sistem karena tidak ada tanggapan atas tindak lanjut "
            "dalam %(days)d hari kerja. Anda masih dapat memberi penilaian."
        ),
    ),
    "report.archived_by_system": (
        _("Laporan %(tracking)s diarsipkan"),
        _("Laporan %(tracking)s diarsipkan karena tidak dilengkapi dalam %(days)d hari kerja."),
    ),
    "report.due_soon": (
        _("%(count)d laporan segera jatuh tempo"),
        _("Tenggat %(count)d laporan segera berakhir: %(trackings)s."),
    ),
    "report.escalated": (
        _("%(count)d laporan terlambat dieskalasi kepada Anda"),
        _(
            "%(count)d laporan melewati tenggat dan dieskalasi kepada Anda sebagai %(level)s: "
            "%(trackings)s. Buka ruang kerja, tab Terlambat."
        ),
    ),
}

LEVEL_NAMES = {
    1: _("admin instansi"),
    2: _("koordinator (admin provinsi atau Admin Nasional)"),
}


def render(kind: str, params: dict, language: str) -> tuple[str, str]:
    """(subject, body) of `kind` in `language` (Indonesian when the language is unknown)."""
    language = language if language in LANGUAGES else "id"
    subject, body = _translated(kind, language)
    values = {k: (_in(v, language) if isinstance(v, Promise) else v) for k, v in params.items()}
    return subject % values, body % values


@lru_cache(maxsize=256)
def _translated(kind: str, language: str) -> tuple[str, str]:
    # Once per kind and language: the sweeps render tens of thousands of messages.
    subject, body = TEMPLATES[kind]
    return _in(subject, language), _in(body, language)


def _in(text: Promise, language: str) -> str:
    with translation.override(language):
        return str(text)
