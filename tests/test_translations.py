"""The Vietnamese catalogue is complete, reviewed (nothing fuzzy) and compiled.

No database: the .po is read with polib and the compiled .mo is checked by loading it with
the standard library's GNUTranslations, so a .po edited without running compilemessages
fails here even when file times say otherwise.
"""

import gettext
import re
from collections import Counter
from pathlib import Path

import polib
import pytest

LC_MESSAGES = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# Python-format and brace placeholders, and HTML tags: a translation keeps all of them.
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0-9.]*[sdfir]|%[sdfir]|\{[^{}]*\}|</?[A-Za-z][^>]*>")


def label(entry: polib.POEntry) -> str:
    return f"django.po:{entry.linenum} msgid {entry.msgid!r}"


def translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return list(entry.msgstr_plural.values())
    return [entry.msgstr]


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    assert PO_PATH.is_file(), f"{PO_PATH} is missing: run makemessages -l vi"
    return polib.pofile(str(PO_PATH), wrapwidth=0)


@pytest.fixture(scope="module")
def messages(po) -> list[polib.POEntry]:
    """Every entry but the header; obsolete (#~) entries skipped."""
    return [e for e in po if not e.obsolete]


@pytest.fixture(scope="module")
def catalogue() -> gettext.GNUTranslations:
    assert MO_PATH.is_file(), f"{MO_PATH} is missing: run compilemessages"
    with MO_PATH.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_po_header_is_vietnamese_with_one_plural_form(po, messages):
    # polib reads the first msgid "" as the header; a second one would be an entry.
    assert [label(e) for e in messages if e.msgid == "" and e.msgctxt is None] == []
    assert po.metadata, "the header is missing"
    assert not po.metadata_is_fuzzy, "the header is still marked fuzzy"
    assert po.metadata.get("Language") == "vi"
    assert po.metadata.get("Plural-Forms") == "nplurals=1; plural=0;"
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")


def test_po_has_entries(messages):
    assert len(messages) > 100  # guards against silently reading nothing


def test_every_entry_is_translated(messages):
    untranslated = [label(e) for e in messages if not all(translations(e)) or not translations(e)]
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)


def test_no_entry_is_fuzzy(messages):
    fuzzy = [label(e) for e in messages if e.fuzzy]
    assert not fuzzy, "fuzzy entries (check them, then remove the flag):\n" + "\n".join(fuzzy)


def test_plural_entries_have_exactly_one_form(messages):
    wrong = [label(e) for e in messages if e.msgid_plural and set(e.msgstr_plural) != {0}]
    assert not wrong, "plural entries need exactly msgstr[0] (nplurals=1):\n" + "\n".join(wrong)


def test_translations_keep_placeholders_and_html(messages):
    wrong = []
    for e in messages:
        expected = Counter(PLACEHOLDER.findall(e.msgid))
        for translation in translations(e):
            if translation and Counter(PLACEHOLDER.findall(translation)) != expected:
                wrong.append(f"{label(e)} -> {translation!r}")
    assert not wrong, "placeholders or HTML differ from the msgid:\n" + "\n".join(wrong)


def test_compiled_catalogue_matches_the_po(messages, catalogue):
    """The .mo is compiled from the current .po: every msgid translates to its msgstr."""
    stale = []
    for e in messages:
        if e.msgid_plural:
            expected = e.msgstr_plural.get(0, "")
            for n in (1, 2, 5):
                if e.msgctxt is None:
                    got = catalogue.ngettext(e.msgid, e.msgid_plural, n)
                else:
                    got = catalogue.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                if got != expected:
                    stale.append(f"{label(e)} (n={n}): .mo gives {got!r}, .po says {expected!r}")
        else:
            if e.msgctxt is None:
                got = catalogue.gettext(e.msgid)
            else:
                got = catalogue.pgettext(e.msgctxt, e.msgid)
            if got != e.msgstr:
                stale.append(f"{label(e)}: .mo gives {got!r}, .po says {e.msgstr!r}")
    assert not stale, "django.mo is out of date, run compilemessages:\n" + "\n".join(stale)


def test_compiled_catalogue_has_no_extra_messages(messages, catalogue):
    """Nothing translated in the .mo has been removed from the .po (e.g. a stale compile)."""
    known = {(e.msgctxt or None, e.msgid) for e in messages}
    extra = []
    # The standard library has no public listing of a catalogue's messages.
    for key in catalogue._catalog:
        msgid = key[0] if isinstance(key, tuple) else key
        if msgid == "":
            continue  # the header
        context, _, bare = msgid.rpartition("\x04")
        if (context or None, bare) not in known:
            extra.append(repr(bare))
    assert not extra, "messages in django.mo but not in django.po:\n" + "\n".join(sorted(extra))
