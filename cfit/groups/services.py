"""Writes about buyer groups, the Strategic Buyer Group, working groups and notices."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cfit.accounts.models import User
from cfit.accounts.standing import forget_on, person_changed
from cfit.criteria.models import ProductGroup
from cfit.dashboards.caching import figures_changed
from cfit.lib.i18n import bare_path, by_language, recipient_language
from cfit.lib.mail import render_in_language, send_templated_mail
from cfit.lib.rows import lock_and_reload
from cfit.lib.uploads import DEFAULT_MAX_DOCUMENT_BYTES, check_uploaded_document
from cfit.organisations.models import SignatureRole
from cfit.organisations.selectors import is_secretariat, organisation_for_user

from . import selectors
from .models import (
    DEFAULT_DELIVERY,
    NOTICE_KINDS,
    OTHER_KINDS,
    BuyerGroup,
    BuyerGroupKind,
    BuyerGroupMembership,
    ComplexIssue,
    ComplexIssueReply,
    Delivery,
    GroupMembershipStatus,
    GroupPost,
    GroupPostKind,
    Notice,
    NoticePreference,
    WorkingGroup,
    WorkingGroupDocument,
    WorkingGroupMembership,
    WorkingGroupStatus,
)
from .selectors import people_of, secretariat_people
from .tasks import (
    send_notice_email,
)

# Paths under /groups/ that a group's slug must not take.
RESERVED_SLUGS = {"new", "strategic-buyer-group", "working-groups", "notices"}


def _unique_slug(model: type[BuyerGroup] | type[WorkingGroup], name: str) -> str:
    base = slugify(name)[:200] or "group"
    if base in RESERVED_SLUGS:
        base = f"{base}-group"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def group_manager_people(group: BuyerGroup) -> QuerySet[User]:
    """Who answers join requests: the coordinator's people, or the founders' people."""
    if group.coordinator_id:
        return people_of([group.coordinator_id])
    founders = group.memberships.filter(
        status=GroupMembershipStatus.ACTIVE, is_founding_member=True
    ).values_list("organisation_id", flat=True)
    return people_of(founders)


def in_each_language(
    people: Iterable[User], text: str | Callable[[], str]
) -> dict[str, str]:
    """The text for each language of `people`: written in it when `text` is a function."""
    written: dict[str, str] = {}
    for language in by_language(people):
        with translation.override(language):
            written[language] = text() if callable(text) else text
    return written


def notices_create(
    *,
    recipients: Iterable[User],
    text: str | Callable[[], str],
    url: str,
    kind: str = "",
) -> None:
    """Put a notice on each person's Notices page (no email: see `notify`), in their
    language when `text` is a function."""
    people = list(recipients)
    written = in_each_language(people, text)
    # A bulk create sends no signal: the unread counts kept with each standing move here.
    person_changed(person.pk for person in people)
    Notice.objects.bulk_create(
        [
            Notice(
                recipient=person,
                text=written[recipient_language(person)][:500],
                url=bare_path(url),
                kind=kind,
            )
            for person in people
        ]
    )


def delivery_for(people: Sequence[User], kind: str) -> dict[int, str]:
    """How each person wants to hear about `kind`: their choice, else the default.

    A kind no one has listed follows the person's choice for "everything else".
    """
    key = kind if kind in NOTICE_KINDS else OTHER_KINDS
    chosen = dict(
        NoticePreference.objects.filter(
            user__in=[p.pk for p in people], kind=key
        ).values_list("user_id", "delivery")
    )
    return {person.pk: chosen.get(person.pk, DEFAULT_DELIVERY) for person in people}


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    text: str | Callable[[], str],
    url: str,
    email_template: str | None = None,
    context: Mapping[str, object] | None = None,
) -> None:
    """Tell people that something happened: a notice each, and an email as they chose.

    `text` may be a function that writes the sentence (`lambda: _("…") % values`): it
    is then written in each recipient's language, for the notice and the email alike.

    The one helper every app uses to tell people about an event. `kind` names the event
    (for example "report.submitted", "example.comment"); each person chooses per kind
    between an email at once, a weekly digest and no email. The email, when a template
    is given, is rendered now (with `url` as an absolute link built from SITE_URL) and
    sent once the transaction commits, one message per person.
    """
    people = list({p.pk: p for p in recipients if p.is_active}.values())
    if not people:
        return
    delivery = delivery_for(people, kind) if email_template else {}
    written = in_each_language(people, text)
    # A bulk create sends no signal: the unread counts kept with each standing move here.
    person_changed(person.pk for person in people)
    Notice.objects.bulk_create(
        [
            Notice(
                recipient=person,
                kind=kind,
                text=written[recipient_language(person)][:500],
                # Without a language prefix: the reader's own language opens it.
                url=bare_path(url),
                in_digest=delivery.get(person.pk) == Delivery.DIGEST,
            )
            for person in people
        ]
    )
    at_once = [
        person
        for person in people
        if person.email and delivery.get(person.pk) == Delivery.IMMEDIATE
    ]
    if not email_template:
        return
    # One rendering per language, each person's links on the pages in their language.
    for language, group in by_language(at_once).items():
        subject, body = render_in_language(
            email_template,
            {**(context or {}), "text": written[language], "url": url, "kind": kind},
            language,
        )
        to = [person.email for person in group]
        transaction.on_commit(
            partial(send_notice_email.enqueue, subject=subject, body=body, to=to)
        )


def notices_send_digests(*, dry_run: bool = False) -> tuple[int, int]:
    """Send each person one email with the notices they chose to get weekly.

    Returns (people, notices). With `dry_run` nothing is sent or marked.
    """
    waiting = (
        Notice.objects.filter(in_digest=True, recipient__is_active=True)
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    by_person: dict[int, list[Notice]] = {}
    for notice in waiting:
        by_person.setdefault(notice.recipient_id, []).append(notice)
    if dry_run:
        return len(by_person), sum(len(n) for n in by_person.values())
    sent_people = sent_notices = 0
    for notices in by_person.values():
        person = notices[0].recipient
        with transaction.atomic():
            # Marked before sending: a crash sends a digest late, never twice.
            Notice.objects.filter(pk__in=[n.pk for n in notices]).update(
                in_digest=False
            )
            if person.email:
                send_templated_mail(
                    "email/digest",
                    {"notices": notices, "person": person},
                    [person.email],
                )
        sent_people += 1
        sent_notices += len(notices)
    return sent_people, sent_notices


@transaction.atomic
def notice_preferences_save(*, user: User, choices: Mapping[str, str]) -> None:
    """Store how the person wants to hear about each kind of event."""
    for kind, delivery in choices.items():
        if kind not in NOTICE_KINDS or delivery not in Delivery.values:
            raise ValidationError(_("Choose one of the offered answers."))
        NoticePreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )


@transaction.atomic
def notices_mark_read(*, user: User) -> int:
    """Mark every unread notice of the person as read; how many there were."""
    # An update sends no signal: the unread count kept with the standing moves here.
    person_changed([user.pk])
    forget_on(user)
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# Buyer groups ---------------------------------------------------------------------


def _clean_group_details(
    *, name: str, kind: str, country: str, region: str
) -> tuple[str, str, str]:
    name = " ".join(name.split())
    if len(name) < 3:
        raise ValidationError(
            {"name": _("Give the group a name of at least 3 letters.")}
        )
    needs_country = kind in (
        BuyerGroupKind.NATIONAL,
        BuyerGroupKind.REGIONAL,
        BuyerGroupKind.LOCAL,
    )
    if needs_country and not country:
        raise ValidationError(
            {"country": _("Choose the country of a national, regional or local group.")}
        )
    if kind in (BuyerGroupKind.REGIONAL, BuyerGroupKind.LOCAL) and not region.strip():
        raise ValidationError(
            {"region": _("Name the region or place of a regional or local group.")}
        )
    return name, country, region.strip()


@transaction.atomic
def buyer_group_create(
    *,
    by: User,
    name: str,
    kind: str,
    country: str = "",
    region: str = "",
    languages: Sequence[str] = (),
    description: str = "",
    how_to_join: str = "",
    website: str = "",
) -> BuyerGroup:
    """Set up a buyer group.

    A coordinating signatory's group is coordinated by it. A procuring signatory may
    set up a self-organised group only where no coordinator exists (no coordinating
    signatory in the group's country); it becomes the group's founding member.
    """
    transaction.on_commit(figures_changed)
    organisation = organisation_for_user(by)
    if organisation is None:
        raise PermissionDenied
    name, country, region = _clean_group_details(
        name=name, kind=kind, country=country, region=region
    )
    coordinating = organisation.has_approved_signature(SignatureRole.COORDINATING)
    if not coordinating:
        if not organisation.has_approved_signature(SignatureRole.PROCURING):
            raise ValidationError(
                _(
                    "Only organisations whose signature of the Pact is approved can set up a buyer group."
                )
            )
        if country and selectors.coordinator_country_exists(country):
            raise ValidationError(
                _(
                    "A coordinating organisation has signed the Pact in this country: "
                    "ask it to set up the group, or join one of its groups."
                )
            )
    group = BuyerGroup.objects.create(
        name=name,
        slug=_unique_slug(BuyerGroup, name),
        kind=kind,
        country=country,
        region=region,
        languages=list(languages),
        description=description.strip(),
        how_to_join=how_to_join.strip(),
        website=website,
        coordinator=organisation if coordinating else None,
    )
    if not coordinating:
        BuyerGroupMembership.objects.create(
            group=group,
            organisation=organisation,
            status=GroupMembershipStatus.ACTIVE,
            is_founding_member=True,
            requested_by=by,
            decided_by=by,
            decided_at=timezone.now(),
        )
    return group


@transaction.atomic
def buyer_group_update(
    *,
    group: BuyerGroup,
    by: User,
    name: str,
    kind: str,
    country: str = "",
    region: str = "",
    languages: Sequence[str] = (),
    description: str = "",
    how_to_join: str = "",
    website: str = "",
) -> BuyerGroup:
    """Change a group's public details (its coordinator or founding members)."""
    transaction.on_commit(figures_changed)
    if not selectors.manages_group(by, group):
        raise PermissionDenied
    name, country, region = _clean_group_details(
        name=name, kind=kind, country=country, region=region
    )
    group.name = name
    group.kind = kind
    group.country = country
    group.region = region
    group.languages = list(languages)
    group.description = description.strip()
    group.how_to_join = how_to_join.strip()
    group.website = website
    group.save()
    return group


@transaction.atomic
def group_join_request(
    *, group: BuyerGroup, by: User, message: str = ""
) -> BuyerGroupMembership:
    """A procuring signatory asks to join; the coordinator (or founders) are told."""
    refusal = selectors.join_refusal(by, group)
    if refusal:
        raise ValidationError(refusal)
    organisation = organisation_for_user(by)
    assert organisation is not None  # join_refusal checked it
    try:
        with transaction.atomic():
            membership = BuyerGroupMembership.objects.create(
                group=group,
                organisation=organisation,
                message=message.strip(),
                requested_by=by,
            )
    except IntegrityError:  # two colleagues asking at the same moment
        raise ValidationError(
            _("Your organisation has already asked to join. Wait for an answer.")
        ) from None
    notify(
        recipients=group_manager_people(group),
        kind="group.join",
        text=lambda: (
            _("%(organisation)s asks to join %(group)s.")
            % {"organisation": organisation.name, "group": group.name}
        ),
        url=reverse_requests(group),
        email_template="groups/email/join_request",
        context={"membership": membership},
    )
    return membership


def reverse_requests(group: BuyerGroup) -> str:
    return reverse("groups:requests", kwargs={"slug": group.slug})


@transaction.atomic
def group_join_decide(
    *, membership: BuyerGroupMembership, by: User, accept: bool, message: str = ""
) -> BuyerGroupMembership:
    """The coordinator (or a founding member) accepts or declines, with a message."""
    transaction.on_commit(figures_changed)
    group = membership.group
    if not selectors.manages_group(by, group):
        raise PermissionDenied
    # Two coordinators answering at once: the second sees the first one's answer.
    membership.status = (
        BuyerGroupMembership.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=membership.pk)
    )
    if membership.status != GroupMembershipStatus.REQUESTED:
        raise ValidationError(_("This request has already been answered."))
    if not accept and not message.strip():
        raise ValidationError(
            {"message": _("Say why the request is declined; the organisation is told.")}
        )
    membership.status = (
        GroupMembershipStatus.ACTIVE if accept else GroupMembershipStatus.DECLINED
    )
    membership.decision_message = message.strip()
    membership.decided_by = by
    membership.decided_at = timezone.now()
    membership.save()
    if accept:
        text = gettext_lazy("%(organisation)s is now a member of %(group)s.")
        url = reverse("groups:members", kwargs={"slug": group.slug})
    else:
        text = gettext_lazy(
            "The request of %(organisation)s to join %(group)s is declined."
        )
        url = group.get_absolute_url()
    notify(
        recipients=people_of([membership.organisation_id]),
        kind="group.join",
        text=lambda: (
            text % {"organisation": membership.organisation.name, "group": group.name}
        ),
        url=url,
        email_template="groups/email/join_decided",
        context={"membership": membership, "accepted": accept},
    )
    return membership


