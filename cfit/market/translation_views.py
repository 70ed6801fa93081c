"""Organisers and editors add a translation of a consultation or a statement of demand."""

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
from .models import MarketConsultation, StatementOfDemand


def _translate(
    request: AuthenticatedRequest,
    item: MarketConsultation | StatementOfDemand,
    language: str,
) -> HttpResponse:
    if not selectors.can_translate_market_text(request.user, item):
        raise Http404
    if language not in CONTENT_LANGUAGES or language == original_language(item):
        raise Http404
    form = TranslationForm(request.POST or None, item=item, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            services.market_translation_save(
                item=item, language=language, texts=form.texts(), by=request.user
            )
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


@login_required
def consultation_translate(
    request: AuthenticatedRequest, pk: int, language: str
) -> HttpResponse:
    return _translate(request, get_object_or_404(MarketConsultation, pk=pk), language)


@login_required
def statement_translate(
    request: AuthenticatedRequest, slug: str, language: str
) -> HttpResponse:
    return _translate(
        request, get_object_or_404(StatementOfDemand, slug=slug), language
    )
