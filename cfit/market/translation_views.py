"""Organisers and editors add a translation of a consultation or a statement of demand."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from cfit.lib.translation_views import translation_page
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
    return translation_page(
        request,
        item,
        language,
        lambda texts: services.market_translation_save(
            item=item, language=language, texts=texts, by=request.user
        ),
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
