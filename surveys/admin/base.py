"""What the survey admins share: the surveys a member of staff may see, and their own pages."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest

from partnerships.access import editable_partnerships, owned_by
from surveys.models import Survey


def scoped_surveys(request: HttpRequest):
    surveys = Survey.objects.select_related("consultation")
    if request.user.is_superuser:
        return surveys
    return owned_by(surveys, editable_partnerships(request.user))


class SurveyListFilter(admin.SimpleListFilter):
    """Filter by survey, offering only the surveys this member of staff may see."""

    title = "survey"
    parameter_name = "survey"

    def lookups(self, request, model_admin):
        return [(s.pk, s.consultation.title) for s in scoped_surveys(request).order_by("consultation__title")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(survey_id=self.value())
        return queryset


class SurveyPageMixin:
    """For a SurveyAdmin's own pages (paper entry, About you): the survey by URL, and the page context."""

    def survey_or_404(self, request, object_id) -> Survey:
        survey = self.get_object(request, unquote(object_id))
        if survey is None:
            raise Http404("No survey you may edit has this ID")
        return survey

    def page_context(self, request, survey: Survey, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "survey": survey,
            "title": title,
            "subtitle": survey.consultation.title,
        }
