"""The survey builder, paper and event response entry, and review of held responses.

Every admin here is limited to the partnerships the member of staff edits. Once people have
answered, changes that would corrupt their answers are refused with a plain message: deleting
an answered question, choice or section, changing a choice's short name (its value) or a
question's short name (its identifier), its type or its scale. Wording may always be fixed.
"""

import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from consultations.admin import PROTECTED_DELETE_SELECTED_TEMPLATE, PROTECTED_DELETE_TEMPLATE
from consultations.models import Consultation
from partnerships.access import editable_partnerships
from partnerships.admin import PartnershipScopedMixin, PublicationListMixin
from partnerships.forms_nhsuk import DATE_PARTS, OPTIONS_ATTR, NHSDateInput
from surveys.about_you import IDENTIFIERS as ABOUT_YOU_IDENTIFIERS
from surveys.about_you import QUESTIONS as ABOUT_YOU_QUESTIONS
from surveys.about_you import add_about_you_section, has_about_you_section
from surveys.forms import SectionForm
from surveys.journey import survey_structure
from surveys.models import Answer, Choice, ExportRecord, Question, Response, Section, Survey
from surveys.services import review_responses, submit_response

SURVEY_PATH = "survey__consultation__partnership"


def counted(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def scoped_surveys(request: HttpRequest):
    surveys = Survey.objects.select_related("consultation")
    if request.user.is_superuser:
        return surveys
    return surveys.filter(consultation__partnership__in=editable_partnerships(request.user))


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


# Surveys and sections


class SectionInlineFormSet(BaseInlineFormSet):
    def clean(self):
        # Before Django's own checks, which would refuse with a list of every protected answer.
        self._refuse_deleting_answered_sections()
        super().clean()

    def _refuse_deleting_answered_sections(self) -> None:
        doomed = {
            form.instance.pk: form.instance
            for form in self.forms
            if form.instance.pk and hasattr(form, "cleaned_data") and self._should_delete_form(form)
        }
        if not doomed:
            return
        answered = (
            Answer.objects.filter(question__section_id__in=doomed)
            .values_list("question__section_id", flat=True)
            .distinct()
        )
        errors = [
            f"The section “{doomed[pk].title}” has questions people have already answered, so it cannot be deleted. "
            "Untick “Delete”."
            for pk in sorted(answered)
        ]
        if errors:
            raise ValidationError(errors)


class SectionInlineForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        unticked = self.initial.get("is_about_you") and not cleaned.get("is_about_you")
        if self.instance.pk and unticked and Answer.objects.filter(question__section=self.instance).exists():
            # Equality answers were given on the promise that they are only shown in aggregate.
            self.add_error(
                "is_about_you",
                "People have answered this section on the promise that their answers are only shown in groups, "
                "so it stays an ‘About you’ section",
            )
        return cleaned


class SectionInline(admin.TabularInline):
    model = Section
    form = SectionInlineForm
    formset = SectionInlineFormSet
    extra = 0
    fields = ["title", "description", "is_about_you", "order", "questions"]
    readonly_fields = ["questions"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 30})}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description="Questions")
    def questions(self, section: Section) -> str:
        if section.pk is None:
            return "Save first, then add questions"
        listing = reverse("admin:surveys_question_changelist") + f"?survey={section.survey_id}"
        add = reverse("admin:surveys_question_add") + f"?section={section.pk}"
        count = getattr(section, "question_count", None)
        if count is None:
            count = section.questions.count()
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">Add a question</a>', listing, counted(count, "question"), add
        )


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


