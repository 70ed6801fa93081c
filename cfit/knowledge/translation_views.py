"""Authors add a translation of their good example, news item or event."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cfit.lib.translations import (
    CONTENT_LANGUAGES,
    LANGUAGE_NAMES,
    TranslationForm,
    original_language,
)
from cfit.lib.typing import AuthenticatedRequest

from . import selectors, services
from .models import Event, GoodExample, NewsItem


def translation_page(
    request: AuthenticatedRequest, item: Any, language: str, save: Any
) -> HttpResponse:
    """The form for one item in one language; `save(texts)` stores it (a service)."""
    if language not in CONTENT_LANGUAGES or language == original_language(item):
        raise Http404
    form = TranslationForm(request.POST or None, item=item, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.texts())
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("The %(language)s text is saved.")
                % {"language": LANGUAGE_NAMES[language]},
            )
            return redirect(item.get_absolute_url())
    return render(
        request,
        "components/translation_form.html",
        {
            "item": item,
            "form": form,
            "language_name": LANGUAGE_NAMES[language],
            "original_language": original_language(item),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


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
