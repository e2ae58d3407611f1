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