@transaction.atomic
def group_leave(*, group: BuyerGroup, by: User) -> BuyerGroupMembership:
    """The person's organisation leaves the group.

    If the last founding member of a self-organised group leaves, the longest-standing
    member becomes a founding member, so that join requests still get an answer.
    """
    transaction.on_commit(figures_changed)
    organisation = organisation_for_user(by)
    membership = (
        group.memberships.select_for_update()
        .filter(organisation=organisation, status=GroupMembershipStatus.ACTIVE)
        .first()
        if organisation
        else None
    )
    if membership is None:
        raise ValidationError(_("Your organisation is not a member of this group."))
    membership.status = GroupMembershipStatus.LEFT
    membership.left_at = timezone.now()
    was_founder = membership.is_founding_member
    membership.is_founding_member = False
    membership.save()
    if group.is_self_organised and was_founder:
        active = group.memberships.filter(status=GroupMembershipStatus.ACTIVE)
        if not active.filter(is_founding_member=True).exists():
            successor = active.order_by("decided_at", "pk").first()
            if successor:
                successor.is_founding_member = True
                successor.save(update_fields=["is_founding_member"])
                notices_create(
                    recipients=people_of([successor.organisation_id]),
                    text=lambda: (
                        _(
                            "%(organisation)s left %(group)s; your organisation is now a founding member and answers requests to join."
                        )
                        % {"organisation": organisation.name, "group": group.name}  # type: ignore[union-attr]
                    ),
                    url=reverse_requests(group),
                )
    return membership


