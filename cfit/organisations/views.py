from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfit.dashboards.caching import cached
from cfit.impact import selectors as impact_selectors
from cfit.lib.typing import AuthenticatedRequest, HtmxRequest

from . import membership_pages, selectors, services
from .forms import (
    OrganisationForm,
    RefusalForm,
    SignatoryFilterForm,
    SignatureForm,
)
from .models import Membership, Organisation, Signature


def _get_organisation_for_member(request: HttpRequest, slug: str) -> Organisation:
    """The organisation, if the person is one of its members or the secretariat; else 404."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not (
        selectors.is_organisation_member(request.user, organisation)
        or selectors.is_secretariat(request.user)
    ):
        raise Http404
    return organisation


def _get_organisation_for_admin(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not selectors.is_organisation_admin(request.user, organisation):
        raise Http404
    return organisation


# The filters a visitor may combine; a request with anything else is answered without
# the cache, so that made-up addresses cannot fill it.
_LISTING_PARAMETERS = {"country", "role", "kind", "page"}


def _listing_key(request: HtmxRequest) -> str | None:
    """What distinguishes one rendering of the list from another, or None."""
    # The form reads the last value of each parameter, and so does the key.
    params = sorted((k, str(v)) for k, v in request.GET.items())
    if any(k not in _LISTING_PARAMETERS or len(v) > 32 for k, v in params):
        return None
    return f"{get_language()}:{bool(request.htmx)}:{urlencode(params)}"


def signatory_list(request: HtmxRequest) -> HttpResponse:
    template = "organisations/signatory_list.html"
    template += "#results" if request.htmx else "#listing"
    key = _listing_key(request)
    build = partial(_signatory_listing, request, template)
    # The same for every visitor who asks the same: rendered once per change of the
    # Pact's data, whose fingerprint moves with every signature decided and every
    # organisation edited, from any door (services, admin, commands).
    listing = build() if key is None else cached("signatory-list", key, build)
    if request.htmx:
        return HttpResponse(listing)
    return render(
        request,
        "organisations/signatory_list.html",
        {"listing": mark_safe(listing)},  # our own template's output
    )


def _signatory_listing(request: HtmxRequest, template: str) -> str:
    country_counts = selectors.signatory_counts_by_country()
    form = SignatoryFilterForm(
        request.GET or None, countries={row.country for row in country_counts}
    )
    filters = form.cleaned_data if form.is_valid() else {}
    signatures = selectors.signatories(
        country=filters.get("country", ""),
        role=filters.get("role", ""),
        kind=filters.get("kind", ""),
    )
    page = Paginator(signatures, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "total": page.paginator.count,
        "country_counts": country_counts,
        "query": query,
    }
    # Rendered without the request: nothing in it may depend on who is asking.
    return render_to_string(template, context)


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    is_member = selectors.is_organisation_member(request.user, organisation)
    is_secretariat = selectors.is_secretariat(request.user)
    signatures = organisation.signatures.select_related("pact_text")
    if not (is_member or is_secretariat):
        # The public sees an organisation only through its approved signatures.
        signatures = signatures.approved()
        if not signatures.exists():
            raise Http404
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "signatures": signatures,
            "is_member": is_member,
            "organisation_impact": impact_selectors.organisation_impact(organisation)
            if is_member
            else None,
            "is_admin": selectors.is_organisation_admin(request.user, organisation),
            "can_edit": selectors.can_edit_organisation(request.user, organisation),
            "roles_to_sign": selectors.roles_to_sign(organisation),
        },
    )


@login_required
def organisation_register(request: AuthenticatedRequest) -> HttpResponse:
    if selectors.organisation_for_user(request.user):
        messages.info(request, _("You already belong to an organisation."))
        return redirect("accounts:home")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_register(
                by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered. You are its administrator.")
                % {"name": organisation.name},
            )
            return redirect("organisations:detail", slug=organisation.slug)
    return render(request, "organisations/organisation_form.html", {"form": form})


@login_required
def organisation_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not selectors.can_edit_organisation(request.user, organisation):
        raise Http404
    initial = {
        "name": organisation.name,
        "country": organisation.country,
        "kind": organisation.kind,
        "website": organisation.website,
    }
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The details are saved."))
            return redirect("organisations:detail", slug=organisation.slug)
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


@login_required
def organisation_join(request: AuthenticatedRequest) -> HttpResponse:
    """Find an existing organisation and ask to join it."""
    if selectors.organisation_for_user(request.user):
        messages.info(request, _("You already belong to an organisation."))
        return redirect("accounts:home")
    query = request.GET.get("q", "").strip()
    results = Organisation.objects.none()
    if len(query) >= 2:
        results = Organisation.objects.filter(name__icontains=query)[:30]
    return render(
        request,
        "organisations/organisation_join.html",
        {
            "query": query,
            "results": results,
            "open_request": selectors.has_open_request(request.user),
        },
    )


@login_required
def membership_request(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    return membership_pages.join_request(
        request,
        owner=organisation,
        send=partial(services.membership_request, organisation=organisation),
    )


@login_required
def organisation_members(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    organisation = _get_organisation_for_member(request, slug)
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            **membership_pages.members_context(
                organisation.memberships.all(),
                is_admin=selectors.is_organisation_admin(request.user, organisation),
                urls="organisations:member",
            ),
        },
    )


def _member_action(
    request: AuthenticatedRequest,
    slug: str,
    pk: int,
    action: Callable[[Membership], str],
) -> HttpResponse:
    organisation = _get_organisation_for_member(request, slug)
    membership = get_object_or_404(Membership, pk=pk, organisation=organisation)
    return membership_pages.member_action(
        request,
        membership=membership,
        action=lambda: action(membership),
        still_member=lambda: selectors.is_organisation_member(
            request.user, organisation
        ),
        members_page="organisations:members",
        owner=organisation,
    )


@login_required
@require_POST
def membership_decide(
    request: AuthenticatedRequest, slug: str, pk: int
) -> HttpResponse:
    accept = request.POST.get("decision") == "accept"

    def act(membership: Membership) -> str:
        services.membership_decide(
            membership=membership, by=request.user, accept=accept
        )
        return membership_pages.decided(membership, accept=accept)

    return _member_action(request, slug, pk, act)


@login_required
@require_POST
def membership_role(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    def act(membership: Membership) -> str:
        services.membership_set_role(
            membership=membership, by=request.user, role=request.POST.get("role", "")
        )
        return membership_pages.role_changed(membership)

    return _member_action(request, slug, pk, act)


@login_required
@require_POST
def membership_remove(
    request: AuthenticatedRequest, slug: str, pk: int
) -> HttpResponse:
    def act(membership: Membership) -> str:
        services.membership_remove(membership=membership, by=request.user)
        return membership_pages.removed(
            membership, by=request.user, left=_("You have left the organisation.")
        )

    return _member_action(request, slug, pk, act)


@login_required
def signature_new(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    organisation = _get_organisation_for_admin(request, slug)
    roles = selectors.roles_to_sign(organisation)
    if not roles:
        messages.info(
            request,
            _("Your organisation has signed (or asked to sign) in both roles."),
        )
        return redirect("organisations:detail", slug=organisation.slug)
    pact_text = selectors.current_pact_text()
    form = SignatureForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.signature_submit(
                organisation=organisation,
                by=request.user,
                role=data["role"],
                signatory_name=data["signatory_name"],
                signatory_title=data["signatory_title"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you. The secretariat will check the signature and let you know."
                ),
            )
            return redirect("organisations:detail", slug=organisation.slug)
    return render(
        request,
        "organisations/signature_form.html",
        {"form": form, "organisation": organisation, "pact_text": pact_text},
    )


@login_required
@require_POST
def signature_withdraw(
    request: AuthenticatedRequest, slug: str, pk: int
) -> HttpResponse:
    organisation = _get_organisation_for_admin(request, slug)
    signature = get_object_or_404(Signature, pk=pk, organisation=organisation)
    try:
        services.signature_withdraw(signature=signature, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The signature is withdrawn."))
    return redirect("organisations:detail", slug=organisation.slug)


@login_required
def review_list(request: AuthenticatedRequest) -> HttpResponse:
    selectors.require_secretariat(request.user)
    return render(
        request,
        "organisations/review_list.html",
        {"signatures": selectors.pending_signatures()},
    )


@login_required
def review_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    selectors.require_secretariat(request.user)
    signature = get_object_or_404(
        Signature.objects.select_related("organisation", "submitted_by", "pact_text"),
        pk=pk,
    )
    form = RefusalForm(
        request.POST if request.POST.get("decision") == "refuse" else None
    )
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "approve":
                services.signature_approve(signature=signature, by=request.user)
                messages.success(
                    request,
                    _("The signature of %(name)s is approved.")
                    % {"name": signature.organisation.name},
                )
                return redirect("organisations:review-list")
            if form.is_valid():
                services.signature_refuse(
                    signature=signature,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(
                    request,
                    _(
                        "The signature of %(name)s is refused; the organisation is told why."
                    )
                    % {"name": signature.organisation.name},
                )
                return redirect("organisations:review-list")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(
        request,
        "organisations/review_detail.html",
        {"signature": signature, "form": form},
    )
