"""Responses in admin: reading one (within the permissions), reviewing held ones, and the export audit."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from common.text import pluralise
from partnerships.access import PartnershipScopedMixin
from surveys import services
from surveys.admin.base import SurveyListFilter
from surveys.admin.data_rights import ERASE, DataRightsAdminMixin
from surveys.models import Answer, ExportRecord, Response
from surveys.services import review_responses

WRITTEN_ANSWER_HIDDEN = "written answer hidden: you need permission to see individual responses"


def answer_text(answer: Answer, *, show_writing: bool) -> str:
    if answer.choice_id:
        if not answer.text:
            return answer.choice.label
        return f"{answer.choice.label}: {answer.text if show_writing else f'({WRITTEN_ANSWER_HIDDEN})'}"
    if answer.number is not None:
        return str(answer.number)
    if answer.date is not None:
        return date_format(answer.date)
    return answer.text if show_writing else WRITTEN_ANSWER_HIDDEN.capitalize()


@admin.register(Response)
class ResponseAdmin(DataRightsAdminMixin, PartnershipScopedMixin, admin.ModelAdmin):
    list_display = ["reference", "survey_title", "channel", "status", "held_because", "submitted_at"]
    list_filter = ["status", "channel", SurveyListFilter]
    list_select_related = ["survey__consultation"]
    search_fields = ["reference"]
    details = ["reference", "survey_title", "channel", "status", "held_because", "submitted_at", "entered_by"]
    readonly_fields = [*details, "reviewed_by", "answers_given", "answers_without_writing", "about_you_answers"]
    actions = ["approve_held", "reject_held"]
    change_form_template = "admin/surveys/response/change_form.html"

    @admin.display(description="Survey", ordering="survey__consultation__title")
    def survey_title(self, response: Response) -> str:
        return response.survey.consultation.title

    def get_fieldsets(self, request, obj=None):
        # Free text, postcodes and emails need the permission to see individual responses.
        if request.user.has_perm("surveys.view_individual_responses"):
            answers = "answers_given"
        else:
            answers = "answers_without_writing"
        return [
            (None, {"fields": [*self.details, "reviewed_by"]}),
            ("Answers", {"fields": [answers, "about_you_answers"]}),
        ]

    def _answers_table(self, response: Response, *, show_writing: bool) -> str:
        answers = (
            response.answers.filter(question__section__is_about_you=False)
            .select_related("question", "choice")
            .order_by("question__section__order", "question__section_id", "question__order", "question_id", "pk")
        )
        if not answers:
            return "None"
        rows = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td>{}</td></tr>',
            ((answer.question.text, answer_text(answer, show_writing=show_writing)) for answer in answers),
        )
        return format_html(
            '<table><thead><tr><th scope="col">Question</th><th scope="col">Answer</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="Answers")
    def answers_given(self, response: Response) -> str:
        return self._answers_table(response, show_writing=True)

    @admin.display(description="Answers")
    def answers_without_writing(self, response: Response) -> str:
        return self._answers_table(response, show_writing=False)

    @admin.display(description="‘About you’ answers")
    def about_you_answers(self, response: Response) -> str:
        count = response.answers.filter(question__section__is_about_you=True).count()
        if not count:
            return "None"
        return f"{pluralise(count, 'answer')}, not shown here: they are only ever reported in groups of 10 or more."

    def has_add_permission(self, request):
        # Paper and event responses are entered from their survey's page, all questions at once.
        return False

    def has_change_permission(self, request, obj=None):
        # Answers never change; the review status changes through the actions and review buttons.
        if obj is not None:
            return False
        return super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Responses leave only through erasure, which keeps the dashboard counts and the erasure record.
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="{}_{}_review".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"can_review": self.has_change_permission(request), "can_erase": request.user.has_perm(ERASE)}
        page = super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})
        response = self.get_object(request, unquote(object_id)) if page.status_code == 200 else None
        if response is not None:
            services.record_access(
                request=request,
                survey=response.survey,
                kind=ExportRecord.Kind.RESPONSE,
                filters={"reference": response.reference},
                rows=1,
            )
        return page

    def review_view(self, request, object_id) -> HttpResponse:
        response = self.get_object(request, unquote(object_id))
        if response is None:
            raise Http404("No response you may see has this ID")
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        accept = request.POST.get("decision") == "approve"
        self._review(request, Response.objects.filter(pk=response.pk), accept=accept)
        return redirect("admin:surveys_response_change", response.pk)

    def _review(self, request, queryset, *, accept: bool) -> None:
        changed = review_responses(queryset, accept=accept, reviewer=request.user)
        if not changed:
            self.message_user(
                request, "None of the selected responses was held for review, so nothing changed.", messages.WARNING
            )
        elif accept:
            self.message_user(
                request,
                f"Approved {pluralise(changed, 'held response')}: now counted in the results.",
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                f"Rejected {pluralise(changed, 'held response')}: kept, but left out of the results.",
                messages.SUCCESS,
            )

    @admin.action(description="Approve held responses", permissions=["change"])
    def approve_held(self, request, queryset):
        self._review(request, queryset, accept=True)

    @admin.action(description="Reject held responses", permissions=["change"])
    def reject_held(self, request, queryset):
        self._review(request, queryset, accept=False)


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    """Who downloaded which responses: visible to superusers only, and never edited."""

    list_display = ["created_at", "user", "survey", "kind", "rows", "includes_equality_data", "what_happened"]
    list_filter = ["kind", "includes_equality_data"]
    list_select_related = ["user", "survey__consultation", "job"]
    readonly_fields = [
        "created_at", "user", "survey", "kind", "filters", "rows", "includes_equality_data", "what_happened"
    ]  # fmt: skip

    @admin.display(description="What happened")
    def what_happened(self, record: ExportRecord) -> str:
        """For an export made in the background: requested, finished, failed, downloaded, deleted."""
        job = getattr(record, "job", None)
        return job.what_happened() if job else "Done at once"

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