@transaction.atomic
def group_coordination_offer(*, group: BuyerGroup, by: User) -> BuyerGroup:
    """A coordinating signatory offers to coordinate a self-organised group.

    This links an existing group to a coordinator; its founding members decide.
    """
    if not selectors.can_offer_coordination(by, group):
        raise ValidationError(
            _("Your organisation cannot offer to coordinate this group.")
        )
    organisation = organisation_for_user(by)
    assert organisation is not None  # can_offer_coordination checked it
    group.coordination_offered_by = organisation
    group.coordination_offered_at = timezone.now()
    group.save(update_fields=["coordination_offered_by", "coordination_offered_at"])
    notices_create(
        recipients=group_manager_people(group),
        text=lambda: (
            _("%(organisation)s offers to coordinate %(group)s.")
            % {"organisation": organisation.name, "group": group.name}
        ),
        url=reverse_requests(group),
    )
    return group


@transaction.atomic
def group_coordination_decide(
    *, group: BuyerGroup, by: User, accept: bool
) -> BuyerGroup:
    """The founding members accept or decline an offer to coordinate their group."""
    transaction.on_commit(figures_changed)
    if not (group.is_self_organised and selectors.manages_group(by, group)):
        raise PermissionDenied
    lock_and_reload(group, "coordination_offered_by", "coordinator")
    offered_by = group.coordination_offered_by
    if offered_by is None:
        raise ValidationError(_("Nobody has offered to coordinate this group."))
    if accept:
        group.coordinator = offered_by
        text = gettext_lazy(
            "%(group)s accepted your offer: your organisation now coordinates it."
        )
    else:
        text = gettext_lazy("%(group)s declined your offer to coordinate it.")
    group.coordination_offered_by = None
    group.coordination_offered_at = None
    group.save()
    notices_create(
        recipients=people_of([offered_by.pk]),
        text=lambda: text % {"group": group.name},
        url=group.get_absolute_url(),
    )
    return group


