from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cfit.api.forms import TokenForm
from cfit.api.views import tokens_of
from cfit.criteria.selectors import pending_versions
from cfit.groups import selectors as group_selectors
from cfit.groups.forms import NoticePreferencesForm
from cfit.groups.services import notice_preferences_save
from cfit.lib.typing import AuthenticatedRequest
from cfit.market import selectors as market_selectors
from cfit.monitoring.selectors import (
    open_questions_for,
    reports_due_for_user,
    reports_without_coordinator,
    review_todo_for,
)
from cfit.organisations import selectors as organisation_selectors
from cfit.security.selectors import has_second_factor, needs_second_factor

from .forms import ProfileForm


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in person's start page: their organisation and what to do next."""
    membership = organisation_selectors.membership_for_user(request.user)
    organisation = membership.organisation if membership else None
    secretariat = organisation_selectors.is_secretariat(request.user)
    context = {
        "membership": membership,
        "organisation": organisation,
        "open_request": organisation_selectors.has_open_request(request.user),
        "market_party": market_selectors.party_for_user(request.user),
        "market_request": market_selectors.open_party_request(request.user),
        "signatures": organisation.signatures.all() if organisation else [],
        "is_secretariat": secretariat,
        "pending_reviews": organisation_selectors.pending_signatures().count()
        if secretariat
        else 0,
        # The sections of other areas (templates/components/my_page_sections.html).
        "my_groups": group_selectors.groups_for_person(request.user),
        "waiting": group_selectors.pending_requests_for(request.user).count(),
        "due": reports_due_for_user(request.user),
        "questions": list(open_questions_for(request.user)),
        "review": review_todo_for(request.user),
        "pending_criteria": pending_versions().count() if secretariat else 0,
        "secretariat_reports": list(reports_without_coordinator())
        if secretariat
        else [],
    }
    return render(request, "accounts/home.html", context)


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    """The person's name and how they want to hear about each kind of event."""
    user = request.user
    posted = request.POST if request.method == "POST" else None
    wants_notices = posted is not None and "notice_preferences" in posted
    form = ProfileForm(
        None if wants_notices else posted,
        initial={"first_name": user.first_name, "last_name": user.last_name},
    )
    notices_form = NoticePreferencesForm(posted if wants_notices else None, user=user)
    if wants_notices and notices_form.is_valid():
        notice_preferences_save(user=user, choices=notices_form.cleaned_data)
        messages.success(request, _("Your choices for notices and emails are saved."))
        return redirect("accounts:profile")
    if posted is not None and not wants_notices and form.is_valid():
        user.first_name = form.cleaned_data["first_name"]
        user.last_name = form.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        messages.success(request, _("Your name is saved."))
        return redirect("accounts:profile")
    context = {
        "form": form,
        "notices_form": notices_form,
        "has_second_factor": has_second_factor(user),
        "needs_second_factor": needs_second_factor(user),
        "tokens": tokens_of(user),
        "token_form": TokenForm()
        if organisation_selectors.organisation_for_user(user)
        else None,
    }
    return render(request, "accounts/profile.html", context)
