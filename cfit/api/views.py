"""Pages of the API app: tokens on the profile page, the API's documentation and the
open-data page with its files."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cfit.accounts.models import User
from cfit.lib.typing import AuthenticatedRequest
from cfit.organisations.selectors import (
    is_organisation_admin,
    membership_for_user,
    organisation_for_user,
)

from . import ocds_out, opendata, services
from .forms import ConsentForm, TokenForm
from .models import ApiToken, OpenDataConsent
from .problems import problem_response


def tokens_of(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user, revoked_at=None))


@login_required
@require_POST
def token_create(request: AuthenticatedRequest) -> HttpResponse:
    """Make a token and show it once: it is stored hashed and cannot be shown again."""
    organisation = organisation_for_user(request.user)
    if organisation is None:
        raise Http404
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "api/token_form.html",
            {"form": form, "tokens": tokens_of(request.user)},
        )
    token, raw = services.token_create(
        user=request.user,
        organisation=organisation,
        name=form.cleaned_data["name"],
        scope=form.cleaned_data["scope"],
        days=form.cleaned_data["days"],
    )
    response = render(request, "api/token_made.html", {"token": token, "raw": raw})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(token=token, by=request.user)
    messages.success(
        request, _("The token “%(name)s” no longer works.") % {"name": token.name}
    )
    return redirect("accounts:profile")


def docs(request: HttpRequest) -> HttpResponse:
    """The API's interactive documentation, from the site's own files (no CDN)."""
    return render(request, "api/docs.html")


@csrf_exempt  # it changes nothing; a POST to a wrong address gets a problem too
def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problem_response(404, _("There is no such address in the API."))


def open_data(request: HttpRequest) -> HttpResponse:
    """The datasets, their licence and, for an organisation's admins, the opt-in."""
    membership = membership_for_user(request.user)
    organisation = membership.organisation if membership else None
    can_decide = organisation is not None and is_organisation_admin(
        request.user, organisation
    )
    consent = (
        OpenDataConsent.objects.filter(organisation=organisation).first()
        if organisation
        else None
    )
    form = ConsentForm(
        initial={
            "publish_planned_tenders": bool(consent and consent.publish_planned_tenders)
        }
    )
    return render(
        request,
        "api/open_data.html",
        {
            "datasets": opendata.DATASETS.values(),
            "licence": opendata.licence(),
            "factorset": opendata._factorset_version(),
            "organisation": organisation,
            "can_decide": can_decide,
            "consent": consent,
            "form": form,
            "published_count": ocds_out.published_forecasts().count(),
        },
    )


@login_required
@require_POST
def consent_update(request: AuthenticatedRequest) -> HttpResponse:
    organisation = organisation_for_user(request.user)
    if organisation is None or not is_organisation_admin(request.user, organisation):
        raise Http404
    form = ConsentForm(request.POST)
    form.is_valid()
    publish = bool(form.cleaned_data.get("publish_planned_tenders"))
    services.consent_set(
        organisation=organisation, by=request.user, publish_planned_tenders=publish
    )
    messages.success(
        request,
        _("Your planned tenders are now published as open data.")
        if publish
        else _("Your planned tenders are no longer published."),
    )
    return redirect("api:open-data")


def open_data_file(request: HttpRequest, name: str, ext: str) -> HttpResponse:
    dataset = opendata.DATASETS.get(name)
    if dataset is None:
        raise Http404
    if ext == "csv":
        response = HttpResponse(
            opendata.as_csv(dataset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="{name}.csv"'
    else:
        response = JsonResponse(
            opendata.as_json(dataset, base_url=request.build_absolute_uri("/")),
            json_dumps_params={"ensure_ascii": False},
        )
    response["Link"] = f'<{opendata.licence()["path"]}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def datapackage(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        json.dumps(
            opendata.datapackage(base_url=request.build_absolute_uri("/")),
            ensure_ascii=False,
            indent=2,
        ),
        content_type="application/json",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def planned_tenders_ocds(request: HttpRequest) -> HttpResponse:
    package = ocds_out.release_package(base_url=request.build_absolute_uri("/"))
    response = JsonResponse(package, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
