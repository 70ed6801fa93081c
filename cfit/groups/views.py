"""Buyer groups, the Strategic Buyer Group, working groups and the person's notices.

Every view that must not be seen by someone raises 404 for them: members-only pages
check access here, not only by hiding links.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfit.knowledge.selectors import group_examples
from cfit.lib.typing import AuthenticatedRequest
from cfit.organisations.models import SignatureRole
from cfit.organisations.selectors import (
    is_secretariat,
    organisation_for_user,
    require_secretariat,
)

from . import selectors, services
from .forms import (
    BuyerGroupForm,
    ComplexIssueForm,
    DecisionForm,
    DiscussionPostForm,
    DocumentForm,
    JoinGroupForm,
    NewsPostForm,
    ReplyForm,
    WorkingGroupDecisionForm,
    WorkingGroupForm,
)
from .models import (
    BuyerGroup,
    BuyerGroupKind,
    BuyerGroupMembership,
    ComplexIssue,
    GroupMembershipStatus,
    GroupPostKind,
    Notice,
    WorkingGroup,
    WorkingGroupDocument,
    WorkingGroupStatus,
)

# Access helpers --------------------------------------------------------------------


def _group_for_members(request: HttpRequest, slug: str) -> BuyerGroup:
    """The group, if the person may see its members' area (members, coordinator, secretariat)."""
    group = get_object_or_404(BuyerGroup, slug=slug)
    if not selectors.can_see_members_area(request.user, group):
        raise Http404
    return group


def _group_for_manager(request: HttpRequest, slug: str) -> BuyerGroup:
    """The group, if the person's organisation coordinates it (or founded it)."""
    group = get_object_or_404(BuyerGroup, slug=slug)
    if not selectors.manages_group(request.user, group):
        raise Http404
    return group


def _issue_for_representative(request: HttpRequest, pk: int) -> ComplexIssue:
    if not selectors.is_group_representative(request.user):
        raise Http404
    return get_object_or_404(ComplexIssue, pk=pk)


def _working_group(request: HttpRequest, slug: str) -> WorkingGroup:
    working_group = get_object_or_404(WorkingGroup, slug=slug)
    if not selectors.can_see_working_group(request.user, working_group):
        raise Http404
    return working_group


def _working_group_for_members(request: HttpRequest, slug: str) -> WorkingGroup:
    working_group = _working_group(request, slug)
    if not selectors.can_see_working_group_documents(request.user, working_group):
        raise Http404
    return working_group


def _form_error(form: object, error: ValidationError) -> None:
    form.add_error(None, error)  # type: ignore[attr-defined]


# Buyer groups ------------------------------------------------------------------------


def group_list(request: HttpRequest) -> HttpResponse:
    groups = (
        BuyerGroup.objects.select_related("coordinator")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__status=GroupMembershipStatus.ACTIVE),
            )
        )
        .order_by("name")
    )
    kind = request.GET.get("kind", "")
    if kind in BuyerGroupKind.values:
        groups = groups.filter(kind=kind)
    organisation = organisation_for_user(request.user)
    return render(
        request,
        "groups/group_list.html",
        {
            "groups": groups,
            "kinds": BuyerGroupKind.choices,
            "kind": kind,
            "my_groups": selectors.groups_for_person(request.user),
            "can_create": bool(
                organisation
                and (
                    organisation.has_approved_signature(SignatureRole.COORDINATING)
                    or organisation.has_approved_signature(SignatureRole.PROCURING)
                )
            ),
        },
    )


@login_required
def group_create(request: AuthenticatedRequest) -> HttpResponse:
    organisation = organisation_for_user(request.user)
    if organisation is None:
        raise Http404
    coordinating = organisation.has_approved_signature(SignatureRole.COORDINATING)
    procuring = organisation.has_approved_signature(SignatureRole.PROCURING)
    if not (coordinating or procuring):
        raise Http404
    form = BuyerGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.buyer_group_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("The group %(name)s is set up.") % {"name": group.name}
            )
            return redirect(group)
    return render(
        request,
        "groups/group_form.html",
        {"form": form, "coordinating": coordinating, "organisation": organisation},
    )


