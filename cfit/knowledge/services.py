"""Writes of good examples: drafting, documents, the review, comments.

Every door (the pages, the admin, the demo loader) goes through these functions, so
that the search document, the notices and the rules about who may do what hold for all.
News and events are in `event_services.py`.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import TextField, Value
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cfit.accounts.models import User
from cfit.criteria.models import CriterionVersion, ProductGroup
from cfit.groups.models import BuyerGroup
from cfit.groups.selectors import groups_of
from cfit.groups.services import notify, secretariat_people
from cfit.lib.translations import translated_field_names, translation_store
from cfit.lib.uploads import DEFAULT_MAX_DOCUMENT_BYTES, check_uploaded_document
from cfit.monitoring.models import PurchaseLine
from cfit.organisations.models import Organisation
from cfit.organisations.selectors import (
    is_organisation_member,
    organisation_for_user,
)

from . import selectors
from .documents import document_text, search_words
from .models import (
    LANGUAGE_SEARCH_CONFIGS,
    PUBLISHABLE_EFFECTS,
    Event,
    ExampleComment,
    ExampleCriterion,
    ExampleDocument,
    ExampleStatus,
    GoodExample,
    GoodExampleTranslation,
    NewsItem,
)

# The plain fields of an example that its form (and the demo) may set.
EXAMPLE_FIELDS = (
    "title",
    "kind",
    "summary",
    "language",
    "tags",
    "visibility",
    "devices",
    "contract_value",
    "duration_months",
    "contract_type",
    "condition",
    "year",
    "procedure",
    "market_consultation",
    "award_weights",
    "verification",
    "buyer_group",
    "show_contact",
    "results",
    "what_worked",
    "do_differently",
    "published_effects",
)
# The texts whose words search finds, besides the attached documents.
SEARCHED_FIELDS = (
    "title",
    "summary",
    "tags",
    "market_consultation",
    "award_weights",
    "verification",
    "results",
    "what_worked",
    "do_differently",
)


def max_document_bytes() -> int:
    return int(
        getattr(settings, "KNOWLEDGE_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES)
    )


def unique_slug(model: Any, title: str, *, exclude_pk: int | None = None) -> str:
    """A short name for addresses from the title, numbered if already taken."""
    base = slugify(title)[:200] or "item"
    slug, n = base, 2
    taken = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def example_reindex(*, example: GoodExample) -> None:
    """Store the words of the example's texts and documents for search."""
    texts = [str(getattr(example, name) or "") for name in SEARCHED_FIELDS]
    texts += [example.organisation.name]
    texts += list(example.documents.values_list("title", flat=True))
    texts += list(example.documents.values_list("text", flat=True))
    texts += [
        f"{code} {title}"
        for code, title in example.criteria_used.values_list(
            "version__criterion__code", "version__title"
        )
    ]
    original = search_words(*texts)
    # Each translation's words, parsed on PostgreSQL with its own language's rules.
    translations = [
        (
            row.language_code,
            search_words(
                *(getattr(row, f"translated_{name}") for name in EXAMPLE_TRANSLATED)
            ),
        )
        for row in example.translations.all()
    ]
    example.search_document = " ".join(
        [original, *(words for _l, words in translations)]
    )
    GoodExample.objects.filter(pk=example.pk).update(
        search_document=example.search_document
    )
    if connection.vendor == "postgresql":
        vector: Any = SearchVector(
            Value(original, output_field=TextField()), config=example.search_config
        )
        for language, words in translations:
            vector = vector + SearchVector(
                Value(words, output_field=TextField()),
                config=LANGUAGE_SEARCH_CONFIGS.get(language, "simple"),
            )
        GoodExample.objects.filter(pk=example.pk).update(search_vector=vector)


EXAMPLE_TRANSLATED = translated_field_names(GoodExampleTranslation)


def content_translation_save(
    *,
    item: GoodExample | NewsItem | Event,
    language: str,
    texts: dict[str, str],
    by: User,
) -> None:
    """Store an author's translation of an example, a news item or an event."""
    if not selectors.can_translate_item(by, item):
        raise PermissionDenied
    translation_store(item, language, texts)
    if isinstance(item, GoodExample):
        example_reindex(example=item)


