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