def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page of a group: its description and member organisations only."""
    group = get_object_or_404(
        BuyerGroup.objects.select_related("coordinator"), slug=slug
    )
    organisation = organisation_for_user(request.user)
    own = selectors.open_membership(group, organisation) if organisation else None
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "members": selectors.member_organisations_of(group).order_by("name"),
            "founders": group.memberships.filter(
                status=GroupMembershipStatus.ACTIVE, is_founding_member=True
            ).select_related("organisation"),
            "own_membership": own,
            "join_refusal": selectors.join_refusal(request.user, group)
            if request.user.is_authenticated
            else "",
            "can_see_members_area": selectors.can_see_members_area(request.user, group),
            "manages": selectors.manages_group(request.user, group),
            "can_offer_coordination": selectors.can_offer_coordination(
                request.user, group
            ),
            "good_examples": group_examples(request.user, group)[:6],
        },
    )


@login_required
def group_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group = _group_for_manager(request, slug)
    initial = {
        field: getattr(group, field)
        for field in (
            "name",
            "kind",
            "country",
            "region",
            "languages",
            "description",
            "how_to_join",
            "website",
        )
    }
    form = BuyerGroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.buyer_group_update(
                group=group, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The group's details are saved."))
            return redirect(group)
    return render(request, "groups/group_form.html", {"form": form, "group": group})


@login_required
def group_join(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(BuyerGroup, slug=slug)
    refusal = selectors.join_refusal(request.user, group)
    form = JoinGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_join_request(
                group=group, by=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your request to join %(name)s is sent. You will get an answer by email and under Notices."
                )
                % {"name": group.name},
            )
            return redirect(group)
    return render(
        request,
        "groups/group_join.html",
        {"group": group, "form": form, "refusal": refusal},
    )


@login_required
@require_POST
def group_leave(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(BuyerGroup, slug=slug)
    if not selectors.is_group_member(request.user, group):
        raise Http404
    services.group_leave(group=group, by=request.user)
    messages.success(
        request, _("Your organisation has left %(name)s.") % {"name": group.name}
    )
    return redirect(group)


@login_required
@require_POST
def group_coordination_offer(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(BuyerGroup, slug=slug)
    if not selectors.can_offer_coordination(request.user, group):
        raise Http404
    services.group_coordination_offer(group=group, by=request.user)
    messages.success(
        request,
        _("Your offer is sent. The founding members of %(name)s will answer.")
        % {"name": group.name},
    )
    return redirect(group)


@login_required
@require_POST
def group_coordination_decide(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group = _group_for_manager(request, slug)
    if not group.is_self_organised or group.coordination_offered_by is None:
        raise Http404
    accept = request.POST.get("decision") == "accept"
    name = group.coordination_offered_by.name
    services.group_coordination_decide(group=group, by=request.user, accept=accept)
    messages.success(
        request,
        (
            _("%(name)s now coordinates the group.")
            if accept
            else _("The offer of %(name)s is declined.")
        )
        % {"name": name},
    )
    return redirect(group)


@login_required
def group_members(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The members' page: members, news and the discussion thread."""
    group = _group_for_members(request, slug)
    posts = group.posts.select_related("author", "organisation")
    return render(
        request,
        "groups/group_members.html",
        {
            "group": group,
            "memberships": group.memberships.filter(
                status=GroupMembershipStatus.ACTIVE
            ).select_related("organisation"),
            "news": posts.filter(kind=GroupPostKind.NEWS).order_by("-created_at"),
            "discussion": posts.filter(kind=GroupPostKind.DISCUSSION),
            "news_form": NewsPostForm(),
            "discussion_form": DiscussionPostForm(),
            "manages": selectors.manages_group(request.user, group),
            "can_post_news": selectors.manages_group(request.user, group)
            or is_secretariat(request.user),
            "is_member": selectors.is_group_member(request.user, group),
            "pending": group.memberships.filter(
                status=GroupMembershipStatus.REQUESTED
            ).count(),
        },
    )


