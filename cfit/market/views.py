"""Pages of the market side: market parties, statements of demand, the tender calendar
and the roadmap. Consultations have their own module, consultation_views."""

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfit.dashboards.privacy import MINIMUM_ORGANISATIONS
from cfit.lib.spreadsheets import people_csv_writer, safe_cell
from cfit.lib.translations import other_languages
from cfit.lib.typing import AuthenticatedRequest
from cfit.monitoring.models import DemandForecast
from cfit.organisations import membership_pages
from cfit.organisations.forms import RefusalForm
from cfit.organisations.selectors import (
    is_organisation_admin,
    is_secretariat,
    organisation_for_user,
)

from . import selectors, services
from .forms import (
    CalendarEntryForm,
    EndorseForm,
    InterestForm,
    MarketPartyForm,
    StatementForm,
)
from .models import (
    Endorsement,
    MarketParty,
    MarketPartyMembership,
    MarketPartyStatus,
    Milestone,
    RoadmapTheme,
    StatementOfDemand,
    StatementStatus,
)


def market_home(request: HttpRequest) -> HttpResponse:
    party = selectors.party_for_user(request.user)
    return render(
        request,
        "market/home.html",
        {
            "party": party,
            "open_consultations": selectors.consultations_for_party(party)
            if party
            else [],
            "summaries": selectors.published_summaries()[:10],
            "statements": StatementOfDemand.objects.filter(
                status=StatementStatus.PUBLISHED
            ),
            "can_run": selectors.can_run_consultations(request.user),
        },
    )


# Market parties ---------------------------------------------------------------------


def _get_party_for_member(request: HttpRequest, slug: str) -> MarketParty:
    """The party, if the person is one of its members or the secretariat; else 404."""
    party = get_object_or_404(MarketParty, slug=slug)
    if not (
        selectors.is_party_member(request.user, party) or is_secretariat(request.user)
    ):
        raise Http404
    return party


def party_list(request: HttpRequest) -> HttpResponse:
    parties = MarketParty.objects.verified().prefetch_related("product_groups")
    return render(request, "market/party_list.html", {"parties": parties})


def party_detail(request: HttpRequest, slug: str) -> HttpResponse:
    party = get_object_or_404(MarketParty, slug=slug)
    is_member = selectors.is_party_member(request.user, party)
    if not (party.is_verified or is_member or is_secretariat(request.user)):
        raise Http404
    return render(
        request,
        "market/party_detail.html",
        {"party": party, "is_member": is_member},
    )


@login_required
def party_register(request: AuthenticatedRequest) -> HttpResponse:
    form = MarketPartyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            party = services.market_party_register(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered. The secretariat will verify it.")
                % {"name": party.name},
            )
            return redirect(party)
    return render(request, "market/party_form.html", {"form": form})


