"""Pages where the secretariat keeps the criteria's translations: which are missing,
one criterion in one language, and files for translators (CSV, XLIFF)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfit.lib.translations import (
    CONTENT_LANGUAGES,
    LANGUAGE_NAMES,
    language_in_sentence,
    translation_row,
)
from cfit.lib.typing import AuthenticatedRequest
from cfit.lib.uploads import read_uploaded_text

from . import selectors, translation_files
from .forms import TranslationExportForm, TranslationImportForm, VersionTranslationForm
from .models import Criterion, CriterionVersion
from .translation_services import (
    can_translate,
    translations_apply,
    version_translation_save,
)


def _require_translator(request: AuthenticatedRequest) -> None:
    if not can_translate(request.user):
        raise Http404


def _overview_page(
    request: AuthenticatedRequest,
    import_form: TranslationImportForm | None = None,
    problems: list[str] | None = None,
) -> HttpResponse:
    return render(
        request,
        "criteria/translations.html",
        {
            "rows": selectors.translation_overview(),
            "languages": [(code, LANGUAGE_NAMES[code]) for code in CONTENT_LANGUAGES],
            "export_form": TranslationExportForm(),
            "import_form": import_form or TranslationImportForm(),
            "problems": problems or [],
        },
    )


@login_required
def translation_overview(request: AuthenticatedRequest) -> HttpResponse:
    _require_translator(request)
    return _overview_page(request)


@login_required
def translation_export(request: AuthenticatedRequest) -> HttpResponse:
    _require_translator(request)
    form = TranslationExportForm(request.GET)
    if not form.is_valid():
        return redirect("criteria:translations")
    language = form.cleaned_data["language"]
    rows = translation_files.exchange_rows(selectors.exchange_versions(), language)
    if form.cleaned_data["file_format"] == "csv":
        content: str | bytes = translation_files.to_csv(rows, language)
        content_type, extension = "text/csv; charset=utf-8", "csv"
    else:
        content = translation_files.to_xliff(rows, language)
        content_type, extension = "application/xliff+xml", "xlf"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="criteria-{language}.{extension}"'
    )
    return response


@login_required
@require_POST
def translation_import(request: AuthenticatedRequest) -> HttpResponse:
    _require_translator(request)
    form = TranslationImportForm(request.POST, request.FILES)
    problems: list[str] = []
    if form.is_valid():
        language = form.cleaned_data["language"]
        try:
            extension, text = read_uploaded_text(form.cleaned_data["file"])
            units = translation_files.read_translation_file(extension, text, language)
            count = translations_apply(units=units, by=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _("Translations of %(n)s criteria into %(language)s are saved.")
                % {"n": count, "language": language_in_sentence(language)},
            )
            return redirect("criteria:translations")
    return _overview_page(request, import_form=form, problems=problems)


@login_required
def version_translation(
    request: AuthenticatedRequest, code: str, language: str
) -> HttpResponse:
    _require_translator(request)
    criterion = get_object_or_404(Criterion, code=code)
    version = (
        criterion.current_version
        or CriterionVersion.objects.filter(criterion=criterion).pending().first()
    )
    if version is None or language not in CONTENT_LANGUAGES:
        raise Http404
    if language == version.original_language:
        raise Http404
    form = VersionTranslationForm(
        request.POST or None,
        version=version,
        initial=_initial(version, language),
    )
    if request.method == "POST" and form.is_valid():
        try:
            version_translation_save(
                version=version, language=language, texts=form.texts(), by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("The %(language)s text of %(code)s is saved.")
                % {"language": language_in_sentence(language), "code": code},
            )
            return redirect("criteria:translations")
    return render(
        request,
        "criteria/version_translation.html",
        {
            "version": version,
            "criterion": criterion,
            "language": language,
            "language_name": language_in_sentence(language),
            "form": form,
        },
    )


def _initial(version: CriterionVersion, language: str) -> dict[str, str]:
    """What is there so far, a flagged copy included, to start from."""
    initial: dict[str, str] = {}
    row = version.translations.filter(language_code=language).first()
    if row is not None:
        for name in ("title", "tender_text", "rationale", "verification"):
            initial[name] = getattr(row, f"translated_{name}")
    for parameter in version.parameters.prefetch_related("translations"):
        param_row = translation_row(parameter, language)
        initial[f"parameter.{parameter.name}.label"] = (
            param_row.translated_label if param_row else ""
        )
        initial[f"parameter.{parameter.name}.unit"] = (
            param_row.translated_unit if param_row else ""
        )
    return initial
