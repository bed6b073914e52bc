"""The interface is Indonesian first with an English translation that is compiled and current."""

from pathlib import Path

import polib
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "lapor" / "locale" / "en" / "LC_MESSAGES"


def test_english_catalog_is_complete_and_compiled():
    po = polib.pofile(str(LOCALE / "django.po"))
    mo = polib.mofile(str(LOCALE / "django.mo"))
    untranslated = [e.msgid for e in po if not e.msgstr and not e.obsolete]
    assert untranslated == []
    compiled = {e.msgid: e.msgstr for e in mo}
    assert {e.msgid: e.msgstr for e in po if not e.obsolete and "fuzzy" not in e.flags} == {
        k: v for k, v in compiled.items() if k
    }, "django.mo is stale: run `lapor compilemessages`"


def test_status_labels_switch_language():
    from lapor.complaints.models import Status

    with translation.override("id"):
        assert str(Status.FOLLOWED_UP.label) == "Ditindaklanjuti"
    with translation.override("en"):
        assert str(Status.FOLLOWED_UP.label) == "Followed up"
