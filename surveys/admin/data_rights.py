"""Residents' data rights in admin: erasing a response, producing one for a subject access request,
residents' withdrawal requests after a consultation closed, and the record of erasures.

All need the ``erase_responses`` permission, and only reach the partnerships the member of staff edits.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from common.validators import reject_control_characters
from partnerships.access import PartnershipScopedMixin
from surveys import services
from surveys.models import ErasureRecord, ExportRecord, Response, WithdrawalRequest

ERASE = "surveys.erase_responses"


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label="Why are you erasing it?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        validators=[reject_control_characters],
        help_text="For example, “The person who sent it asked us to, by email on 3 March.” Kept in the record "
        "of erasures; the response itself is not.",
        error_messages={"required": "Say why you are erasing this response"},
    )


def subject_access_text(response: Response) -> str:
    """Everything stored about one response, as plain text, for the person who sent it."""
    survey = response.survey
    lines = [
        f"Your response to: {survey.consultation.title}",
        f"Run by: {survey.consultation.partnership.name}",
        f"Reference: {response.reference}",
        f"Sent: {date_format(timezone.localtime(response.submitted_at), 'j F Y, H:i')} (UK time)",
        f"How it was received: {response.get_channel_display()}",
        f"Status: {response.get_status_display()}",
        f"We will delete it on: {date_format(survey.erase_after, 'j F Y')}",
        "",
        "Your answers",
        "",
    ]
    answers = response.answers.select_related("question__section", "choice").order_by(
        "question__section__order", "question__section_id", "question__order", "question_id", "pk"
    )
    for answer in answers:
        value = answer.choice.label if answer.choice_id else answer.text
        if answer.choice_id and answer.text:
            value = f"{answer.choice.label}: {answer.text}"
        if answer.number is not None:
            value = str(answer.number)
        if answer.date is not None:
            value = date_format(answer.date, "j F Y")
        lines += [answer.question.text, f"  {value}", ""]
    return "\n".join(lines)


class DataRightsAdminMixin:
    """For ResponseAdmin: "Erase this response" and "Download for a subject access request"."""

    def _response_for_data_rights(self, request, object_id) -> Response:
        if not request.user.has_perm(ERASE):
            raise PermissionDenied
        response = self.get_object(request, unquote(object_id))
        if response is None:
            raise Http404("No response you may see has this ID")
        return response

    def erase_view(self, request, object_id):
        response = self._response_for_data_rights(request, object_id)
        form = ErasureForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.erase_responses(
                survey=response.survey,
                responses=Response.objects.filter(pk=response.pk),
                how=ErasureRecord.How.STAFF,
                reason=form.cleaned_data["reason"],
                erased_by=request.user,
                request=request,
            )
            self.message_user(request, f"Response {response.reference} was erased from every table.", messages.SUCCESS)
            return redirect("admin:surveys_response_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": response,
            "title": f"Erase response {response.reference}",
            "subtitle": response.survey.consultation.title,
            "form": form,
            "adminform": admin.helpers.AdminForm(form, [(None, {"fields": ["reason"]})], {}),
        }
        return TemplateResponse(request, "admin/surveys/response/erase.html", context)

    def subject_access_view(self, request, object_id):
        response = self._response_for_data_rights(request, object_id)
        services.record_access(
            request=request,
            survey=response.survey,
            kind=ExportRecord.Kind.SUBJECT_ACCESS,
            filters={"reference": response.reference},
            rows=1,
            includes_equality_data=True,
        )
        download = HttpResponse(subject_access_text(response), content_type="text/plain; charset=utf-8")
        download["Content-Disposition"] = f'attachment; filename="response-{response.reference}.txt"'
        return download

    def get_urls(self):
        site = self.admin_site
        return [
            path("<path:object_id>/erase/", site.admin_view(self.erase_view), name="surveys_response_erase"),
            path(
                "<path:object_id>/subject-access/",
                site.admin_view(self.subject_access_view),
                name="surveys_response_subject_access",
            ),
            *super().get_urls(),
        ]


@admin.register(WithdrawalRequest)
class WithdrawalRequestAdmin(PartnershipScopedMixin, admin.ModelAdmin):
    """Residents who asked to withdraw a response after its consultation closed: erase it within a month."""

    list_display = ["requested_at", "survey", "due_by", "erase_link"]
    list_select_related = ["response__survey__consultation"]
    ordering = ["requested_at"]

    @admin.display(description="Survey")
    def survey(self, request_: WithdrawalRequest) -> str:
        return request_.response.survey.consultation.title

    @admin.display(description="Erase by")
    def due_by(self, request_: WithdrawalRequest) -> str:
        return date_format(timezone.localtime(request_.requested_at) + datetime.timedelta(days=30), "j F Y")

    @admin.display(description="")
    def erase_link(self, request_: WithdrawalRequest) -> str:
        url = reverse("admin:surveys_response_erase", args=[request_.response_id])
        return format_html('<a href="{}">Erase the response</a>', url)

    def has_module_permission(self, request):
        return request.user.has_perm(ERASE)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(ERASE)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ErasureRecord)
class ErasureRecordAdmin(PartnershipScopedMixin, admin.ModelAdmin):
    """When responses were erased, how many, how and why: never what they said."""

    list_display = ["erased_at", "survey", "how", "responses", "erased_by", "reason"]
    list_filter = ["how"]
    list_select_related = ["survey__consultation", "erased_by"]

    def has_module_permission(self, request):
        return request.user.has_perm(ERASE)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(ERASE)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
