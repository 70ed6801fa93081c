"""Members' Markdown is shown as HTML with nothing that can run."""

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from cfit.lib.markdown import render_markdown


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def test_headings_tables_and_links_are_kept():
    html = render_markdown(
        "## Lessons\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[site](https://example.org)"
    )
    assert "<h2>Lessons</h2>" in html
    assert "<table>" in html and "<td>1</td>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow noopener"' in html


def test_script_event_handlers_and_styles_are_shown_as_text_not_run():
    html = render_markdown(
        '<script>alert(1)</script><img src=x onerror="alert(1)">'
        '<p style="color:red" onclick="x()">hi</p>\n\n[x](javascript:alert(1))'
    )
    parser = _Tags()
    parser.feed(html)
    assert [tag for tag, _attrs in parser.found] == ["p", "p"]
    assert all(attrs == [] for _tag, attrs in parser.found)
    assert "&lt;script&gt;" in html


def test_an_empty_text_gives_nothing():
    assert render_markdown("") == ""


@given(st.text(alphabet="<>=\"'/ascriptonerrohfjv:[]()!*#|-\n", max_size=200))
def test_no_text_gives_a_tag_or_attribute_that_can_run(text):
    parser = _Tags()
    parser.feed(render_markdown(text))
    for tag, attrs in parser.found:
        assert tag not in {"script", "style", "iframe", "img"}
        for name, value in attrs:
            assert not name.startswith("on")
            assert not (value or "").strip().lower().startswith("javascript:")