def _check_example_links(
    *,
    organisation: Organisation,
    buyer_group: BuyerGroup | None,
    purchase_lines: Iterable[PurchaseLine],
    published_effects: Iterable[str],
) -> None:
    errors: dict[str, str] = {}
    if buyer_group and not groups_of(organisation).filter(pk=buyer_group.pk).exists():
        errors["buyer_group"] = _("Choose a buyer group your organisation is in.")
    allowed = selectors.linkable_lines(organisation)
    line_ids = {line.pk for line in purchase_lines}
    if line_ids - set(allowed.filter(pk__in=line_ids).values_list("pk", flat=True)):
        errors["purchase_lines"] = _(
            "Choose lines of your own organisation's submitted or accepted reports."
        )
    if set(published_effects) - set(PUBLISHABLE_EFFECTS):
        errors["published_effects"] = _("Choose among the effects listed.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def example_save(
    *,
    by: User,
    example: GoodExample | None = None,
    organisation: Organisation | None = None,
    fields: Mapping[str, Any],
    product_groups: Iterable[ProductGroup],
    criterion_versions: Iterable[CriterionVersion] = (),
    purchase_lines: Iterable[PurchaseLine] = (),
    is_demo: bool = False,
) -> GoodExample:
    """Create a draft example for the person's organisation, or change a draft."""
    if example is None:
        if organisation is None or not is_organisation_member(by, organisation):
            raise PermissionDenied
        example = GoodExample(organisation=organisation, author=by, is_demo=is_demo)
    elif not selectors.can_edit_example(by, example):
        raise PermissionDenied
    unknown = set(fields) - set(EXAMPLE_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of an example: {', '.join(sorted(unknown))}")
    lines = list(purchase_lines)
    _check_example_links(
        organisation=example.organisation,
        buyer_group=fields.get("buyer_group"),
        purchase_lines=lines,
        published_effects=fields.get("published_effects") or [],
    )
    for name, value in fields.items():
        setattr(example, name, value)
    example.title = " ".join(example.title.split())
    if not example.slug:
        example.slug = unique_slug(GoodExample, example.title)
    example.updated_at = timezone.now()
    example.full_clean(exclude=["slug", "author", "organisation"])
    example.save()
    example.product_groups.set(list(product_groups))
    example.purchase_lines.set(lines)
    versions = list(criterion_versions)
    example.criteria_used.exclude(version__in=versions).delete()
    for version in versions:
        ExampleCriterion.objects.get_or_create(example=example, version=version)
    example_reindex(example=example)
    return example


def example_document_add(
    *, example: GoodExample, by: User, title: str, upload: UploadedFile
) -> ExampleDocument:
    """Attach a document to a draft: checked and read first, nothing kept if refused."""
    if not selectors.can_edit_example(by, example):
        raise PermissionDenied
    file_type = check_uploaded_document(upload, max_bytes=max_document_bytes())
    text = document_text(upload, file_type)
    document = ExampleDocument(
        example=example,
        title=" ".join(title.split()) or (upload.name or ""),
        original_name=(upload.name or "")[:255],
        file_type=file_type,
        size=upload.size or 0,
        text=text,
        uploaded_by=by,
    )
    try:
        with transaction.atomic():
            document.file.save(
                upload.name or f"document.{file_type}", upload, save=False
            )
            document.save()
            example_reindex(example=example)
    except Exception:
        # The row was not stored: do not leave the file behind either.
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document


def example_document_remove(*, document: ExampleDocument, by: User) -> None:
    example = document.example
    if not selectors.can_edit_example(by, example):
        raise PermissionDenied
    name = document.file.name
    with transaction.atomic():
        document.delete()
        example_reindex(example=example)
    if name:
        transaction.on_commit(lambda: document.file.storage.delete(name))


def _reviewers(example: GoodExample) -> list[User]:
    """The secretariat and the coordinators of the organisation's buyer groups."""
    coordinators = User.objects.filter(
        memberships__status="active",
        memberships__organisation__coordinated_groups__memberships__organisation=example.organisation,
        memberships__organisation__coordinated_groups__memberships__status="active",
    )
    people = {person.pk: person for person in coordinators}
    people.update({person.pk: person for person in secretariat_people()})
    return list(people.values())


@transaction.atomic
def example_submit(*, example: GoodExample, by: User) -> GoodExample:
    """Send a draft to review: the secretariat and the group's coordinator are told."""
    example = GoodExample.objects.select_for_update().get(pk=example.pk)
    if not selectors.can_edit_example(by, example):
        raise PermissionDenied
    if not example.product_groups.exists():
        raise ValidationError(_("Choose at least one product group before sending."))
    example.status = ExampleStatus.IN_REVIEW
    example.submitted_at = timezone.now()
    example.save(update_fields=["status", "submitted_at"])
    notify(
        recipients=[person for person in _reviewers(example) if person.pk != by.pk],
        kind="example.submitted",
        text=lambda: (
            _("A good example waits for your review: %(title)s")
            % {"title": example.title}
        ),
        url=example.get_absolute_url(),
        email_template="email/notice",
    )
    return example


def _decide(example: GoodExample, by: User) -> GoodExample:
    example = GoodExample.objects.select_for_update().get(pk=example.pk)
    if not selectors.can_review_example(by, example):
        raise PermissionDenied
    if example.status != ExampleStatus.IN_REVIEW:
        raise ValidationError(_("This example is not waiting for review."))
    return example


@transaction.atomic
def example_publish(*, example: GoodExample, by: User) -> GoodExample:
    """Publish an example in review; its author is told."""
    example = _decide(example, by)
    example.status = ExampleStatus.PUBLISHED
    example.published_at = timezone.now()
    example.reviewed_by = by
    example.sent_back_reason = ""
    example.save(
        update_fields=["status", "published_at", "reviewed_by", "sent_back_reason"]
    )
    notify(
        recipients=[example.author],
        kind="example.published",
        text=lambda: (
            _("Your good example is published: %(title)s") % {"title": example.title}
        ),
        url=example.get_absolute_url(),
        email_template="email/notice",
    )
    return example


@transaction.atomic
def example_send_back(*, example: GoodExample, by: User, reason: str) -> GoodExample:
    """Return an example in review to its author as a draft, with the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say what the author should change before sending it back.")}
        )
    example = _decide(example, by)
    example.status = ExampleStatus.DRAFT
    example.reviewed_by = by
    example.sent_back_reason = reason
    example.save(update_fields=["status", "reviewed_by", "sent_back_reason"])
    notify(
        recipients=[example.author],
        kind="example.sent_back",
        text=lambda: (
            _("Your good example was sent back: %(title)s. %(reason)s")
            % {"title": example.title, "reason": reason[:300]}
        ),
        url=example.get_absolute_url(),
        email_template="email/notice",
    )
    return example


@transaction.atomic
def example_withdraw(*, example: GoodExample, by: User) -> GoodExample:
    """Take a published example or one in review back to draft, to change it."""
    example = GoodExample.objects.select_for_update().get(pk=example.pk)
    if not selectors.can_withdraw_example(by, example):
        raise PermissionDenied
    example.status = ExampleStatus.DRAFT
    example.save(update_fields=["status"])
    return example


@transaction.atomic
def example_comment(
    *, example: GoodExample, by: User, body: str, is_question: bool = False
) -> ExampleComment:
    """A member comments on a published example or asks its author; the author is told."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write your comment or question.")})
    if example.status != ExampleStatus.PUBLISHED or not (
        selectors.is_pact_member(by) and selectors.can_see_example(by, example)
    ):
        raise PermissionDenied
    comment = ExampleComment.objects.create(
        example=example,
        author=by,
        organisation=organisation_for_user(by),
        body=body,
        is_question=is_question,
    )
    if example.author_id != by.pk:
        message = (
            gettext_lazy("%(name)s asked a question about your good example %(title)s")
            if is_question
            else gettext_lazy("%(name)s commented on your good example %(title)s")
        )
        values = {"name": by.display_name, "title": example.title}
        notify(
            recipients=[example.author],
            kind="example.comment",
            text=lambda: message % values,
            url=f"{example.get_absolute_url()}#comment-{comment.pk}",
            email_template="email/notice",
        )
    return comment
