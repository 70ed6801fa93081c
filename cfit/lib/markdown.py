"""Text that people write in Markdown, turned into HTML that is safe to show.

markdown-it-py parses (CommonMark with tables and strikethrough, raw HTML off), and nh3
sanitises what comes out, so that neither a script, an event handler, a style attribute
nor a javascript: link survives whatever the parser lets through. Links get
rel="nofollow noopener": the site does not lend its standing to what members link to.
Every page that shows Markdown goes through `render_markdown`.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
    "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)


def render_markdown(text: str) -> SafeString:
    """Markdown as sanitised HTML; an empty text gives an empty string."""
    if not text:
        return mark_safe("")
    html = _parser.render(text)
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    return mark_safe(cleaned)  # sanitised by nh3 just above