@admin.register(Survey)
class SurveyAdmin(PartnershipScopedMixin, PublicationListMixin, admin.ModelAdmin):
    partnership_path = "consultation__partnership"
    list_display = [
        "consultation", "partnership", "counted_responses", "held_responses", "dashboard", "has_placeholder"
    ]  # fmt: skip
    list_select_related = ["consultation__partnership"]
    search_fields = ["consultation__title"]
    fields = [
        "consultation",
        "introduction",
        "who_is_collecting",
        "why_collecting",
        "retention",
        "minimum_seconds",
        "placeholder_note",
    ]
    inlines = [SectionInline]
    actions = ["add_about_you"]
    change_form_template = "admin/surveys/survey/change_form.html"
    delete_confirmation_template = PROTECTED_DELETE_TEMPLATE
    delete_selected_confirmation_template = PROTECTED_DELETE_SELECTED_TEMPLATE

    def get_queryset(self, request):
        accepted = Q(responses__status=Response.Status.ACCEPTED)
        held = Q(responses__status=Response.Status.HELD)
        return (
            super()
            .get_queryset(request)
            .annotate(counted_count=Count("responses", filter=accepted), held_count=Count("responses", filter=held))
        )

    @admin.display(description="Partnership", ordering="consultation__partnership__name")
    def partnership(self, survey: Survey):
        return survey.consultation.partnership

    @admin.display(description="Responses", ordering="counted_count")
    def counted_responses(self, survey: Survey) -> int:
        return survey.counted_count

    @admin.display(description="Held for review", ordering="held_count")
    def held_responses(self, survey: Survey) -> int:
        return survey.held_count

    def get_list_display(self, request):
        if request.user.has_perm("surveys.view_dashboard"):
            return self.list_display
        return [name for name in self.list_display if name != "dashboard"]

    @admin.display(description="Dashboard")
    def dashboard(self, survey: Survey) -> str:
        return format_html('<a href="{}">See the responses</a>', reverse("dashboard:survey", args=[survey.pk]))

    def get_readonly_fields(self, request, obj=None):
        # A survey's answers belong to its consultation: it never moves to another one.
        return ["consultation"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Consultation:
            kwargs["queryset"] = Consultation.objects.filter(
                partnership__in=editable_partnerships(request.user), survey__isnull=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_deleted_objects(self, objs, request):
        counts = Response.objects.filter(survey__in=objs).values("survey_id").annotate(count=Count("pk"))
        titles = {survey.pk: str(survey) for survey in objs}
        reasons = [
            f"“{titles[row['survey_id']]}” has {counted(row['count'], 'response')}, which must be kept."
            for row in counts
        ]
        if reasons:
            return [], {}, set(), reasons
        return super().get_deleted_objects(objs, request)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/paper-response/",
                self.admin_site.admin_view(self.paper_response_view),
                name="{}_{}_paper_response".format(*info),
            ),
            path(
                "<path:object_id>/about-you/",
                self.admin_site.admin_view(self.about_you_view),
                name="{}_{}_about_you".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        survey = self.get_object(request, unquote(object_id))
        extra = {}
        if survey is not None:
            extra = {
                "has_about_you": has_about_you_section(survey),
                "can_add_about_you": self.has_change_permission(request, survey),
                "can_enter_responses": request.user.has_perm("surveys.add_response"),
                "responses_url": reverse("admin:surveys_response_changelist") + f"?survey={survey.pk}",
                "questions_url": reverse("admin:surveys_question_changelist") + f"?survey={survey.pk}",
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def _survey_or_404(self, request, object_id) -> Survey:
        survey = self.get_object(request, unquote(object_id))
        if survey is None:
            raise Http404("No survey you may edit has this ID")
        return survey

    def _context(self, request, survey: Survey, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "survey": survey,
            "title": title,
            "subtitle": survey.consultation.title,
        }

    # The standard "About you" section

    @admin.action(description="Add the standard ‘About you’ section", permissions=["change"])
    def add_about_you(self, request, queryset):
        for survey in queryset:
            self._add_about_you(request, survey)

    def _add_about_you(self, request, survey: Survey) -> None:
        before = Question.objects.filter(survey=survey, identifier__in=ABOUT_YOU_IDENTIFIERS).count()
        section = add_about_you_section(survey)
        added = Question.objects.filter(survey=survey, identifier__in=ABOUT_YOU_IDENTIFIERS).count() - before
        name = survey.consultation.title
        if added:
            self.message_user(
                request,
                f"Added {counted(added, 'question')} to the “{section.title}” section of “{name}”. "
                "They are all optional.",
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, f"“{name}” already has the ‘About you’ section, so nothing was added.", messages.WARNING
            )

    def about_you_view(self, request, object_id) -> HttpResponse:
        survey = self._survey_or_404(request, object_id)
        if not (self.has_change_permission(request, survey) and request.user.has_perm("surveys.add_question")):
            raise PermissionDenied
        change_url = reverse("admin:surveys_survey_change", args=[survey.pk])
        if request.method == "POST":
            self._add_about_you(request, survey)
            return HttpResponseRedirect(change_url)
        context = {
            **self._context(request, survey, "Add the standard ‘About you’ section"),
            "questions": ABOUT_YOU_QUESTIONS,
            "already_added": has_about_you_section(survey),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/surveys/survey/about_you.html", context)

    # Paper and event responses

    def paper_response_view(self, request, object_id) -> HttpResponse:
        survey = self._survey_or_404(request, object_id)
        if not request.user.has_perm("surveys.add_response"):
            raise PermissionDenied
        structure = survey_structure(survey)
        for _section, questions in structure:
            for question in questions:
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
        if data is not None:
            valid = all([main_form.is_valid()] + [form.is_valid() for _section, form in section_forms])
            if valid:
                answers = {}
                for _section, form in section_forms:
                    answers.update(form.answers())
                nothing_answered = not any(value not in (None, "", [], ()) for value in answers.values())
                if not nothing_answered:
                    with transaction.atomic():
                        response, created = submit_response(
                            survey=survey,
                            answers=answers,
                            channel=main_form.cleaned_data["channel"],
                            submission_token=main_form.cleaned_data["submission_token"],
                            entered_by=request.user,
                        )
                    if created:
                        self.message_user(
                            request,
                            f"Response {response.reference} saved. You can enter the next one below.",
                            messages.SUCCESS,
                        )
                    else:
                        self.message_user(
                            request, f"This response was already saved as {response.reference}.", messages.WARNING
                        )
                    return redirect("admin:surveys_survey_paper_response", survey.pk)
        context = {
            **self._context(request, survey, "Enter a paper or event response"),
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


# Questions and choices


class ChoiceInlineForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "value" in self.changed_data and Answer.objects.filter(choice=self.instance).exists():
            self.add_error(
                "value",
                "People have already chosen this, so its short name cannot change: exports and filters use it. "
                "You can still change its label.",
            )
        return cleaned


class ChoiceInlineFormSet(BaseInlineFormSet):
    def clean(self):
        # Before Django's own checks, which would refuse with a list of every protected answer.
        self._refuse_deleting_answered_choices()
        self._refuse_choices_for_new_standard_question()
        super().clean()

    def _refuse_deleting_answered_choices(self) -> None:
        doomed = {
            form.instance.pk: form.instance
            for form in self.forms
            if form.instance.pk and hasattr(form, "cleaned_data") and self._should_delete_form(form)
        }
        if doomed:
            counts = (
                Answer.objects.filter(choice_id__in=doomed)
                .values("choice_id")
                .annotate(count=Count("pk"))
                .order_by("choice_id")
            )
            errors = [
                f"“{doomed[row['choice_id']].label}” has been chosen in {counted(row['count'], 'response')}, "
                "so it cannot be deleted. Untick “Delete”; you can still change its label."
                for row in counts
            ]
            if errors:
                raise ValidationError(errors)

    def _refuse_choices_for_new_standard_question(self) -> None:
        question = self.instance
        if not (question._state.adding and question.kind in Question.STANDARD_CHOICE_KINDS):
            return
        if any(form.has_changed() and not self._should_delete_form(form) for form in self.forms):
            raise ValidationError(
                f"“{question.get_kind_display()}” questions get their choices when you save. Save the question "
                "without choices first; then you can change their labels."
            )


class ChoiceInline(admin.TabularInline):
    model = Choice
    form = ChoiceInlineForm
    formset = ChoiceInlineFormSet
    extra = 0
    fields = ["label", "value", "order", "is_other"]
    prepopulated_fields = {"value": ["label"]}


class QuestionForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        survey_id = self.instance.survey_id if self.instance.pk else self._chosen_survey_id()
        if self.instance.pk and "section" in self.fields:
            # Answers belong to their survey: a question may move between that survey's sections only.
            self.fields["section"].queryset = self.fields["section"].queryset.filter(survey_id=survey_id)
        if survey_id and "show_if_choice" in self.fields:
            choices = self.fields["show_if_choice"].queryset.filter(question__survey_id=survey_id)
            if self.instance.pk:
                choices = choices.exclude(question_id=self.instance.pk)
            self.fields["show_if_choice"].queryset = choices

    def _chosen_survey_id(self) -> int | None:
        section = self.data.get(self.add_prefix("section")) if self.is_bound else self.initial.get("section")
        try:
            return Section.objects.filter(pk=int(section)).values_list("survey_id", flat=True).first()
        except (TypeError, ValueError):
            return None

    def clean(self):
        cleaned = super().clean()
        section = cleaned.get("section")
        if section is None:
            # The model's own checks of the condition need a section.
            cleaned.pop("show_if_choice", None)
            return cleaned
        identifier = cleaned.get("identifier")
        if identifier:
            clash = Question.objects.filter(survey_id=section.survey_id, identifier=identifier)
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error("identifier", f"Another question in this survey is already called “{identifier}”")
            elif self.instance.pk and "identifier" in self.changed_data and self.instance.has_answers():
                self.add_error(
                    "identifier",
                    "This question already has answers, so its short name cannot change: exports use it",
                )
        return cleaned


@admin.register(Question)
class QuestionAdmin(PartnershipScopedMixin, PublicationListMixin, admin.ModelAdmin):
    partnership_path = SURVEY_PATH
    form = QuestionForm
    list_display = ["text", "survey_title", "section", "order", "kind", "required", "has_placeholder"]
    list_filter = [SurveyListFilter, "kind"]
    list_select_related = ["section", "survey__consultation"]
    search_fields = ["text", "identifier"]
    inlines = [ChoiceInline]
    fieldsets = [
        (None, {"fields": ["section", "order", "text", "hint", "identifier", "kind", "required", "placeholder_note"]}),
        ("Settings for choice questions", {"fields": ["allow_other", "max_choices", "rating_scale", "show_if_choice"]}),
        ("Text and numbers", {"fields": ["max_length", "min_value", "max_value"]}),
        ("Email address", {"fields": ["email_purpose"]}),
    ]
    prepopulated_fields = {"identifier": ["text"]}
    delete_confirmation_template = PROTECTED_DELETE_TEMPLATE
    delete_selected_confirmation_template = PROTECTED_DELETE_SELECTED_TEMPLATE

    @admin.display(description="Survey", ordering="survey__consultation__title")
    def survey_title(self, question: Question) -> str:
        return question.survey.consultation.title

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        partnerships = editable_partnerships(request.user)
        if db_field.related_model is Section:
            kwargs["queryset"] = Section.objects.filter(
                survey__consultation__partnership__in=partnerships
            ).select_related("survey__consultation")
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda section: f"{section.survey.consultation.title}: {section.title}"
            return field
        if db_field.related_model is Choice:
            kwargs["queryset"] = Choice.objects.filter(
                question__survey__consultation__partnership__in=partnerships
            ).select_related("question")
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda choice: f"{choice.question.text} → {choice.label}"
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_deleted_objects(self, objs, request):
        counts = (
            Answer.objects.filter(question__in=objs)
            .values("question_id")
            .annotate(count=Count("response_id", distinct=True))
            .order_by("question_id")
        )
        texts = {question.pk: question.text for question in objs}
        reasons = [
            f"“{texts[row['question_id']]}” has answers in {counted(row['count'], 'response')}. "
            "You can change its wording instead."
            for row in counts
        ]
        if reasons:
            return [], {}, set(), reasons
        return super().get_deleted_objects(objs, request)


# Responses


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
class ResponseAdmin(PartnershipScopedMixin, admin.ModelAdmin):
    partnership_path = SURVEY_PATH
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
        return f"{counted(count, 'answer')}, not shown here: they are only ever reported in groups of 10 or more."

    def has_add_permission(self, request):
        # Paper and event responses are entered from their survey's page, all questions at once.
        return False

    def has_change_permission(self, request, obj=None):
        # Answers never change; the review status changes through the actions and review buttons.
        if obj is not None:
            return False
        return super().has_change_permission(request)

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
        extra = {"can_review": self.has_change_permission(request)}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

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
                request, f"Approved {counted(changed, 'held response')}: now counted in the results.", messages.SUCCESS
            )
        else:
            self.message_user(
                request,
                f"Rejected {counted(changed, 'held response')}: kept, but left out of the results.",
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

    list_display = ["created_at", "user", "survey", "kind", "rows", "includes_equality_data"]
    list_filter = ["kind", "includes_equality_data"]
    list_select_related = ["user", "survey__consultation"]
    readonly_fields = ["created_at", "user", "survey", "kind", "filters", "rows", "includes_equality_data"]

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
