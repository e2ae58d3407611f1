"""The Vietnamese catalogue is complete, reviewed (nothing fuzzy) and compiled.

No database: the .po is read with a small parser (no polib in the requirements) and the
compiled .mo is checked by loading it with the standard library's GNUTranslations, so a .po
edited without running compilemessages fails here even when file times say otherwise.
"""

import ast
import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LC_MESSAGES = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# Python-format and brace placeholders, and HTML tags: a translation keeps all of them.
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0-9.]*[sdfir]|%[sdfir]|\{[^{}]*\}|</?[A-Za-z][^>]*>")


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return f"django.po:{self.line} msgid {self.msgid!r}"

    @property
    def translations(self) -> list[str]:
        return list(self.msgstr_plural.values()) if self.msgid_plural is not None else [self.msgstr]


def _unquote(text: str, lineno: int) -> str:
    text = text.strip()
    if not (len(text) >= 2 and text[0] == text[-1] == '"'):
        raise AssertionError(f"django.po:{lineno}: expected a quoted string, got {text!r}")
    # PO strings use C escapes, which a Python string literal reads the same way.
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file, header included (msgid ""); obsolete (#~) entries skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None  # which field a continuation line extends
    pending_flags: set[str] = set()

    def finish():
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            target = None
            pending_flags = set()  # flags belong to the entry right below them
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                if current is not None and target is not None and target[0] == "msgstr":
                    finish()  # a flag comment starts the next entry
                pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if current is None or target is None:
                raise AssertionError(f"django.po:{lineno}: continuation line outside an entry")
            name, index = target
            value = _unquote(line, lineno)
            if index is None:
                setattr(current, name, getattr(current, name) + value)
            else:
                current.msgstr_plural[index] += value
            continue
        if keyword in {"msgctxt", "msgid"} and (
            current is None or (target is not None and target[0] == "msgstr")
        ):
            finish()
            current = Entry(line=lineno, flags=pending_flags)
            pending_flags = set()
        if current is None:
            raise AssertionError(f"django.po:{lineno}: {keyword} outside an entry")
        value = _unquote(rest, lineno)
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match:
            index = int(match.group(1))
            current.msgstr_plural[index] = value
            target = ("msgstr", index)
        elif keyword in {"msgctxt", "msgid", "msgid_plural", "msgstr"}:
            setattr(current, keyword, value)
            target = (keyword, None)
        else:
            raise AssertionError(f"django.po:{lineno}: unknown keyword {keyword!r}")
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_PATH.is_file(), f"{PO_PATH} is missing: run makemessages -l vi"
    return parse_po(PO_PATH)


@pytest.fixture(scope="module")
def messages(po_entries) -> list[Entry]:
    """Every entry but the header."""
    return [e for e in po_entries if not (e.msgid == "" and e.msgctxt is None)]


@pytest.fixture(scope="module")
def catalogue() -> gettext.GNUTranslations:
    assert MO_PATH.is_file(), f"{MO_PATH} is missing: run compilemessages"
    with MO_PATH.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_po_header_is_vietnamese_with_one_plural_form(po_entries):
    headers = [e for e in po_entries if e.msgid == "" and e.msgctxt is None]
    assert len(headers) == 1
    header = headers[0]
    assert "fuzzy" not in header.flags, "the header is still marked fuzzy"
    assert "Language: vi\n" in header.msgstr
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header.msgstr
    assert "charset=UTF-8" in header.msgstr


def test_po_has_entries(messages):
    assert len(messages) > 100  # guards the parser against silently reading nothing


def test_every_entry_is_translated(messages):
    untranslated = [e.label for e in messages if not all(e.translations) or not e.translations]
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)


def test_no_entry_is_fuzzy(messages):
    fuzzy = [e.label for e in messages if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy entries (check them, then remove the flag):\n" + "\n".join(fuzzy)


def test_plural_entries_have_exactly_one_form(messages):
    wrong = [
        e.label for e in messages if e.msgid_plural is not None and set(e.msgstr_plural) != {0}
    ]
    assert not wrong, "plural entries need exactly msgstr[0] (nplurals=1):\n" + "\n".join(wrong)


def test_translations_keep_placeholders_and_html(messages):
    wrong = []
    for e in messages:
        expected = Counter(PLACEHOLDER.findall(e.msgid))
        for translation in e.translations:
            if translation and Counter(PLACEHOLDER.findall(translation)) != expected:
                wrong.append(f"{e.label} -> {translation!r}")
    assert not wrong, "placeholders or HTML differ from the msgid:\n" + "\n".join(wrong)


def test_compiled_catalogue_matches_the_po(messages, catalogue):
    """The .mo is compiled from the current .po: every msgid translates to its msgstr."""
    stale = []
    for e in messages:
        if e.msgid_plural is not None:
            expected = e.msgstr_plural.get(0, "")
            for n in (1, 2, 5):
                if e.msgctxt is None:
                    got = catalogue.ngettext(e.msgid, e.msgid_plural, n)
                else:
                    got = catalogue.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                if got != expected:
                    stale.append(f"{e.label} (n={n}): .mo gives {got!r}, .po says {expected!r}")
        else:
            if e.msgctxt is None:
                got = catalogue.gettext(e.msgid)
            else:
                got = catalogue.pgettext(e.msgctxt, e.msgid)
            if got != e.msgstr:
                stale.append(f"{e.label}: .mo gives {got!r}, .po says {e.msgstr!r}")
    assert not stale, "django.mo is out of date, run compilemessages:\n" + "\n".join(stale)


def test_compiled_catalogue_has_no_extra_messages(messages, catalogue):
    """Nothing translated in the .mo has been removed from the .po (e.g. a stale compile)."""
    known = {(e.msgctxt, e.msgid) for e in messages}
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
