"""Small pure helpers shared by every app."""

import unicodedata


def fold_vietnamese(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics ("Đình" → "dinh").

    Used to fill the ``search_text`` columns so that searches ignore diacritics and case
    in SQL on every database (PostgreSQL's unaccent is not available on SQLite).
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.replace("đ", "d").replace("Đ", "D").lower().split())


def clean_search_text(text: str, *, max_length: int = 100) -> tuple[str, bool]:
    """``text`` stripped, cut to ``max_length``, without control characters (a NUL byte
    makes PostgreSQL refuse the query); the flag says whether any character was dropped, so
    that the page can tell the user."""
    cleaned = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch in " \t")
    return cleaned.strip()[:max_length], cleaned != text


# Vietnamese alphabetical order: ă, â after a; đ after d; ê after e; ô, ơ after o; ư after u;
# tones (none, huyền, hỏi, ngã, sắc, nặng) only break ties between otherwise equal words.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: 40 + rank for rank, letter in enumerate(_ALPHABET)}
_LETTER_MARKS = {  # combining mark that makes a letter of its own: (base, mark) → letter
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vietnamese_sort_key(text: str) -> tuple:
    """A key that sorts ``text`` as a Vietnamese dictionary does ("Hà" < "Hoành" <
    "Hồng" < "Hưng"; "Đ" after "D"), case-insensitive; for ``sorted(..., key=...)`` in
    Python where the database's ICU collation (PostgreSQL ``vi-x-icu``) is not at hand."""
    primary, tones = [], []
    for char in unicodedata.normalize("NFD", (text or "").lower()):
        if unicodedata.combining(char):
            if char in _TONE_RANK:
                tones[-1:] = [_TONE_RANK[char]] if tones else []
            elif primary:
                letter = _LETTER_MARKS.get((primary[-1][1], char))
                if letter:
                    primary[-1] = (_LETTER_RANK[letter], letter)
            continue
        if char == "đ":
            primary.append((_LETTER_RANK["đ"], "đ"))
        elif char in _LETTER_RANK:
            primary.append((_LETTER_RANK[char], char))
        elif char.isspace():
            primary.append((0, " "))
        elif "0" <= char <= "9":
            primary.append((10 + int(char), char))
        else:
            primary.append((100 + ord(char), char))
        tones.append(0)
    return (tuple(rank for rank, _ in primary), tuple(tones), text or "")
