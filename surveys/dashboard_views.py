"""Response dashboards and exports for comms leads, inside the staff area."""

from django.contrib import messages
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from partnerships.access import editable_partnerships
from surveys import exports
from surveys.dashboard import build_dashboard
from surveys.filters import ResponseFilter
from surveys.journey import survey_structure
from surveys.models import Answer, ExportRecord, Question, Survey, Theme

FREE_TEXT_PAGE_SIZE = 25
FREE_TEXT_KINDS = {Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT}
# Search matches are marked with control characters, which answers cannot contain (the forms refuse
# them), so the answer text can be escaped before the marks become <mark> elements.
MARK_START, MARK_END = "\x02", "\x03"


def highlighted(text: str) -> str:
    escaped = linebreaksbr(escape(text))
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308


def dashboard_survey_or_404(request: HttpRequest, survey_id: int, permission: str = "surveys.view_dashboard") -> Survey:
    """The survey, if this member of staff may see its responses: their partnership and the permission."""
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return get_object_or_404(
        Survey.objects.select_related("consultation__partnership"),
        pk=survey_id,
        consultation__partnership__in=editable_partnerships(request.user),
    )


def _filtered(request: HttpRequest, survey: Survey):
    structure = survey_structure(survey)
    questions = {q.pk: q for _, qs in structure for q in qs}
    response_filter = ResponseFilter.from_query(survey, request.GET, questions)
    return structure, questions, response_filter


def dashboard(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = dashboard_survey_or_404(request, survey_id)
    structure, questions, response_filter = _filtered(request, survey)
    summary = build_dashboard(survey, response_filter, structure)
    can_see_individual = request.user.has_perm("surveys.view_individual_responses")
    filterable = [q for q in questions.values() if q.is_choice]
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "survey": survey,
            "consultation": survey.consultation,
            "dashboard": summary,
            "filter": response_filter,
            "filter_tags": response_filter.tags(questions),
            "query": response_filter.as_query(),
            "filterable_questions": filterable,
            "selected_answers": {f"{qid}:{v}" for qid, values in response_filter.answers.items() for v in values},
            "channels": exports.Response.Channel.choices,
            "can_see_individual": can_see_individual,
            "can_export_equality": request.user.has_perm("surveys.export_equality_data"),
            "free_text_kinds": FREE_TEXT_KINDS,
            "printing": request.GET.get("print") == "1",
            "title": f"Responses: {survey.consultation.title}",
        },
    )


