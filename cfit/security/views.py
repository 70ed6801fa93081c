from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from cfit.lib.typing import AuthenticatedRequest
from cfit.organisations.selectors import is_secretariat

from . import selectors
from .forms import SecurityEventFilterForm


@login_required
def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    """The secretariat reads who signed in, failed, was locked out, changed roles."""
    if not is_secretariat(request.user):
        raise Http404
    form = SecurityEventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.security_events(
        action=filters.get("action", ""),
        person=filters.get("person", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query}
    return render(request, "security/audit_log.html", context)