@login_required
@require_POST
def group_news_post(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group = _group_for_members(request, slug)
    if not (
        selectors.manages_group(request.user, group) or is_secretariat(request.user)
    ):
        raise Http404
    form = NewsPostForm(request.POST)
    if form.is_valid():
        services.group_post_create(
            group=group, by=request.user, kind=GroupPostKind.NEWS, **form.cleaned_data
        )
        messages.success(request, _("The news is posted."))
    else:
        messages.error(request, _("Give the news a title and a text."))
    return redirect("groups:members", slug=group.slug)


@login_required
@require_POST
def group_discussion_post(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group = _group_for_members(request, slug)
    form = DiscussionPostForm(request.POST)
    if form.is_valid():
        services.group_post_create(
            group=group,
            by=request.user,
            kind=GroupPostKind.DISCUSSION,
            body=form.cleaned_data["body"],
        )
        form = DiscussionPostForm()
    if request.htmx:
        return render(
            request,
            "groups/group_members.html#discussion",
            {
                "group": group,
                "discussion": group.posts.filter(
                    kind=GroupPostKind.DISCUSSION
                ).select_related("author", "organisation"),
                "discussion_form": form,
            },
        )
    if form.is_bound:
        messages.error(request, _("Write a message first."))
    else:
        messages.success(request, _("Your message is posted."))
    return redirect("groups:members", slug=group.slug)


@login_required
def group_requests(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Join requests and past answers: for the coordinator (or founders) and the secretariat."""
    group = get_object_or_404(BuyerGroup, slug=slug)
    manages = selectors.manages_group(request.user, group)
    if not (manages or is_secretariat(request.user)):
        raise Http404
    memberships = group.memberships.select_related("organisation", "requested_by")
    return render(
        request,
        "groups/group_requests.html",
        {
            "group": group,
            "manages": manages,
            "requests": memberships.filter(status=GroupMembershipStatus.REQUESTED),
            "answered": memberships.filter(
                status__in=[GroupMembershipStatus.DECLINED, GroupMembershipStatus.LEFT]
            ).order_by("-decided_at"),
        },
    )


@login_required
def group_request_decide(
    request: AuthenticatedRequest, slug: str, pk: int
) -> HttpResponse:
    group = _group_for_manager(request, slug)
    membership = get_object_or_404(
        BuyerGroupMembership.objects.select_related("organisation", "requested_by"),
        pk=pk,
        group=group,
        status=GroupMembershipStatus.REQUESTED,
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.group_join_decide(
                membership=membership,
                by=request.user,
                accept=accept,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            name = membership.organisation.name
            messages.success(
                request,
                (
                    _("%(name)s is now a member.")
                    if accept
                    else _("The request of %(name)s is declined.")
                )
                % {"name": name},
            )
            return redirect("groups:requests", slug=group.slug)
    return render(
        request,
        "groups/request_decide.html",
        {"group": group, "membership": membership, "form": form},
    )


# The Strategic Buyer Group ---------------------------------------------------------


def strategic_buyer_group(request: HttpRequest) -> HttpResponse:
    is_representative = selectors.is_group_representative(request.user)
    issues = (
        ComplexIssue.objects.select_related("author", "organisation")
        .annotate(reply_count=Count("replies"))
        .order_by("-created_at")
        if is_representative
        else ComplexIssue.objects.none()
    )
    return render(
        request,
        "groups/strategic_buyer_group.html",
        {
            "sbg": selectors.strategic_buyer_group(),
            "is_representative": is_representative,
            "issues": Paginator(issues, 20).get_page(request.GET.get("page")),
        },
    )


@login_required
def issue_create(request: AuthenticatedRequest) -> HttpResponse:
    if not selectors.is_group_representative(request.user):
        raise Http404
    form = ComplexIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issue = services.complex_issue_create(by=request.user, **form.cleaned_data)
        messages.success(request, _("Your issue is posted."))
        return redirect(issue)
    return render(request, "groups/issue_form.html", {"form": form})


@login_required
def issue_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    issue = _issue_for_representative(request, pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.complex_issue_reply(
            issue=issue, by=request.user, body=form.cleaned_data["body"]
        )
        messages.success(request, _("Your reply is posted."))
        return redirect(issue)
    return render(
        request,
        "groups/issue_detail.html",
        {
            "issue": issue,
            "replies": issue.replies.select_related("author", "organisation"),
            "form": form,
        },
    )


# Working groups ----------------------------------------------------------------------


def working_group_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.working_groups_visible_to(request.user)
    return render(
        request,
        "groups/working_group_list.html",
        {
            "active": [g for g in groups if g.status == WorkingGroupStatus.ACTIVE],
            "proposed": [g for g in groups if g.status == WorkingGroupStatus.PROPOSED],
            "closed": [
                g
                for g in groups
                if g.status in (WorkingGroupStatus.CLOSED, WorkingGroupStatus.DECLINED)
            ],
            "can_propose": selectors.is_signatory_person(request.user),
            "is_secretariat": is_secretariat(request.user),
        },
    )


@login_required
def working_group_propose(request: AuthenticatedRequest) -> HttpResponse:
    if not selectors.is_signatory_person(request.user):
        raise Http404
    form = WorkingGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            working_group = services.working_group_propose(
                by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you. The secretariat will look at your proposal and let you know."
                ),
            )
            return redirect(working_group)
    return render(request, "groups/working_group_form.html", {"form": form})


def working_group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    working_group = _working_group(request, slug)
    sees_members = selectors.can_see_working_group_documents(
        request.user, working_group
    )
    secretariat = is_secretariat(request.user)
    return render(
        request,
        "groups/working_group_detail.html",
        {
            "working_group": working_group,
            "product_groups": working_group.product_groups.all(),
            "member_count": working_group.memberships.count(),
            "sees_members": sees_members,
            "memberships": working_group.memberships.select_related(
                "user", "organisation"
            )
            if sees_members
            else [],
            "documents": working_group.documents.select_related("uploaded_by")
            if sees_members
            else [],
            "is_member": selectors.is_working_group_member(request.user, working_group),
            "can_join": selectors.is_signatory_person(request.user)
            and working_group.status == WorkingGroupStatus.ACTIVE,
            "is_secretariat": secretariat,
            "decision_form": WorkingGroupDecisionForm() if secretariat else None,
        },
    )


@login_required
def working_group_decide(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    require_secretariat(request.user)
    working_group = get_object_or_404(
        WorkingGroup, slug=slug, status=WorkingGroupStatus.PROPOSED
    )
    form = WorkingGroupDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        open_it = form.cleaned_data["decision"] == "open"
        try:
            services.working_group_decide(
                working_group=working_group,
                by=request.user,
                open_it=open_it,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                (
                    _("The working group %(name)s is open.")
                    if open_it
                    else _("The proposal %(name)s is declined.")
                )
                % {"name": working_group.name},
            )
            return redirect(working_group)
    return render(
        request,
        "groups/working_group_decide.html",
        {"working_group": working_group, "form": form},
    )


@login_required
@require_POST
def working_group_close(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    require_secretariat(request.user)
    working_group = get_object_or_404(WorkingGroup, slug=slug)
    try:
        services.working_group_close(working_group=working_group, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The working group is closed."))
    return redirect(working_group)


@login_required
@require_POST
def working_group_join(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    working_group = _working_group(request, slug)
    try:
        services.working_group_join(working_group=working_group, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("You are now a member of %(name)s.") % {"name": working_group.name},
        )
    return redirect(working_group)


@login_required
@require_POST
def working_group_leave(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    working_group = _working_group(request, slug)
    try:
        services.working_group_leave(working_group=working_group, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("You have left %(name)s.") % {"name": working_group.name}
        )
    return redirect(working_group)


@login_required
def document_upload(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    working_group = _working_group_for_members(request, slug)
    if working_group.status != WorkingGroupStatus.ACTIVE:
        raise Http404
    max_bytes = services.max_document_bytes()
    form = DocumentForm(
        request.POST or None, request.FILES or None, max_bytes=max_bytes
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.working_group_document_upload(
                working_group=working_group,
                by=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The document is added."))
            return redirect(working_group)
    return render(
        request,
        "groups/document_form.html",
        {"working_group": working_group, "form": form, "max_bytes": max_bytes},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def document_download(
    request: AuthenticatedRequest, slug: str, pk: int
) -> FileResponse:
    working_group = _working_group_for_members(request, slug)
    document = get_object_or_404(
        WorkingGroupDocument, pk=pk, working_group=working_group
    )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=f"{document.original_name}"
    )


# Notices ------------------------------------------------------------------------------


@login_required
def notice_list(request: AuthenticatedRequest) -> HttpResponse:
    notices = Notice.objects.filter(recipient=request.user)
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "groups/notice_list.html",
        {"page": page, "unread": notices.filter(read_at__isnull=True).count()},
    )


@login_required
@require_POST
def notices_mark_read(request: AuthenticatedRequest) -> HttpResponse:
    count = services.notices_mark_read(user=request.user)
    messages.success(
        request,
        _("%(n)d notices marked as read.") % {"n": count}
        if count != 1
        else _("1 notice marked as read."),
    )
    return redirect("groups:notices")
