"""Response dashboards, free-text reading and exports for comms leads, inside the staff area."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVector
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from common import security_log
from common.admin import staff_page
from common.text import pluralise
from surveys import services
from surveys.kinds import FREE_TEXT_KINDS
from surveys.models import Answer, ExportJob, ExportRecord, Response, Survey
from surveys.reporting.access import dashboard_surveys, may_read_rows
from surveys.reporting.counts import CountingTooSlow
from surveys.reporting.dashboard import build_dashboard
from surveys.reporting.exporters import EXPORTERS
from surveys.reporting.filters import ResponseFilter
from surveys.reporting.forms import NewThemeForm
from surveys.structure import read_structure

FREE_TEXT_PAGE_SIZE = 25
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
    return get_object_or_404(dashboard_surveys(request.user), pk=survey_id)


def filtered(request: HttpRequest, survey: Survey):
    structure = read_structure(survey)
    questions = structure.questions
    response_filter = ResponseFilter.from_query(survey, request.GET, questions)
    return structure, questions, response_filter


def refuse_rows(request, survey: Survey, response_filter: ResponseFilter, questions, what: str) -> HttpResponse:
    security_log.event("permission_denied", request, reason="rows under an About-you filter", survey=survey.pk)
    equality = [tag.label for qid, tag in response_filter.answer_tags(questions) if questions[qid].section.is_about_you]
    return staff_page(
        request,
        "surveys/reporting/equality_filter_refused.html",
        {
            "survey": survey,
            "what": what,
            "equality_filters": "; ".join(equality),
            "query": response_filter.as_query(),
            "without_url": f"{request.path}?{response_filter.without_equality_answers(questions)}",
            "title": "Not available with an “About you” filter",
        },
        status=403,
    )


def dashboard(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = dashboard_survey_or_404(request, survey_id)
    structure, questions, response_filter = filtered(request, survey)
    can_see_individual = request.user.has_perm("surveys.view_individual_responses")
    can_read_rows = may_read_rows(request.user, response_filter, questions)
    try:
        summary = build_dashboard(
            survey,
            response_filter,
            structure,
            other_texts=can_see_individual and can_read_rows,
            seconds=settings.DASHBOARD_COUNT_SECONDS,
        )
    except CountingTooSlow:
        return staff_page(
            request,
            "surveys/reporting/too_many_to_count.html",
            {
                "survey": survey,
                "filter_tags": response_filter.tags(questions),
                "query": response_filter.as_query(),
                "title": f"Responses: {survey.consultation.title}",
            },
        )
    other_texts = sum(len(q.other_answers) for section in summary.sections for q in section.questions)
    if other_texts:
        services.record_access(
            request=request,
            survey=survey,
            kind=ExportRecord.Kind.OTHER_ANSWERS,
            filters=response_filter.as_record(),
            rows=other_texts,
        )
    filterable = [q for q in questions.values() if q.is_choice]
    return staff_page(
        request,
        "surveys/reporting/dashboard.html",
        {
            "survey": survey,
            "consultation": survey.consultation,
            "dashboard": summary,
            "filter": response_filter,
            "filter_tags": response_filter.tags(questions),
            "query": response_filter.as_query(),
            "filterable_questions": filterable,
            "selected_answers": {f"{qid}:{v}" for qid, values in response_filter.answers.items() for v in values},
            "channels": Response.Channel.choices,
            "can_see_individual": can_see_individual,
            "can_read_rows": can_read_rows,
            "can_export_equality": request.user.has_perm("surveys.export_equality_data"),
            "printing": request.GET.get("print") == "1",
            "recent_exports": recent_exports(request.user, survey),
            "kept_hours": settings.EXPORT_KEPT_HOURS,
            "title": f"Responses: {survey.consultation.title}",
        },
    )


def recent_exports(user, survey: Survey) -> list[ExportJob]:
    """This person's exports of the survey that are kept, or still being made (newest first)."""
    since = timezone.now() - datetime.timedelta(hours=settings.EXPORT_KEPT_HOURS)
    exports = list(
        ExportJob.objects.filter(record__user=user, record__survey=survey, record__created_at__gte=since)
        .exclude(status=ExportJob.Status.EXPIRED)
        .select_related("record")[:10]
    )
    for job in exports:
        job.label = EXPORTERS[job.identifier].label
    return exports


def free_text(request: HttpRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = dashboard_survey_or_404(request, survey_id, "surveys.view_individual_responses")
    question = get_object_or_404(survey.questions, pk=question_id, kind__in=FREE_TEXT_KINDS)
    if question.section.is_about_you:
        raise PermissionDenied
    _, questions, response_filter = filtered(request, survey)
    if not may_read_rows(request.user, response_filter, questions):
        return refuse_rows(request, survey, response_filter, questions, "reading individual answers")
    if request.method == "POST":
        return _save_themes(request, survey, question)
    answers = Answer.objects.filter(question=question, response__in=response_filter.responses()).exclude(text="")
    search = request.GET.get("q", "").strip()
    if search:
        # Matched with @@, as site search is: a rank is never 0 for an answer that does not match.
        query = SearchQuery(search, config="english", search_type="websearch")
        answers = answers.annotate(
            document=SearchVector("text", config="english"),
            snippet=SearchHeadline("text", query, config="english", start_sel=MARK_START, stop_sel=MARK_END),
        ).filter(document=query)
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
    services.record_access(
        request=request,
        survey=survey,
        kind=ExportRecord.Kind.FREE_TEXT,
        filters={**response_filter.as_record(), "question": question.identifier, "search": search, "page": page.number},
        rows=len(page.object_list),
        includes_equality_data=response_filter.uses_equality_answers(questions),
    )
    return staff_page(
        request,
        "surveys/reporting/free_text.html",
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


def _save_themes(request: HttpRequest, survey: Survey, question) -> HttpResponse:
    back = request.get_full_path()
    if "add_theme" in request.POST:
        form = NewThemeForm(request.POST)
        if form.is_valid():
            _, created = services.add_theme(question=question, name=form.cleaned_data["new_theme"])
            messages.success(
                request,
                f"Added the theme “{form.cleaned_data['new_theme']}”" if created else "That theme already exists",
            )
        else:
            messages.error(request, form.errors["new_theme"][0])
        return redirect(back)
    answer_ids = [int(a) for a in request.POST.getlist("answer") if a.isdigit()]
    themes_by_answer = {
        answer_id: [int(t) for t in request.POST.getlist(f"themes_{answer_id}") if t.isdigit()]
        for answer_id in answer_ids
    }
    services.set_answer_themes(question=question, themes_by_answer=themes_by_answer)
    messages.success(request, f"Saved the themes of {pluralise(len(answer_ids), 'answer')}")
    return redirect(back)
