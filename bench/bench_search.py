"""How fast the good examples search answers, on many examples with long documents.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cfit_bench_search \
        .venv/bin/python bench/bench_search.py --examples 2000 --words 3000
    DATABASE_URL=sqlite:////tmp/cfit-bench-search.sqlite3 \
        .venv/bin/python bench/bench_search.py --examples 2000 --words 3000

Creates the examples (made up, seeded) when the database holds fewer than asked, each
with a search document of about --words words as a long attached document gives, then
prints the size and the time of a one-word search (best of five) and of a rare word.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import setup_django  # noqa: E402

VOCABULARY = [
    "laptop",
    "smartphone",
    "refurbished",
    "battery",
    "lifetime",
    "warranty",
    "erasure",
    "repair",
    "tender",
    "award",
    "criteria",
    "supplier",
    "contract",
    "framework",
    "reuse",
    "recycling",
    "energy",
    "keyboard",
    "screen",
    "spare",
    "parts",
    "label",
    "certified",
    "device",
    "procurement",
    "circular",
    "fair",
]


def _populate(count: int, words: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cfit.knowledge.models import GoodExample
    from cfit.organisations.models import Organisation

    have = GoodExample.objects.count()
    if have >= count:
        return
    rng = random.Random(2026)
    organisation, _ = Organisation.objects.get_or_create(
        slug="bench-search", defaults={"name": "Bench", "country": "NL", "kind": "ngo"}
    )
    author, _ = get_user_model().objects.get_or_create(email="bench@search.example")
    languages = ["en", "nl", "fr", "de", "es"]
    batch = []
    for n in range(have, count):
        text = " ".join(rng.choice(VOCABULARY) for _ in range(words))
        if n % 500 == 0:
            text += " zirconium"
        batch.append(
            GoodExample(
                title=f"Example {n}",
                slug=f"bench-example-{n}",
                kind="tender",
                summary="A bench example.",
                language=languages[n % len(languages)],
                condition="new",
                year=2025,
                procedure="open",
                organisation=organisation,
                author=author,
                status="published",
                published_at=timezone.now(),
                search_document=f" {text} ",
            )
        )
    GoodExample.objects.bulk_create(batch, batch_size=500)
    from django.contrib.postgres.search import SearchVector
    from django.db import connection

    from cfit.knowledge.models import LANGUAGE_SEARCH_CONFIGS

    if connection.vendor == "postgresql":
        # What the services store for each example (see services.example_reindex).
        for code in languages:
            GoodExample.objects.filter(language=code).update(
                search_vector=SearchVector(
                    "search_document", config=LANGUAGE_SEARCH_CONFIGS[code]
                )
            )


def _best(function, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--words", type=int, default=3000)
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    from cfit.knowledge.selectors import ExampleFilters, search_examples

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    _populate(args.examples, args.words)
    visitor = AnonymousUser()

    def page(word: str):  # type: ignore[no-untyped-def]
        return lambda: list(search_examples(visitor, ExampleFilters(q=word))[:12])

    print(
        f"database: {connection.vendor}; examples: {args.examples}; ~{args.words} words each"
    )
    print(f"common word ('battery'), first page: {_best(page('battery')):.0f} ms")
    print(f"rare word ('zirconium'), first page: {_best(page('zirconium')):.0f} ms")


if __name__ == "__main__":
    main()
