"""The page on which someone who may translate a text adds it in one language.

One page for every kind of content with translations (good examples, news, events,
consultations, statements of demand); each app checks who may translate and passes the
service that stores the text.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cfit.lib.translations import (
    CONTENT_LANGUAGES,
    TranslationForm,
    language_in_sentence,
    original_language,
)
from cfit.lib.typing import AuthenticatedRequest


def translation_page(
    request: AuthenticatedRequest,
    item: Any,
    language: str,
    save: Callable[[dict[str, str]], Any],
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
                % {"language": language_in_sentence(language)},
            )
            return redirect(item.get_absolute_url())
    return render(
        request,
        "components/translation_form.html",
        {
            "item": item,
            "form": form,
            "language_name": language_in_sentence(language),
            "original_language": original_language(item),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
