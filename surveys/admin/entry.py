"""Entering paper and event responses: every question of the survey on one admin page."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import path, reverse

from common.nhsuk import DATE_PARTS, OPTIONS_ATTR, NHSDateInput
from surveys.forms import SectionForm
from surveys.models import Response
from surveys.services import submit_response
from surveys.structure import read_structure


class PaperResponseForm(forms.Form):
    channel = forms.ChoiceField(
        label="How was this response received?",
        choices=[(c.value, c.label) for c in (Response.Channel.PAPER, Response.Channel.EVENT, Response.Channel.EMAIL)],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how this response was received"},
    )
    # Sent twice (a double click, the browser's back button), the same form stores one response.
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)


def _plain_widgets(form: forms.Form) -> forms.Form:
    """Make a public survey form fit the admin: drop the NHS.UK options, label the date boxes."""
    for field in form.fields.values():
        field.widget.attrs.pop(OPTIONS_ATTR, None)
        if isinstance(field.widget, NHSDateInput):
            for part, widget in zip(DATE_PARTS, field.widget.widgets, strict=True):
                widget.attrs.update({"aria-label": part.capitalize(), "placeholder": part.capitalize(), "size": 5})
    return form


class PaperEntryAdminMixin:
    """For SurveyAdmin: a page to type in a response received on paper, at an event or by email."""

    def paper_response_view(self, request, object_id) -> HttpResponse:
        survey = self.survey_or_404(request, object_id)
        if not request.user.has_perm("surveys.add_response"):
            raise PermissionDenied
        structure = read_structure(survey)
        for question in structure.questions.values():
            # People skip questions on paper too: staff type in what is there, and nothing more.
            question.required = False
        data = request.POST if request.method == "POST" else None
        main_form = PaperResponseForm(data, initial={"submission_token": uuid.uuid4()})
        section_forms = [
            (
                section,
                _plain_widgets(SectionForm(data, questions=questions, prefix=f"section-{section.pk}", label_suffix="")),
            )
            for section, questions in structure
            if questions
        ]
        nothing_answered = False
        if data is not None and all([main_form.is_valid()] + [form.is_valid() for _section, form in section_forms]):
            answers = {}
            for _section, form in section_forms:
                answers.update(form.answers())
            nothing_answered = not any(value not in (None, "", [], ()) for value in answers.values())
            if not nothing_answered:
                response, created = submit_response(
                    survey=survey,
                    answers=answers,
                    channel=main_form.cleaned_data["channel"],
                    submission_token=main_form.cleaned_data["submission_token"],
                    entered_by=request.user,
                )
                if created:
                    message = f"Response {response.reference} saved. You can enter the next one below."
                    self.message_user(request, message, messages.SUCCESS)
                else:
                    message = f"This response was already saved as {response.reference}."
                    self.message_user(request, message, messages.WARNING)
                return redirect("admin:surveys_survey_paper_response", survey.pk)
        context = {
            **self.page_context(request, survey, "Enter a paper or event response"),
            "main_adminform": helpers.AdminForm(main_form, [(None, {"fields": list(main_form.fields)})], {}),
            "section_adminforms": [
                helpers.AdminForm(
                    form,
                    [(section.title, {"fields": list(form.fields), "description": linebreaksbr(section.description)})],
                    {},
                )
                for section, form in section_forms
            ],
            "has_errors": bool(main_form.errors) or any(form.errors for _section, form in section_forms),
            "nothing_answered": nothing_answered,
            "change_url": reverse("admin:surveys_survey_change", args=[survey.pk]),
        }
        return TemplateResponse(request, "admin/surveys/survey/paper_response.html", context)

    def get_urls(self):
        view = self.admin_site.admin_view(self.paper_response_view)
        return [
            path("<path:object_id>/paper-response/", view, name="surveys_survey_paper_response"),
            *super().get_urls(),
        ]
