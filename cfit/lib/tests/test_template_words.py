"""Every word a template shows goes through the catalogues.

Each template of the project is read with Django's own Lexer: text outside
{% translate %} and {% blocktranslate %} that a person would see (page text, and the
aria-label, title, placeholder and alt attributes) fails the test, except the few
words in ALLOWED (names that are the same in every language, symbols).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATE_DIRS = [
    settings.BASE_DIR / "templates",
    *(settings.BASE_DIR / "cfit").glob("*/templates"),
]
SPOKEN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}
HOLE = " \x00 "  # where a {{ variable }} or a {% tag %} stood (spaced: tags stay whole)
# Not words of a language: the Pact's mark, units, symbols of the method (L0, r(c)).
ALLOWED = {
    "CF",
    "cfit",
    "CSV",
    "JSON",
    "kg",
    "CO2e",
    "Sb",
    "eq",
    "kWh",
    "CPV",
    "L0",
    "L2",
    "r",
    "c",
}
WORD = re.compile(r"[^\s/(),:;.·…×]+")
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
ENTITY = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
SKIP_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}


def template_files() -> list[Path]:
    return sorted(
        path
        for folder in TEMPLATE_DIRS
        for path in folder.rglob("*")
        if path.suffix in {".html", ".txt"}
    )


def skeleton(source: str) -> str:
    """The template with every tag and variable a HOLE, and the text of blocks that
    are translated (or comments) left out."""
    out: list[str] = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        if closing is not None:
            if (
                token.token_type == TokenType.BLOCK
                and token.contents.split()[0] == closing
            ):
                closing = None
                out.append(HOLE)
            continue
        if token.token_type == TokenType.TEXT:
            out.append(token.contents)
        elif token.token_type == TokenType.BLOCK:
            closing = SKIP_BLOCKS.get(token.contents.split()[0])
            out.append(HOLE)
        elif token.token_type == TokenType.VAR:
            out.append(HOLE)
    return "".join(out)


def spoken(text: str) -> bool:
    words = WORD.findall(ENTITY.sub(" ", text.replace(HOLE.strip(), " ")))
    return any(LETTER.search(word) and word not in ALLOWED for word in words)


class WordFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._hidden_depth += 1
        for name, value in attrs:
            if name in SPOKEN_ATTRIBUTES and value and spoken(value):
                self.found.append(f'{name}="{value.replace(HOLE.strip(), "…")}"')

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth and spoken(data):
            self.found.append(" ".join(data.replace(HOLE.strip(), "…").split()))


def untranslated_words(source: str) -> list[str]:
    finder = WordFinder()
    finder.feed(skeleton(source))
    finder.close()
    return finder.found


def test_every_word_of_every_template_is_in_the_catalogues():
    problems = [
        f"{path.relative_to(settings.BASE_DIR)}: {words}"
        for path in template_files()
        for words in untranslated_words(path.read_text(encoding="utf-8"))
    ]
    assert problems == [], "\n".join(problems)


def test_the_check_finds_words_outside_translate_tags():
    assert untranslated_words('<p>{% translate "Hello" %}</p>') == []
    assert (
        untranslated_words("{% blocktranslate %}Hi {{ x }}{% endblocktranslate %}")
        == []
    )
    assert untranslated_words("<p>Hello {{ name }}</p>") == ["Hello …"]
    assert untranslated_words('<a title="Open">{{ x }}</a>') == ['title="Open"']
    assert untranslated_words("<img alt=\"{% translate 'A map' %}\">") == []
    assert untranslated_words('<button aria-label="Close">×</button>') == [
        'aria-label="Close"'
    ]
    assert untranslated_words("<script>const a = 'b';</script>{# note #}") == []
    assert untranslated_words('<span class="x">CF</span> · {{ n }} kg') == []
