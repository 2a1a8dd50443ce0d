"""Adding the standard "About you" (equality monitoring) section to a survey, from its admin page."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from common.text import pluralise
from surveys.about_you import IDENTIFIERS, QUESTIONS, add_about_you_section, has_about_you_section
from surveys.models import Question, Survey


class AboutYouAdminMixin:
    """For SurveyAdmin: an action and a page that add the standard section (see surveys.about_you)."""

    @admin.action(description="Add the standard ‘About you’ section", permissions=["change"])
    def add_about_you(self, request, queryset):
        for survey in queryset:
            self._add_about_you(request, survey)

    def _add_about_you(self, request, survey: Survey) -> None:
        before = Question.objects.filter(survey=survey, identifier__in=IDENTIFIERS).count()
        section = add_about_you_section(survey)
        added = Question.objects.filter(survey=survey, identifier__in=IDENTIFIERS).count() - before
        name = survey.consultation.title
        if added:
            self.message_user(
                request,
                f"Added {pluralise(added, 'question')} to the “{section.title}” section of “{name}”. "
                "They are all optional.",
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, f"“{name}” already has the ‘About you’ section, so nothing was added.", messages.WARNING
            )

    def about_you_view(self, request, object_id) -> HttpResponse:
        survey = self.survey_or_404(request, object_id)
        if not (self.has_change_permission(request, survey) and request.user.has_perm("surveys.add_question")):
            raise PermissionDenied
        change_url = reverse("admin:surveys_survey_change", args=[survey.pk])
        if request.method == "POST":
            self._add_about_you(request, survey)
            return HttpResponseRedirect(change_url)
        context = {
            **self.page_context(request, survey, "Add the standard ‘About you’ section"),
            "questions": QUESTIONS,
            "already_added": has_about_you_section(survey),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/surveys/survey/about_you.html", context)

    def get_urls(self):
        view = self.admin_site.admin_view(self.about_you_view)
        return [path("<path:object_id>/about-you/", view, name="surveys_survey_about_you"), *super().get_urls()]
