"""Text folded for finding: what a search compares, stored beside the text it came from.

``search_key("Inês Søndergaard")`` is ``"ines sondergaard"``: accents and case dropped,
compatibility forms unified (full-width letters, ligatures), invisible format characters
removed, spaces collapsed. Names keep their key in a column of their own (a member's display
name, a circle's name), written by the actions that write the name, so a search narrows in
SQL on any database with a plain ``LIKE``: PostgreSQL's ``unaccent`` is not portable and
SQLite's ``lower`` folds ASCII only.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters that Unicode does not decompose into a base letter and an accent.
FOLDS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "\u0131": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


@lru_cache(maxsize=8192)
def search_key(text: str) -> str:
    """``text`` for matching (see the module's description)."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    )
    return " ".join(kept.casefold().translate(FOLDS).split())
