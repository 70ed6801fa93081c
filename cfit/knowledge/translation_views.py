"""Authors add a translation of their good example, news item or event."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from cfit.lib.translation_views import translation_page
from cfit.lib.typing import AuthenticatedRequest

from . import selectors, services
from .models import Event, GoodExample, NewsItem


def _translate(request: AuthenticatedRequest, item: Any, language: str) -> HttpResponse:
    if not selectors.can_translate_item(request.user, item):
        raise Http404
    return translation_page(
        request,
        item,
        language,
        lambda texts: services.content_translation_save(
            item=item, language=language, texts=texts, by=request.user
        ),
    )


@login_required
def example_translate(
    request: AuthenticatedRequest, slug: str, language: str
) -> HttpResponse:
    example = get_object_or_404(GoodExample, slug=slug)
    return _translate(request, example, language)


@login_required
def news_translate(
    request: AuthenticatedRequest, slug: str, language: str
) -> HttpResponse:
    return _translate(request, get_object_or_404(NewsItem, slug=slug), language)


@login_required
def event_translate(
    request: AuthenticatedRequest, slug: str, language: str
) -> HttpResponse:
    return _translate(request, get_object_or_404(Event, slug=slug), language)
