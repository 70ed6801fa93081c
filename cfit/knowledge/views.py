"""Pages of good examples: search, reading, writing, documents, review, comments.

A draft or an example in review is seen by its organisation and its reviewers; a
members-only example by the Pact's members; anyone else gets 404, as everywhere.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfit.groups.forms import DocumentForm
from cfit.groups.selectors import groups_of
from cfit.lib.translations import other_languages
from cfit.lib.typing import AuthenticatedRequest
from cfit.organisations.selectors import organisation_for_user

from . import selectors, services
from .forms import CommentForm, ExampleFilterForm, ExampleForm, SendBackForm
from .models import ExampleDocument, ExampleStatus, GoodExample
from .selectors import ExampleFilters

PER_PAGE = 12


def _example_for_viewer(request: HttpRequest, slug: str) -> GoodExample:
    """The example if the person may read it; 404 otherwise."""
    example = get_object_or_404(
        GoodExample.objects.select_related("organisation", "author", "buyer_group"),
        slug=slug,
    )
    if not selectors.can_see_example(request.user, example):
        raise Http404
    return example


def _example_for_editor(request: HttpRequest, slug: str) -> GoodExample:
    example = _example_for_viewer(request, slug)
    if not selectors.can_edit_example(request.user, example):
        raise Http404
    return example


def _example_for_reviewer(request: HttpRequest, slug: str) -> GoodExample:
    example = _example_for_viewer(request, slug)
    if not (
        example.status == ExampleStatus.IN_REVIEW
        and selectors.can_review_example(request.user, example)
    ):
        raise Http404
    return example


def _show_error(request: HttpRequest, form: object, error: ValidationError) -> None:
    if hasattr(error, "error_dict") and hasattr(form, "add_error"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)  # type: ignore[attr-defined]
    else:
        messages.error(request, " ".join(error.messages))


def example_list(request: HttpRequest) -> HttpResponse:
    form = ExampleFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = ExampleFilters(**{k: v for k, v in data.items() if v not in (None, "")})
    page = Paginator(
        selectors.search_examples(request.user, filters), PER_PAGE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "knowledge/example_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "searched": bool(query),
            "can_write": selectors.can_write_example(request.user),
        },
    )


@login_required
def my_examples(request: AuthenticatedRequest) -> HttpResponse:
    organisation = organisation_for_user(request.user)
    return render(
        request,
        "knowledge/my_examples.html",
        {
            "organisation": organisation,
            "own": selectors.examples_of_organisation(organisation),
            "to_review": selectors.examples_to_review(request.user),
            "can_write": selectors.can_write_example(request.user),
        },
    )


def example_detail(request: HttpRequest, slug: str) -> HttpResponse:
    example = _example_for_viewer(request, slug)
    impact = selectors.example_impact(example)
    user = request.user
    return render(
        request,
        "knowledge/example_detail.html",
        {
            "example": example,
            "criteria_used": example.criteria_used.select_related("version__criterion"),
            "documents": example.documents.all(),
            "comments": example.comments.select_related("author", "organisation"),
            "impact": impact,
            "sees_lines": selectors.can_see_example_lines(user, example),
            "public_effects": selectors.public_effects(example, impact),
            "can_edit": selectors.can_edit_example(user, example),
            "can_withdraw": selectors.can_withdraw_example(user, example),
            "can_review": example.status == ExampleStatus.IN_REVIEW
            and selectors.can_review_example(user, example),
            "can_comment": example.status == ExampleStatus.PUBLISHED
            and selectors.is_pact_member(user),
            "comment_form": CommentForm(),
            "send_back_form": SendBackForm(),
            "can_translate": selectors.can_translate_item(user, example),
            "translate_languages": other_languages(example),
        },
    )


def _form_page(
    request: AuthenticatedRequest, example: GoodExample | None
) -> HttpResponse:
    organisation = (
        example.organisation if example else organisation_for_user(request.user)
    )
    if organisation is None or not selectors.can_write_example(request.user):
        raise Http404
    form = ExampleForm(
        request.POST or None,
        instance=example,
        groups=groups_of(organisation),
        lines=selectors.linkable_lines(organisation),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.example_save(
                by=request.user,
                example=example,
                organisation=organisation,
                fields={name: data[name] for name in services.EXAMPLE_FIELDS},
                product_groups=data["product_groups"],
                criterion_versions=data["criterion_versions"],
                purchase_lines=data["purchase_lines"],
            )
        except ValidationError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _("The example is saved as a draft."))
            return redirect(saved)
    return render(
        request,
        "knowledge/example_form.html",
        {"form": form, "example": example, "organisation": organisation},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def example_create(request: AuthenticatedRequest) -> HttpResponse:
    return _form_page(request, None)


@login_required
def example_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _form_page(request, _example_for_editor(request, slug))


@login_required
def document_add(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    example = _example_for_editor(request, slug)
    max_bytes = services.max_document_bytes()
    form = DocumentForm(
        request.POST or None, request.FILES or None, max_bytes=max_bytes
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.example_document_add(
                example=example,
                by=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _("The document is attached."))
            return redirect(example)
    return render(
        request,
        "knowledge/document_form.html",
        {"example": example, "form": form, "max_bytes": max_bytes},
        status=400 if form.is_bound and form.errors else 200,
    )


def document_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    example = _example_for_viewer(request, slug)
    document = get_object_or_404(ExampleDocument, pk=pk, example=example)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=document.original_name)


@login_required
@require_POST
def document_remove(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    example = _example_for_editor(request, slug)
    document = get_object_or_404(ExampleDocument, pk=pk, example=example)
    services.example_document_remove(document=document, by=request.user)
    messages.success(request, _("The document is removed."))
    return redirect(example)


@login_required
@require_POST
def example_submit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    example = _example_for_editor(request, slug)
    try:
        services.example_submit(example=example, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "The example is sent for review to the secretariat and your coordinator."
            ),
        )
    return redirect(example)


@login_required
@require_POST
def example_publish(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    example = _example_for_reviewer(request, slug)
    services.example_publish(example=example, by=request.user)
    messages.success(request, _("The example is published."))
    return redirect(example)


@login_required
def example_send_back(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    example = _example_for_reviewer(request, slug)
    form = SendBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.example_send_back(
            example=example, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The example is sent back to its author."))
        return redirect(example)
    return render(
        request,
        "knowledge/send_back.html",
        {"example": example, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def example_withdraw(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    example = _example_for_viewer(request, slug)
    try:
        services.example_withdraw(example=example, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The example is a draft again: change it and send it."))
    return redirect(example)


@login_required
@require_POST
def example_comment(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    example = _example_for_viewer(request, slug)
    if not selectors.is_pact_member(request.user):
        raise Http404
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your comment or question."))
        return redirect(example)
    try:
        comment = services.example_comment(
            example=example,
            by=request.user,
            body=form.cleaned_data["body"],
            is_question=form.cleaned_data["is_question"],
        )
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Your comment is added; the author is told."))
    return redirect(f"{example.get_absolute_url()}#comment-{comment.pk}")
