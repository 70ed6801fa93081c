from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfit.api.forms import TokenForm
from cfit.api.views import tokens_of
from cfit.criteria.selectors import pending_versions
from cfit.groups import selectors as group_selectors
from cfit.groups.forms import NoticePreferencesForm
from cfit.groups.services import notice_preferences_save
from cfit.lib.i18n import path_in_language
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

from .forms import LanguageForm, ProfileForm
from .services import user_language_set


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
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language or translation.get_language(),
        },
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
        user_language_set(user=user, language=form.cleaned_data["language"])
        with translation.override(user.language):
            messages.success(request, _("Your name and language are saved."))
            return remember_language(
                redirect(reverse("accounts:profile")), user.language
            )
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


def remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """The cookie that keeps the choice on this browser, also after signing out."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


@require_POST
def language_choose(request: HttpRequest) -> HttpResponse:
    """The switcher: the same page in the chosen language, and the choice remembered
    (on the person when signed in, in a cookie on this browser either way)."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return redirect("home")
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    back = form.cleaned_data["next"] or request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(path_in_language(back, language))
    return remember_language(response, language)
