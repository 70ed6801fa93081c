from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cfit.api.forms import TokenForm
from cfit.api.views import tokens_of
from cfit.lib.typing import AuthenticatedRequest
from cfit.organisations import selectors as organisation_selectors

from .forms import ProfileForm


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in person's start page: their organisation and what to do next."""
    membership = organisation_selectors.membership_for_user(request.user)
    organisation = membership.organisation if membership else None
    context = {
        "membership": membership,
        "organisation": organisation,
        "open_request": organisation_selectors.has_open_request(request.user),
        "signatures": organisation.signatures.all() if organisation else [],
        "is_secretariat": organisation_selectors.is_secretariat(request.user),
        "pending_reviews": organisation_selectors.pending_signatures().count()
        if organisation_selectors.is_secretariat(request.user)
        else 0,
    }
    return render(request, "accounts/home.html", context)


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"first_name": user.first_name, "last_name": user.last_name},
    )
    if request.method == "POST" and form.is_valid():
        user.first_name = form.cleaned_data["first_name"]
        user.last_name = form.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        messages.success(request, _("Your name is saved."))
        return redirect("accounts:profile")
    context = {
        "form": form,
        "tokens": tokens_of(user),
        "token_form": TokenForm()
        if organisation_selectors.organisation_for_user(user)
        else None,
    }
    return render(request, "accounts/profile.html", context)
