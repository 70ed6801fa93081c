"""Pages about the Pact itself: what it is, and the site's statements."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cfit.knowledge.selectors import next_events
from cfit.organisations import selectors as organisation_selectors


def home(request: HttpRequest) -> HttpResponse:
    summary, country_counts = organisation_selectors.public_signatory_figures()
    return render(
        request,
        "pages/home.html",
        {
            "summary": summary,
            "country_counts": country_counts[:12],
            "next_events": next_events(request.user),
        },
    )


def pact_text(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/pact_text.html",
        {"pact_text": organisation_selectors.current_pact_text()},
    )


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")
