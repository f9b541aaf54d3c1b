"""Finding a region by name or Kemendagri code, forgiving typos and the kind prefix.

Readers type "bekasi", "Kab. Sleman", "kabupaten slemn", "32.75" or "3275". The query is
split into an optional kind ("kota", "kabupaten", "kab", "kab.") and the name proper; a code
(``PP``, ``PP.KK`` or ``PPKK``) matches by prefix.

- On PostgreSQL the name is matched with pg_trgm's ``word_similarity`` (the extension is
  created by ``evaluations`` migration 0007): one query. There is no trigram index: the
  portal has at most 514 regions, a sequential scan over them costs well under a
  millisecond, and the ``<%`` operator an index would serve uses a fixed threshold that is
  too strict for one-letter typos in short names.
- On SQLite (laptops) the names are ranked in Python with ``difflib``: two queries (the
  names, then the chosen regions with their provinces).

Only regions with a public profile are searched (``public_reads.public_regions``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import connection
from django.db.models import Q, QuerySet

from evaluations.selectors import public as public_reads
from regions.models import Region, RegionKind

MAX_RESULTS = 20
# word_similarity / difflib ratio a name must reach to be offered.
PG_THRESHOLD = 0.45
PY_THRESHOLD = 0.72

_KIND_WORDS: dict[str, str] = {
    "kota": RegionKind.KOTA,
    "kabupaten": RegionKind.KABUPATEN,
    "kab": RegionKind.KABUPATEN,
    "kab.": RegionKind.KABUPATEN,
}
_CODE = re.compile(r"^(\d{2})(?:\.?(\d{1,2}))?$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Query:
    """A search query taken apart: the name words, the kind asked for, a code prefix."""

    text: str
    name: str
    kind: str | None
    code_prefix: str | None

    @property
    def empty(self) -> bool:
        return not self.name and not self.code_prefix


def parse(raw: str) -> Query:
    """Split ``raw`` into name, kind and code prefix ("Kab. Sleman" → "sleman", kabupaten)."""
    text = _SPACES.sub(" ", raw.strip())[:100]
    words = text.lower().replace("kab.", "kab. ").split()
    kind = None
    if words and words[0] in _KIND_WORDS:
        kind = _KIND_WORDS[words.pop(0)]
    name = " ".join(words)
    code_prefix = None
    match = _CODE.match(name)
    if match:
        head, tail = match.groups()
        code_prefix = head + ("." + tail if tail else "")
        name = ""
    return Query(text=text, name=name, kind=kind, code_prefix=code_prefix)


def core_name(name: str) -> str:
    """The name without its kind ("Kabupaten Bekasi" → "bekasi")."""
    words = name.lower().split()
    if words and words[0] in _KIND_WORDS:
        words.pop(0)
    return " ".join(words)


def _py_score(query: str, name: str) -> float:
    core = core_name(name)
    if query in core:
        return 1.0 + len(query) / max(len(core), 1)  # substrings first, closest length first
    whole = SequenceMatcher(None, query, core).ratio()
    words = max((SequenceMatcher(None, query, w).ratio() for w in core.split()), default=0.0)
    return max(whole, words)


def search_regions(raw: str, *, limit: int = MAX_RESULTS) -> list[Region]:
    """Public regions matching ``raw``, best first, with their provinces (1–2 queries).

    A kind word narrows the search ("kab bekasi" is the regency); when nothing of that kind
    matches, the other kind is searched too ("Kab. Bandung" finds Kota Bandung).
    """
    query = parse(raw)
    if query.empty:
        return []
    if query.kind:
        found = _search(query, public_reads.public_regions().filter(kind=query.kind), limit)
        if found:
            return found
    return _search(query, public_reads.public_regions(), limit)


def _search(query: Query, regions: QuerySet[Region], limit: int) -> list[Region]:
    if query.code_prefix:
        prefix = query.code_prefix
        exact = Q(code=prefix) if "." in prefix else Q(code__startswith=prefix + ".")
        if "." in prefix and len(prefix) == 4:  # "32.7" → 32.70 … 32.79
            exact = Q(code__startswith=prefix)
        return list(regions.filter(exact).order_by("code")[:limit])
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramWordSimilarity
        from django.db.models.functions import Lower

        return list(
            regions.annotate(similarity=TrigramWordSimilarity(query.name, Lower("name")))
            .filter(Q(similarity__gte=PG_THRESHOLD) | Q(name__icontains=query.name))
            .order_by("-similarity", "name")[:limit]
        )
    scored = [
        (_py_score(query.name, name), name, pk)
        for pk, name in regions.values_list("pk", "name").order_by()
    ]
    best = sorted(
        (row for row in scored if row[0] >= PY_THRESHOLD), key=lambda row: (-row[0], row[1])
    )[:limit]
    order = [pk for _score, _name, pk in best]
    if not order:
        return []
    by_pk = {r.pk: r for r in Region.objects.select_related("province").filter(pk__in=order)}
    return [by_pk[pk] for pk in order]


def resolve_region(raw: str, candidates: list[Region]) -> Region | list[Region]:
    """The one region among ``candidates`` that ``raw`` names, or the suggestions for it.

    ``raw`` is a slug (shareable URLs), a picker value like "Kota Bekasi (32.75)", a code or
    a typed name. A single match, or a match whose name equals the query, is the region;
    otherwise the close matches among ``candidates`` are returned for the reader to choose.
    """
    by_slug = {r.slug: r for r in candidates}
    by_code = {r.code: r for r in candidates}
    text = raw.strip()
    if text in by_slug:
        return by_slug[text]
    code = re.search(r"\((\d{2}\.\d{2})\)\s*$", text)
    if code and code.group(1) in by_code:
        return by_code[code.group(1)]
    query = parse(text)
    if query.empty:
        return []
    allowed = {r.pk for r in candidates}
    found = [r for r in search_regions(text) if r.pk in allowed]
    exact = [r for r in found if r.name.lower() == query.text.lower()]
    if len(exact) == 1:
        return exact[0]
    if len(found) == 1:
        return found[0]
    return found[:8]
