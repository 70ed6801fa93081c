"""Template tags for what people write, in the reader's language (cfit.lib.translations).

{% load translations %}
{% translated version "title" %}           → the text, or <span lang="en">…</span> (in English)
{% translation version "tender_text" as t %} → a LocalText: t.text, t.language, t.marker
"""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from cfit.lib.markdown import render_markdown
from cfit.lib.translations import LocalText
from cfit.lib.translations import translated as translated_text

register = template.Library()


@register.simple_tag(takes_context=True)
def translated(context: template.Context, obj: Any, field: str) -> SafeString:
    """The field in the page's language, marked with its own language if a fallback."""
    return translated_text(obj, field, context.get("text_language")).html()


@register.simple_tag(takes_context=True)
def translation(context: template.Context, obj: Any, field: str) -> LocalText:
    """The field as a LocalText, for texts rendered further (Markdown, filled in)."""
    return translated_text(obj, field, context.get("text_language"))


@register.filter
def marked(text: LocalText | str) -> SafeString:
    """`{{ t|marked }}`: a LocalText as HTML, marked with its language if a fallback."""
    if isinstance(text, LocalText):
        return text.html()
    return LocalText(str(text), "").html()


@register.filter
def marked_lines(text: LocalText | str) -> SafeString:
    """Like `marked`, with line breaks kept (`linebreaksbr`)."""
    if isinstance(text, LocalText):
        return text.html(linebreaks=True)
    return LocalText(str(text), "").html(linebreaks=True)


@register.filter
def marked_markdown(text: LocalText) -> SafeString:
    """A member's Markdown text (see cfit.lib.markdown), in a block of its own
    language with the marker after it when a fallback."""
    body = render_markdown(text.text)
    if not text.is_fallback:
        return body
    return format_html(
        '<div lang="{}">{}</div><p class="text-language">{}</p>',
        text.language,
        body,
        text.marker,
    )