@login_required
def party_join(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = (
        MarketParty.objects.verified().filter(name__icontains=query)[:30]
        if len(query) >= 2
        else MarketParty.objects.none()
    )
    return render(
        request,
        "market/party_join.html",
        {
            "query": query,
            "results": results,
            "open_request": selectors.open_party_request(request.user),
        },
    )


@login_required
def party_request_join(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    party = get_object_or_404(MarketParty.objects.verified(), slug=slug)
    return membership_pages.join_request(
        request,
        owner=party,
        send=partial(services.party_membership_request, party=party),
    )


@login_required
def party_members(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    party = _get_party_for_member(request, slug)
    return render(
        request,
        "market/party_members.html",
        {
            "party": party,
            **membership_pages.members_context(
                party.memberships.all(),
                is_admin=selectors.is_party_admin(request.user, party),
                urls="market:party-member",
            ),
        },
    )


def _member_action(
    request: AuthenticatedRequest,
    slug: str,
    pk: int,
    action: Callable[[MarketPartyMembership], str],
) -> HttpResponse:
    party = _get_party_for_member(request, slug)
    membership = get_object_or_404(MarketPartyMembership, pk=pk, party=party)
    return membership_pages.member_action(
        request,
        membership=membership,
        action=lambda: action(membership),
        still_member=lambda: selectors.is_party_member(request.user, party),
        members_page="market:party-members",
        owner=party,
    )


@login_required
@require_POST
def party_member_decide(
    request: AuthenticatedRequest, slug: str, pk: int
) -> HttpResponse:
    accept = request.POST.get("decision") == "accept"

    def act(membership: MarketPartyMembership) -> str:
        services.party_membership_decide(
            membership=membership, by=request.user, accept=accept
        )
        return membership_pages.decided(membership, accept=accept)

    return _member_action(request, slug, pk, act)


@login_required
@require_POST
def party_member_role(
    request: AuthenticatedRequest, slug: str, pk: int
) -> HttpResponse:
    def act(membership: MarketPartyMembership) -> str:
        services.party_membership_set_role(
            membership=membership, by=request.user, role=request.POST.get("role", "")
        )
        return membership_pages.role_changed(membership)

    return _member_action(request, slug, pk, act)


@login_required
@require_POST
def party_member_remove(
    request: AuthenticatedRequest, slug: str, pk: int
) -> HttpResponse:
    def act(membership: MarketPartyMembership) -> str:
        services.party_membership_remove(membership=membership, by=request.user)
        return membership_pages.removed(
            membership, by=request.user, left=_("You have left the market party.")
        )

    return _member_action(request, slug, pk, act)


@login_required
def party_review(request: AuthenticatedRequest) -> HttpResponse:
    """The secretariat verifies market parties that registered."""
    if not is_secretariat(request.user):
        raise Http404
    form = RefusalForm(
        request.POST if request.POST.get("decision") == "refuse" else None
    )
    if request.method == "POST":
        party_id = request.POST.get("party", "")
        if not party_id.isdigit():
            raise Http404  # not a party's number: nothing to decide
        party = get_object_or_404(MarketParty, pk=int(party_id))
        verify = request.POST.get("decision") == "verify"
        if verify or form.is_valid():
            try:
                services.market_party_decide(
                    party=party,
                    by=request.user,
                    verify=verify,
                    reason="" if verify else form.cleaned_data["reason"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("%(name)s is decided.") % {"name": party})
                return redirect("market:party-review")
    pending = MarketParty.objects.filter(status=MarketPartyStatus.PENDING)
    return render(
        request, "market/party_review.html", {"parties": pending, "form": form}
    )


# Statements of demand ----------------------------------------------------------------


def statement_list(request: HttpRequest) -> HttpResponse:
    statements = StatementOfDemand.objects.filter(status=StatementStatus.PUBLISHED)
    drafts = [
        s
        for s in StatementOfDemand.objects.filter(status=StatementStatus.DRAFT)
        if selectors.can_edit_statement(request.user, s)
    ]
    return render(
        request,
        "market/statement_list.html",
        {
            "statements": statements,
            "drafts": drafts,
            "can_draft": selectors.can_draft_statements(request.user),
        },
    )


def _get_visible_statement(request: HttpRequest, slug: str) -> StatementOfDemand:
    statement = get_object_or_404(StatementOfDemand, slug=slug)
    if not selectors.can_see_statement(request.user, statement):
        raise Http404
    return statement


def statement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    statement = _get_visible_statement(request, slug)
    organisation = organisation_for_user(request.user)
    endorsements = statement.endorsements.select_related("organisation")
    own = (
        endorsements.active().filter(organisation=organisation).first()
        if organisation
        else None
    )
    return render(
        request,
        "market/statement_detail.html",
        {
            "statement": statement,
            "endorsers": endorsements.active().prefetch_related(
                "pledges__product_group"
            ),
            "history": endorsements.order_by("-endorsed_at"),
            "pledged": selectors.pledged_volume(statement),
            "share": selectors.reported_share(statement),
            "share_minimum": MINIMUM_ORGANISATIONS,
            "can_edit": selectors.can_edit_statement(request.user, statement),
            "can_translate": selectors.can_translate_market_text(
                request.user, statement
            ),
            "translate_languages": other_languages(statement),
            "can_endorse": organisation is not None
            and is_organisation_admin(request.user, organisation)
            and statement.status == StatementStatus.PUBLISHED,
            "own": own,
            "endorse_form": EndorseForm(statement=statement),
        },
    )


@login_required
@require_POST
def statement_endorse(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    statement = _get_visible_statement(request, slug)
    form = EndorseForm(request.POST, statement=statement)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect(statement)
    try:
        services.statement_endorse(
            statement=statement, by=request.user, pledges=form.pledges()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your organisation endorses this statement."))
    return redirect(statement)


@login_required
@require_POST
def endorsement_withdraw(
    request: AuthenticatedRequest, slug: str, pk: int
) -> HttpResponse:
    statement = _get_visible_statement(request, slug)
    endorsement = get_object_or_404(Endorsement, pk=pk, statement=statement)
    try:
        services.endorsement_withdraw(endorsement=endorsement, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The endorsement is withdrawn."))
    return redirect(statement)


# The tender calendar ------------------------------------------------------------------


def _require_calendar_reader(request: HttpRequest) -> None:
    """Members, verified market parties and the secretariat read the calendar."""
    if not (
        selectors.is_pact_member(request.user)
        or selectors.verified_party_for_user(request.user)
        or is_secretariat(request.user)
    ):
        raise Http404


@login_required
def calendar(request: AuthenticatedRequest) -> HttpResponse:
    _require_calendar_reader(request)
    organisation = organisation_for_user(request.user)
    tenders = selectors.open_tenders(
        exclude_organisation_id=organisation.pk if organisation else None
    )
    return render(
        request,
        "market/calendar.html",
        {
            "rows": selectors.calendar_rows(from_year=timezone.localdate().year),
            "organisation": organisation,
            "open_tenders": tenders if organisation else [],
            "interested": selectors.interested_forecast_ids(
                organisation.pk, [t.pk for t in tenders]
            )
            if organisation
            else set(),
            "own": selectors.own_tenders(organisation.pk) if organisation else [],
        },
    )


@login_required
def calendar_csv(request: AuthenticatedRequest) -> HttpResponse:
    _require_calendar_reader(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tender-calendar.csv"'
    writer = people_csv_writer(response)
    writer.writerow(
        [
            _("Period"),
            _("Product group"),
            _("Country"),
            _("Criteria level"),
            _("Devices"),
            _("Tenders"),
            _("Organisations that show their name"),
        ]
    )
    for row in selectors.calendar_rows(from_year=timezone.localdate().year):
        cells = [
            row.period,
            row.product_group,
            row.country,
            row.level,
            row.devices,
            row.tenders,
            "; ".join(row.names),
        ]
        writer.writerow([safe_cell(cell) for cell in cells])
    return response


def _own_forecast(request: AuthenticatedRequest, pk: int) -> DemandForecast:
    organisation = organisation_for_user(request.user)
    if organisation is None:
        raise Http404
    return get_object_or_404(DemandForecast, pk=pk, organisation=organisation)


@login_required
def calendar_entry_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    forecast = _own_forecast(request, pk)
    entry = getattr(forecast, "calendar_entry", None)
    initial = (
        {
            "open_to_joint_procurement": entry.open_to_joint_procurement,
            "aligned_criteria": entry.aligned_criteria,
            "show_name": entry.show_name,
            "note": entry.note,
        }
        if entry
        else {}
    )
    form = CalendarEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.calendar_entry_save(
            forecast=forecast, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("The tender calendar shows your choice."))
        return redirect("market:calendar")
    return render(
        request, "market/calendar_entry.html", {"forecast": forecast, "form": form}
    )


@login_required
@require_POST
def tender_interest(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if organisation_for_user(request.user) is None:
        raise Http404
    forecast = get_object_or_404(DemandForecast, pk=pk)
    form = InterestForm(request.POST)
    try:
        services.tender_interest_express(
            forecast=forecast,
            by=request.user,
            message=form.data.get("message", "")[:1000],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The organisation is told of your interest."))
    return redirect("market:calendar")


# The roadmap to 2030 --------------------------------------------------------------------


def roadmap(request: HttpRequest) -> HttpResponse:
    milestones = Milestone.objects.prefetch_related(
        "consultations", "criterion_versions__criterion", "statements"
    )
    themes = [
        (label, [m for m in milestones if m.theme == value])
        for value, label in RoadmapTheme.choices
    ]
    return render(request, "market/roadmap.html", {"themes": themes})


@login_required
def statement_edit(
    request: AuthenticatedRequest, slug: str | None = None
) -> HttpResponse:
    """Draft a statement of demand (a buyer group, a working group or the secretariat)."""
    statement = _get_visible_statement(request, slug) if slug else None
    allowed = (
        selectors.can_edit_statement(request.user, statement)
        if statement
        else selectors.can_draft_statements(request.user)
    )
    if not allowed:
        raise Http404
    form = StatementForm(
        request.POST or None,
        initial=_statement_initial(statement) if statement else None,
        groups=selectors.organiser_groups_for(request.user),
        working_groups=selectors.organiser_working_groups_for(request.user),
        secretariat=is_secretariat(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        group, working_group = form.fields["drafted_by"].organiser(  # type: ignore[attr-defined]
            data.pop("drafted_by") or ""
        )
        try:
            statement = services.statement_save(
                by=request.user,
                statement=statement,
                drafted_by_group=group,
                drafted_by_working_group=working_group,
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The statement is saved as a draft."))
            return redirect(statement)
    return render(
        request, "market/statement_form.html", {"form": form, "statement": statement}
    )


def _statement_initial(statement: StatementOfDemand) -> dict:
    drafted_by = ""
    if statement.drafted_by_group_id:
        drafted_by = f"group:{statement.drafted_by_group_id}"
    elif statement.drafted_by_working_group_id:
        drafted_by = f"working-group:{statement.drafted_by_working_group_id}"
    return {
        "title": statement.title,
        "original_language": statement.original_language,
        "drafted_by": drafted_by,
        "text": statement.text,
        "from_year": statement.from_year,
        "level": statement.level,
        "criteria": statement.criteria.all(),
        "product_groups": statement.product_groups.all(),
    }


@login_required
@require_POST
def statement_publish(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    statement = _get_visible_statement(request, slug)
    if not selectors.can_edit_statement(request.user, statement):
        raise Http404
    try:
        services.statement_publish(statement=statement, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The statement is published."))
    return redirect(statement)