@transaction.atomic
def group_post_create(
    *, group: BuyerGroup, by: User, kind: str, body: str, title: str = ""
) -> GroupPost:
    """A news post (coordinator or founders) or a message in the discussion (members)."""
    if kind == GroupPostKind.NEWS:
        allowed = selectors.manages_group(by, group) or is_secretariat(by)
    else:
        allowed = selectors.can_see_members_area(by, group)
    if not allowed:
        raise PermissionDenied
    if not body.strip():
        raise ValidationError({"body": _("Write something first.")})
    if kind == GroupPostKind.NEWS and not title.strip():
        raise ValidationError({"title": _("Give the news post a title.")})
    return GroupPost.objects.create(
        group=group,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        author=by,
        organisation=organisation_for_user(by),
    )


# The Strategic Buyer Group's complex issues -----------------------------------------


@transaction.atomic
def complex_issue_create(*, by: User, title: str, body: str) -> ComplexIssue:
    """A group representative raises a cross-group topic."""
    if not selectors.is_group_representative(by):
        raise PermissionDenied
    if not title.strip() or not body.strip():
        raise ValidationError(_("Give the issue a title and describe it."))
    return ComplexIssue.objects.create(
        title=" ".join(title.split()),
        body=body.strip(),
        author=by,
        organisation=organisation_for_user(by),
    )


