"""Pages of news and events, their feeds and calendars, and the contact page."""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cfit.groups.models import BuyerGroup
from cfit.groups.selectors import can_see_members_area
from cfit.lib.translations import other_languages
from cfit.lib.typing import AuthenticatedRequest
from cfit.organisations.selectors import is_secretariat

from . import event_services, selectors
from .calendars import calendar_of
from .forms import ContactForm, EventForm, NewsForm
from .models import Event, NewsItem, RegistrationStatus
from .views import _show_error


def _item_for_viewer[T: (NewsItem, Event)](
    request: HttpRequest, model: type[T], slug: str
) -> T:
    """The news item or event if its audience includes the person; 404 otherwise."""
    item = get_object_or_404(model, slug=slug)
    if not selectors.can_see_audience(request.user, item):
        raise Http404
    return item


def _require_poster(request: HttpRequest) -> None:
    if not selectors.can_post_news_and_events(request.user):
        raise Http404


# News ---------------------------------------------------------------------------------


def news_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.news_visible_to(request.user), 10).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "knowledge/news_list.html",
        {
            "page": page,
            "can_post": selectors.can_post_news_and_events(request.user),
        },
    )


def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    item = _item_for_viewer(request, NewsItem, slug)
    return render(
        request,
        "knowledge/news_detail.html",
        {
            "item": item,
            "can_translate": selectors.can_translate_item(request.user, item),
            "translate_languages": other_languages(item),
        },
    )


@login_required
def news_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_poster(request)
    form = NewsForm(
        request.POST or None, groups=selectors.groups_for_poster(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = event_services.news_post(
                by=request.user,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                audience=data["audience"],
                group=data["group"],
                original_language=data["original_language"],
            )
        except ValidationError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _("The news is published."))
            return redirect(item)
    return render(
        request,
        "knowledge/news_form.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


class NewsFeed(Feed):
    """The public news as RSS, for readers and other websites."""

    title = gettext_lazy("Circular & Fair ICT Pact: news")
    description = gettext_lazy("News from the Circular & Fair ICT Pact.")

    def link(self) -> str:
        from django.urls import reverse

        return reverse("knowledge:news")

    def items(self) -> list[NewsItem]:
        return list(NewsItem.objects.public()[:20])

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.summary

    def item_pubdate(self, item: NewsItem) -> datetime:
        return item.published_at


# Events -------------------------------------------------------------------------------


def event_list(request: HttpRequest) -> HttpResponse:
    events = selectors.events_visible_to(request.user)
    now = timezone.now()
    return render(
        request,
        "knowledge/event_list.html",
        {
            "upcoming": events.filter(ends_at__gte=now).order_by("starts_at"),
            "past": events.filter(ends_at__lt=now).order_by("-starts_at")[:20],
            "can_post": selectors.can_post_news_and_events(request.user),
            "is_member": selectors.is_pact_member(request.user),
            "my_groups": [
                group
                for group in BuyerGroup.objects.filter(events__isnull=False).distinct()
                if can_see_members_area(request.user, group)
            ],
        },
    )


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _item_for_viewer(request, Event, slug)
    registration = selectors.registration_of(request.user, event)
    return render(
        request,
        "knowledge/event_detail.html",
        {
            "event": event,
            "can_translate": selectors.can_translate_item(request.user, event),
            "translate_languages": other_languages(event),
            "places": selectors.event_places(event),
            "registration": registration,
            "waiting_position": selectors.waiting_position(registration)
            if registration and registration.status == RegistrationStatus.WAITING
            else None,
            "can_edit": request.user.is_authenticated
            and (event.organiser_id == request.user.pk or is_secretariat(request.user)),
        },
    )


def _event_form_page(
    request: AuthenticatedRequest, event: Event | None
) -> HttpResponse:
    form = EventForm(
        request.POST or None,
        instance=event,
        groups=selectors.groups_for_poster(request.user),
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in event_services.EVENT_FIELDS}
        try:
            saved = event_services.event_save(
                by=request.user, fields=fields, event=event
            )
        except ValidationError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect(saved)
    return render(
        request,
        "knowledge/event_form.html",
        {"form": form, "event": event},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def event_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_poster(request)
    return _event_form_page(request, None)


@login_required
def event_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    event = _item_for_viewer(request, Event, slug)
    if not (event.organiser_id == request.user.pk or is_secretariat(request.user)):
        raise Http404
    return _event_form_page(request, event)


@login_required
@require_POST
def event_register(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    event = _item_for_viewer(request, Event, slug)
    try:
        registration = event_services.event_register(event=event, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    else:
        if registration.status == RegistrationStatus.WAITING:
            messages.warning(
                request,
                _(
                    "The event is full: you are on the waiting list. You get a notice if a place comes free."
                ),
            )
        else:
            messages.success(request, _("You are registered."))
    return redirect(event)


@login_required
@require_POST
def event_cancel(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    event = _item_for_viewer(request, Event, slug)
    event_services.event_cancel_registration(event=event, by=request.user)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(event)


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _item_for_viewer(request, Event, slug)
    return _ics(calendar_of([event], name=event.title), f"{event.slug}.ics")


def calendar_public(request: HttpRequest) -> HttpResponse:
    events = Event.objects.public().order_by("starts_at")
    return _ics(calendar_of(events, name=_("Pact events")), "pact-events.ics")


@login_required
def calendar_members(request: AuthenticatedRequest) -> HttpResponse:
    if not selectors.is_pact_member(request.user):
        raise Http404
    events = Event.objects.filter(audience="members").order_by("starts_at")
    return _ics(
        calendar_of(events, name=_("Pact events for members")),
        "pact-members-events.ics",
    )


@login_required
def calendar_group(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(BuyerGroup, slug=slug)
    if not can_see_members_area(request.user, group):
        raise Http404
    events = group.events.order_by("starts_at")
    return _ics(calendar_of(events, name=group.name), f"{group.slug}-events.ics")


# Contact ------------------------------------------------------------------------------


def contact(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        event_services.contact_send(
            name=data["name"],
            email=data["email"],
            organisation=data["organisation"],
            subject=data["subject"],
            message=data["message"],
        )
        messages.success(
            request, _("Your message is sent to the secretariat. They answer by email.")
        )
        return redirect("knowledge:contact")
    return render(
        request,
        "knowledge/contact.html",
        {"form": form, "secretariat_email": settings.SECRETARIAT_EMAIL},
        status=400 if form.is_bound and form.errors else 200,
    )
