"""Exports for comms leads: ask for one, watch it being made, download it while it is kept.

Asking (a POST from the dashboard) records it and queues it for the background worker; the job's
page shows its progress (reload it, or let the page's script check for you) and, when ready, the
download. The file goes to the person who asked and to anyone else who may have the same export of
that survey now; it is sent by the app, by nginx, or by object storage (``EXPORTS_SENT_BY``).
"""

from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from common.admin import staff_page
from surveys import services
from surveys.models import ExportJob, Survey
from surveys.reporting import jobs
from surveys.reporting.access import may_export, may_read_rows
from surveys.reporting.exporters import EXPORTERS, Exporter, ExportRequest, Progress
from surveys.reporting.filters import ResponseFilter
from surveys.reporting.views import dashboard_survey_or_404, filtered, refuse_rows
from surveys.structure import read_structure


def _dashboard_url(survey: Survey, query: str) -> str:
    return reverse("reporting:survey", args=[survey.pk]) + (f"?{query}" if query else "")


def export(request: HttpRequest, survey_id: int, identifier: str) -> HttpResponse:
    """Any export in the registry, checked against its permission. The codebook is written at once;
    the rest are asked for with a POST (a GET shows the button) and made in the background."""
    exporter = EXPORTERS.get(identifier)
    if exporter is None:
        raise Http404("No such export")
    survey = dashboard_survey_or_404(request, survey_id, exporter.permission)
    structure, questions, response_filter = filtered(request, survey)
    if exporter.row_level and not may_read_rows(request.user, response_filter, questions):
        return refuse_rows(request, survey, response_filter, questions, "the responses export")
    export = ExportRequest(survey, request.user, structure, response_filter)
    if exporter.immediate:
        return _written_now(request, survey, exporter, export)
    problem = exporter.refuse(export) if exporter.refuse else None
    if problem:
        messages.error(request, problem)
        return redirect(_dashboard_url(survey, response_filter.as_query()))
    if request.method != "POST":
        return staff_page(
            request,
            "surveys/reporting/export_confirm.html",
            {
                "survey": survey,
                "exporter": exporter,
                "filter_tags": response_filter.tags(questions),
                "query": response_filter.as_query(),
                "title": f"Export: {exporter.label}",
            },
        )
    job = jobs.request_export(request=request, survey=survey, exporter=exporter, export=export)
    return redirect("reporting:export-job", survey.pk, job.pk)


def _written_now(request: HttpRequest, survey: Survey, exporter: Exporter, export: ExportRequest) -> HttpResponse:
    response = HttpResponse(content_type=exporter.content_type)
    rows = exporter.write(export, response, Progress())
    services.record_access(
        request=request,
        survey=survey,
        kind=exporter.record_kind,
        filters=export.response_filter.as_record(),
        rows=rows,
        includes_equality_data=exporter.includes_equality_data(export),
    )
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename(survey)}"'
    return response


def _job_or_404(request: HttpRequest, survey_id: int, job_id: int) -> tuple[ExportJob, Exporter, ExportRequest]:
    """The job, if this person may have its export now: its survey is theirs and they hold the same
    permissions the export needs (equality data included)."""
    job = get_object_or_404(
        ExportJob.objects.select_related("record__survey__consultation__partnership", "record__user"),
        pk=job_id,
        record__survey_id=survey_id,
    )
    exporter = EXPORTERS[job.identifier]
    survey = dashboard_survey_or_404(request, survey_id, exporter.permission)
    structure = read_structure(survey)
    response_filter = ResponseFilter.from_query(survey, QueryDict(job.query), structure.questions)
    export = ExportRequest(survey, request.user, structure, response_filter)
    if not may_export(request.user, survey, exporter, export):
        raise PermissionDenied
    if job.record.includes_equality_data and not request.user.has_perm("surveys.export_equality_data"):
        raise PermissionDenied
    return job, exporter, export


def _job_context(request: HttpRequest, job: ExportJob, exporter: Exporter, export: ExportRequest) -> dict:
    survey = job.record.survey
    waiting = timezone.now() - job.record.created_at
    return {
        "survey": survey,
        "job": job,
        "exporter": exporter,
        "filter_tags": export.response_filter.tags(export.structure.questions),
        "query": job.query,
        "asked_by_someone_else": job.record.user_id != request.user.pk,
        "slow_to_start": job.status == ExportJob.Status.REQUESTED and waiting.total_seconds() > 120,
        "kept_hours": settings.EXPORT_KEPT_HOURS,
        "title": f"Export: {exporter.label}",
    }


@require_GET
def export_job(request: HttpRequest, survey_id: int, job_id: int) -> HttpResponse:
    job, exporter, export = _job_or_404(request, survey_id, job_id)
    gone = job.status == ExportJob.Status.EXPIRED or (job.status == ExportJob.Status.FINISHED and not job.is_ready)
    return staff_page(
        request,
        "surveys/reporting/export_job.html",
        _job_context(request, job, exporter, export),
        status=410 if gone else 200,
    )


@require_GET
def export_progress(request: HttpRequest, survey_id: int, job_id: int) -> JsonResponse:
    """How far the job has got, for the page's script (which then reloads the part that changed)."""
    job, _, _ = _job_or_404(request, survey_id, job_id)
    return JsonResponse(
        {"status": job.status, "done": job.rows_done, "total": job.rows_total, "percent": job.percent_done}
    )


@require_GET
def export_download(request: HttpRequest, survey_id: int, job_id: int) -> HttpResponse:
    job, exporter, _ = _job_or_404(request, survey_id, job_id)
    if not job.is_ready:
        return redirect("reporting:export-job", survey_id, job.pk)
    jobs.downloaded(job, request)
    name = job.file.name
    filename = PurePosixPath(name).name
    if settings.EXPORTS_SENT_BY == "storage":
        return redirect(job.file.storage.url(name))
    if settings.EXPORTS_SENT_BY == "nginx":
        response = HttpResponse(content_type=exporter.content_type)
        response["X-Accel-Redirect"] = "/_exports/" + quote(name)
    else:
        response = FileResponse(job.file.storage.open(name, "rb"), content_type=exporter.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