@transaction.atomic
def complex_issue_reply(
    *, issue: ComplexIssue, by: User, body: str
) -> ComplexIssueReply:
    """A group representative replies; the person who raised the issue is told."""
    if not selectors.is_group_representative(by):
        raise PermissionDenied
    if not body.strip():
        raise ValidationError({"body": _("Write your reply first.")})
    reply = ComplexIssueReply.objects.create(
        issue=issue,
        body=body.strip(),
        author=by,
        organisation=organisation_for_user(by),
    )
    if issue.author_id != by.pk:
        notices_create(
            recipients=[issue.author],
            text=lambda: (
                _("%(name)s replied to “%(title)s”.")
                % {"name": by.display_name, "title": issue.title}
            ),
            url=issue.get_absolute_url(),
        )
    return reply


# Working groups ------------------------------------------------------------------


@transaction.atomic
def working_group_propose(
    *,
    by: User,
    name: str,
    topic: str,
    purpose: str,
    description: str = "",
    product_groups: Iterable[ProductGroup] = (),
) -> WorkingGroup:
    """Any signatory proposes a working group; the secretariat is told."""
    if not selectors.is_signatory_person(by):
        raise ValidationError(
            _(
                "Only people of organisations whose signature of the Pact is approved can propose a working group."
            )
        )
    name = " ".join(name.split())
    if len(name) < 3:
        raise ValidationError({"name": _("Give the working group a name.")})
    if not purpose.strip():
        raise ValidationError({"purpose": _("Say what the working group is for.")})
    working_group = WorkingGroup.objects.create(
        name=name,
        slug=_unique_slug(WorkingGroup, name),
        topic=topic,
        purpose=purpose.strip(),
        description=description.strip(),
        proposed_by=by,
        proposed_by_organisation=organisation_for_user(by),
    )
    working_group.product_groups.set(list(product_groups))
    notify(
        recipients=secretariat_people(),
        kind="working_group",
        text=lambda: (
            _("%(name)s proposes a working group: %(group)s.")
            % {"name": by.display_name, "group": working_group.name}
        ),
        url=working_group.get_absolute_url(),
        email_template="groups/email/working_group_proposed",
        context={"working_group": working_group},
    )
    return working_group