def free_text(request: HttpRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = dashboard_survey_or_404(request, survey_id, "surveys.view_individual_responses")
    question = get_object_or_404(Question, pk=question_id, survey=survey, kind__in=FREE_TEXT_KINDS)
    if question.section.is_about_you:
        raise PermissionDenied
    if request.method == "POST":
        return _save_themes(request, survey, question)
    _, questions, response_filter = _filtered(request, survey)
    answers = Answer.objects.filter(question=question, response__in=response_filter.responses()).exclude(text="")
    search = request.GET.get("q", "").strip()
    if search:
        query = SearchQuery(search, config="english", search_type="websearch")
        answers = answers.annotate(
            rank=SearchRank(SearchVector("text", config="english"), query),
            snippet=SearchHeadline("text", query, config="english", start_sel=MARK_START, stop_sel=MARK_END),
        ).filter(rank__gt=0)
    order = "oldest" if request.GET.get("order") == "oldest" else "newest"
    answers = (
        answers.select_related("response")
        .prefetch_related("themes")
        .order_by("response__submitted_at" if order == "oldest" else F("response__submitted_at").desc(), "pk")
    )
    page = Paginator(answers, FREE_TEXT_PAGE_SIZE).get_page(request.GET.get("page"))
    for answer in page.object_list:
        answer.highlighted = highlighted(answer.snippet) if search else ""
    themes = list(question.themes.all())
    return render(
        request,
        "dashboard/free_text.html",
        {
            "survey": survey,
            "question": question,
            "page": page,
            "themes": themes,
            "search": search,
            "order": order,
            "filter_tags": response_filter.tags(questions),
            "query": _query_without_page(request),
            "title": f"Answers to “{question.text}”",
        },
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _save_themes(request: HttpRequest, survey: Survey, question: Question) -> HttpResponse:
    back = request.get_full_path()
    new_theme = request.POST.get("new_theme", "").strip()
    if "add_theme" in request.POST:
        if not new_theme:
            messages.error(request, "Enter a name for the new theme")
        elif len(new_theme) > 100:
            messages.error(request, "A theme name must be 100 characters or fewer")
        else:
            _, created = Theme.objects.get_or_create(question=question, name=new_theme)
            messages.success(request, f"Added the theme “{new_theme}”" if created else "That theme already exists")
        return redirect(back)
    themes = {theme.pk: theme for theme in question.themes.all()}
    answer_ids = [int(a) for a in request.POST.getlist("answer") if a.isdigit()]
    answers = Answer.objects.filter(pk__in=answer_ids, question=question)
    through = Theme.answers.through
    with transaction.atomic():
        through.objects.filter(answer__in=answers).delete()
        through.objects.bulk_create(
            through(theme_id=int(theme_id), answer_id=answer.pk)
            for answer in answers
            for theme_id in request.POST.getlist(f"themes_{answer.pk}")
            if theme_id.isdigit() and int(theme_id) in themes
        )
    messages.success(request, f"Saved the themes of {len(answer_ids)} answer{'s' if len(answer_ids) != 1 else ''}")
    return redirect(back)


def _record(request, survey, kind, response_filter, rows=None, equality=False) -> ExportRecord:
    return ExportRecord.objects.create(
        user=request.user,
        survey=survey,
        kind=kind,
        filters=response_filter.as_record(),
        rows=rows,
        includes_equality_data=equality,
    )


def _filename(survey: Survey, what: str, extension: str) -> str:
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return f"{survey.consultation.slug}-{what}-{stamp}.{extension}"


def _check_format(file_format: str) -> None:
    if file_format not in {"csv", "xlsx"}:
        raise Http404("Exports are CSV or XLSX")


def export_summary(request: HttpRequest, survey_id: int, file_format: str) -> HttpResponse:
    _check_format(file_format)
    survey = dashboard_survey_or_404(request, survey_id)
    structure, questions, response_filter = _filtered(request, survey)
    summary = build_dashboard(survey, response_filter, structure)
    rows = exports.summary_rows(summary, response_filter.describe(questions))
    if file_format == "csv":
        _record(request, survey, ExportRecord.Kind.SUMMARY_CSV, response_filter, len(rows))
        response = HttpResponse(exports.csv_bytes(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "summary", "csv")}"'
        return response
    _record(request, survey, ExportRecord.Kind.SUMMARY_XLSX, response_filter, len(rows))
    return FileResponse(
        exports.xlsx_file({"Summary": rows}), as_attachment=True, filename=_filename(survey, "summary", "xlsx")
    )


def _response_export_parts(request: HttpRequest, survey_id: int):
    survey = dashboard_survey_or_404(request, survey_id, "surveys.view_individual_responses")
    structure, questions, response_filter = _filtered(request, survey)
    equality = request.user.has_perm("surveys.export_equality_data")
    columns = exports.response_columns(structure, include_equality=equality)
    return survey, questions, response_filter, equality, columns


def export_responses(request: HttpRequest, survey_id: int, file_format: str) -> HttpResponse:
    _check_format(file_format)
    survey, questions, response_filter, equality, columns = _response_export_parts(request, survey_id)
    row_count = response_filter.responses().count()
    if file_format == "csv":
        _record(request, survey, ExportRecord.Kind.RESPONSES_CSV, response_filter, row_count, equality)
        response = StreamingHttpResponse(
            exports.stream_responses_csv(response_filter, columns), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "responses", "csv")}"'
        return response
    if row_count >= exports.XLSX_ROW_LIMIT:
        messages.error(
            request,
            f"Excel holds at most {exports.XLSX_ROW_LIMIT - 1:,} rows and this export has {row_count:,}: "
            "download the CSV, or add a filter.",
        )
        return redirect(reverse("dashboard:survey", args=[survey.pk]) + "?" + response_filter.as_query())
    _record(request, survey, ExportRecord.Kind.RESPONSES_XLSX, response_filter, row_count, equality)
    codebook = exports.codebook_rows(columns, response_filter, response_filter.describe(questions))
    return FileResponse(
        exports.responses_xlsx(response_filter, columns, codebook),
        as_attachment=True,
        filename=_filename(survey, "responses", "xlsx"),
    )


def export_codebook(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey, questions, response_filter, equality, columns = _response_export_parts(request, survey_id)
    rows = exports.codebook_rows(columns, response_filter, response_filter.describe(questions))
    _record(request, survey, ExportRecord.Kind.CODEBOOK_CSV, response_filter, len(columns), equality)
    response = HttpResponse(exports.csv_bytes(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "codebook", "csv")}"'
    return response
