"""Models similar to a text being typed: the "similar models" suggestions of the
registration form (``reports.views.similar``).

The text and the models are compared as diacritic-folded syllables (``fold_vietnamese``,
the same folding as ``DvkModel.search_text``) without the words every registration shares
("mô hình", "dân vận", "khéo", "xã", "thôn", "của", "và" …), so that the words that say
what a model does decide. Two implementations of one contract:

* PostgreSQL: full-text search (configuration "simple") over the folded ``search_text``
  (weight A) and the beginning of the content (weight B), the OR of the query's words,
  plus each pair of adjacent words as a phrase so that "đường hoa" outranks a model that
  only says "đường"; ranked with ``ts_rank``. No extension is needed.
* Other databases (SQLite): TF-IDF cosine in Python over a bounded number of candidates
  (only their id, ``search_text`` and the beginning of the content are fetched).
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter

from django.db import connections
from django.db.models import QuerySet
from django.db.models.functions import Substr

from danvan.utils import fold_vietnamese
from models_registry.models import DvkModel

# How much of a model's content takes part: the name and the first paragraphs say what it
# is; reading 20,000 characters of every candidate would not change the order.
CONTENT_CHARS = 3000
# The fallback compares at most this many candidates (newest first).
CANDIDATE_CAP = 2000
# The query text is cut to this length, and to this many distinct words.
QUERY_CHARS = 3000
QUERY_WORDS = 40

# Phrases (folded) of administrative text that say nothing about what a model does.
STOP_PHRASES = frozenset(
    {
        ("dan", "van", "kheo"),
        ("mo", "hinh"),
        ("dien", "hinh"),
        ("dan", "van"),
        ("don", "vi"),
        ("nhan", "dan"),
        ("nguoi", "dan"),
        ("dia", "ban"),
        ("thuc", "hien"),
        ("to", "chuc"),
        ("trien", "khai"),
        ("cong", "tac"),
        ("hoat", "dong"),
        ("chinh", "quyen"),
        ("dang", "uy"),
        ("to", "dan", "pho"),
        ("khu", "dan", "cu"),
    }
)
# Single syllables (folded) of the same kind: places, function words.
STOP_WORDS = frozenset(
    """
    kheo xa phuong thi tran thon xom ap ban khu to pho huyen tinh quan
    trong va cua cac nhung cho voi la co duoc tai theo tren duoi de mot hai nay do
    khi thi ma den tu ve nhu cung da dang se bang hon ra vao nam moi
    viec su cuoc qua vi neu ca hay hoac nhieu it rat
    """.split()
)
_PHRASE_LENGTHS = sorted({len(p) for p in STOP_PHRASES}, reverse=True)
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """The meaningful folded syllables of ``text``, in order (stop phrases and words,
    single letters and numbers removed)."""
    tokens = _WORD.findall(fold_vietnamese(text or ""))
    kept = []
    i = 0
    while i < len(tokens):
        for length in _PHRASE_LENGTHS:
            if tuple(tokens[i : i + length]) in STOP_PHRASES:
                i += length
                break
        else:
            token = tokens[i]
            if len(token) > 1 and not token.isdigit() and token not in STOP_WORDS:
                kept.append(token)
            i += 1
    return kept


def _terms(tokens: list[str]) -> Counter:
    """Syllables and adjacent pairs ("duong hoa"): Vietnamese words are often two
    syllables, and a shared pair is much stronger evidence than a shared syllable."""
    terms = Counter(tokens)
    terms.update(f"{a} {b}" for a, b in itertools.pairwise(tokens))
    return terms


def similar_models(candidates: QuerySet[DvkModel], text: str, *, limit: int = 5) -> list[DvkModel]:
    """Up to ``limit`` models of ``candidates`` most similar to ``text`` (a name and a
    content being typed), best first, loaded from ``candidates`` (so they keep its
    annotations, e.g. ``library_list``'s) with unit, campaign and field joined. Models
    that share no meaningful word with ``text`` are left out; an empty or
    stop-words-only text gives ``[]``. Two queries (the ranking, then the top rows)."""
    query_words = list(dict.fromkeys(words((text or "")[:QUERY_CHARS])))[:QUERY_WORDS]
    if not query_words or limit <= 0:
        return []
    if _full_text_available(candidates):
        ranked = _ranked_postgresql(candidates, text[:QUERY_CHARS], query_words, limit)
    else:
        ranked = _ranked_python(candidates, query_words, limit)
    if not ranked:
        return []
    rows = candidates.filter(pk__in=ranked).select_related("unit", "campaign", "field")
    by_pk = {row.pk: row for row in rows}
    return [by_pk[pk] for pk in ranked if pk in by_pk]


def _full_text_available(candidates) -> bool:
    return connections[candidates.db].vendor == "postgresql"


def _ranked_postgresql(candidates, text, query_words, limit) -> list[int]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    # The folded words match ``search_text``; the content is not folded in the database
    # (no unaccent on every deployment), so the words as typed are searched too.
    typed = {
        fold_vietnamese(token): token
        for token in re.findall(r"\w+", unicodedata.normalize("NFC", text.lower()))
    }
    terms = set(query_words) | {typed[w] for w in query_words if w in typed}
    query = _any_of(SearchQuery(term, config="simple") for term in sorted(terms))
    vector = SearchVector("search_text", config="simple", weight="A") + SearchVector(
        Substr("content", 1, CONTENT_CHARS), config="simple", weight="B"
    )
    rank = SearchRank(vector, query, normalization=1)
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(query_words)]
    if pairs:
        # ts_rank ignores the order of a phrase's words; the cover density rank does not,
        # and is 0 unless a pair of the text occurs as it is.
        phrases = _any_of(SearchQuery(p, config="simple", search_type="phrase") for p in pairs)
        rank = rank + SearchRank(vector, phrases, cover_density=True)
    return list(
        candidates.annotate(document=vector)
        .filter(document=query)
        .annotate(rank=rank)
        .order_by("-rank", "-campaign__year", "-pk")
        .values_list("pk", flat=True)[:limit]
    )


def _any_of(queries):
    combined = None
    for query in queries:
        combined = query if combined is None else combined | query
    return combined


def _ranked_python(candidates, query_words, limit) -> list[int]:
    rows = list(
        candidates.order_by("-campaign__year", "-pk").values_list(
            "pk", "search_text", Substr("content", 1, CONTENT_CHARS)
        )[:CANDIDATE_CAP]
    )
    documents = []
    for pk, search_text, content in rows:
        terms = _terms(words(search_text))
        # The name (search_text) counts twice the content, as weight A over B does.
        terms = terms + terms + _terms(words(content or ""))
        documents.append((pk, terms))
    frequency = Counter(term for _pk, terms in documents for term in terms)
    count = len(documents)

    def idf(term):
        return math.log((count + 1) / (frequency[term] + 1)) + 1

    query = {term: (1 + math.log(n)) * idf(term) for term, n in _terms(query_words).items()}
    query_norm = math.sqrt(sum(w * w for w in query.values()))
    scored = []
    for pk, terms in documents:
        shared = query.keys() & terms.keys()
        if not shared:
            continue
        weights = {term: (1 + math.log(n)) * idf(term) for term, n in terms.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        score = sum(query[t] * weights[t] for t in shared) / (norm * query_norm)
        scored.append((score, pk))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [pk for _score, pk in scored[:limit]]