@transaction.atomic
def working_group_decide(
    *, working_group: WorkingGroup, by: User, open_it: bool, message: str = ""
) -> WorkingGroup:
    """The secretariat opens or declines a proposed working group."""
    if not is_secretariat(by):
        raise PermissionDenied
    lock_and_reload(working_group, "status")
    if working_group.status != WorkingGroupStatus.PROPOSED:
        raise ValidationError(_("This proposal has already been decided."))
    if not open_it and not message.strip():
        raise ValidationError(
            {"message": _("Say why the proposal is declined; the proposer is told.")}
        )
    working_group.status = (
        WorkingGroupStatus.ACTIVE if open_it else WorkingGroupStatus.DECLINED
    )
    working_group.decided_by = by
    working_group.decided_at = timezone.now()
    working_group.decision_message = message.strip()
    working_group.save()
    if open_it and working_group.proposed_by:
        # The proposer starts as the group's first member.
        WorkingGroupMembership.objects.get_or_create(
            working_group=working_group,
            user=working_group.proposed_by,
            defaults={"organisation": working_group.proposed_by_organisation},
        )
    if working_group.proposed_by:
        text = (
            gettext_lazy("The working group %(group)s is open.")
            if open_it
            else gettext_lazy("The proposed working group %(group)s is declined.")
        )
        notify(
            recipients=[working_group.proposed_by],
            kind="working_group",
            text=lambda: text % {"group": working_group.name},
            url=working_group.get_absolute_url(),
            email_template="groups/email/working_group_decided",
            context={"working_group": working_group},
        )
    return working_group


@transaction.atomic
def working_group_close(*, working_group: WorkingGroup, by: User) -> WorkingGroup:
    """The secretariat closes an active working group; its documents stay readable."""
    if not is_secretariat(by):
        raise PermissionDenied
    lock_and_reload(working_group, "status")
    if working_group.status != WorkingGroupStatus.ACTIVE:
        raise ValidationError(_("Only an active working group can be closed."))
    working_group.status = WorkingGroupStatus.CLOSED
    working_group.closed_at = timezone.now()
    working_group.save(update_fields=["status", "closed_at"])
    return working_group


@transaction.atomic
def working_group_join(
    *, working_group: WorkingGroup, by: User
) -> WorkingGroupMembership:
    """A person of a signatory joins an active working group."""
    if working_group.status != WorkingGroupStatus.ACTIVE:
        raise ValidationError(_("Only an active working group can be joined."))
    if not selectors.is_signatory_person(by):
        raise ValidationError(
            _(
                "Only people of organisations whose signature of the Pact is approved can join a working group."
            )
        )
    membership, created = WorkingGroupMembership.objects.get_or_create(
        working_group=working_group,
        user=by,
        defaults={"organisation": organisation_for_user(by)},
    )
    if not created:
        raise ValidationError(_("You are already a member of this working group."))
    return membership


@transaction.atomic
def working_group_leave(*, working_group: WorkingGroup, by: User) -> None:
    deleted, _rows = WorkingGroupMembership.objects.filter(
        working_group=working_group, user=by
    ).delete()
    if not deleted:
        raise ValidationError(_("You are not a member of this working group."))


def max_document_bytes() -> int:
    return int(
        getattr(settings, "GROUPS_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES)
    )


def check_document(upload: UploadedFile) -> str:
    """The document's type ('pdf', 'docx', 'xlsx', 'odt'), or a ValidationError saying why not."""
    return check_uploaded_document(upload, max_bytes=max_document_bytes())


def working_group_document_upload(
    *, working_group: WorkingGroup, by: User, title: str, upload: UploadedFile
) -> WorkingGroupDocument:
    """Store a document of a working group: checked first, nothing is kept if refused."""
    if not (selectors.is_working_group_member(by, working_group) or is_secretariat(by)):
        raise PermissionDenied
    if working_group.status != WorkingGroupStatus.ACTIVE:
        raise ValidationError(
            _("Documents can only be added to an active working group.")
        )
    file_type = check_document(upload)
    document = WorkingGroupDocument(
        working_group=working_group,
        title=" ".join(title.split()) or (upload.name or ""),
        original_name=(upload.name or "")[:255],
        file_type=file_type,
        size=upload.size or 0,
        uploaded_by=by,
    )
    try:
        with transaction.atomic():
            document.file.save(
                upload.name or f"document.{file_type}", upload, save=False
            )
            document.save()
    except Exception:
        # The row was not stored: do not leave the file behind either.
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document
