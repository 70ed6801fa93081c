"""Full-text search of the criteria on PostgreSQL, in each of their languages.

Each version stores one vector: its own texts parsed with its language's text-search
configuration, joined with each translation parsed with that language's (flagged
copies left out). A search parses the words with the reader's configuration and
with "simple" (exact words, whatever the language), so that a Dutch reader finds
"batterijen" by "batterij" and anyone finds a word as written. SQLite, which has no
text search, keeps matching the words inside the texts (selectors.search_versions).
"""

from collections.abc import Iterable
from functools import reduce
from operator import add

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, TextField, Value

from cfit.lib.translations import reader_language

from .models import CriterionVersion

SEARCH_CONFIGS: dict[str, str] = {
    "en": "english",
    "nl": "dutch",
    "fr": "french",
    "de": "german",
    "es": "spanish",
}
TEXT_FIELDS = ("title", "tender_text", "rationale", "verification")


def has_text_search() -> bool:
    return connection.vendor == "postgresql"


def _vector(text: str, language: str) -> SearchVector:
    return SearchVector(
        Value(text, output_field=TextField()),
        config=SEARCH_CONFIGS.get(language, "simple"),
    )


def versions_reindex(version_ids: Iterable[int]) -> None:
    """Store the search vector of these versions (PostgreSQL only)."""
    if not has_text_search():
        return
    versions = CriterionVersion.objects.filter(pk__in=list(version_ids))
    for version in versions.prefetch_related("translations"):
        parts = [
            _vector(
                " ".join(getattr(version, f) for f in TEXT_FIELDS),
                version.original_language,
            )
        ]
        for row in version.translations.all():
            if row.needs_review:
                continue
            text = " ".join(getattr(row, f"translated_{f}") for f in TEXT_FIELDS)
            parts.append(_vector(text, row.language_code))
        CriterionVersion.objects.filter(pk=version.pk).update(
            search_vector=reduce(add, parts)
        )


def text_search_match(q: str) -> Q:
    """Versions whose texts, in any language, hold every word of `q`."""
    config = SEARCH_CONFIGS.get(reader_language(), "simple")
    query = SearchQuery(q, config=config) | SearchQuery(q, config="simple")
    return Q(search_vector=query)
