"""The survey builder's questions and their choices.

Once people have answered, changes that would corrupt their answers are refused with a plain
message: deleting an answered question or choice, changing a choice's short name (its value) or a
question's short name (its identifier), its type or its scale. Wording may always be fixed.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count

from common.admin import PublicationListMixin, RefuseDeletingAnsweredFormSet, RefuseDeletingAnsweredMixin
from common.text import pluralise
from partnerships.access import PartnershipScopedMixin, editable_partnerships, owned_by
from surveys.admin.base import SurveyListFilter
from surveys.models import Answer, Choice, Question, Section


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


class ChoiceInlineFormSet(RefuseDeletingAnsweredFormSet):
    def answered_counts(self, ids) -> dict[int, int]:
        counts = Answer.objects.filter(choice_id__in=ids).values("choice_id").annotate(count=Count("pk"))
        return dict(counts.order_by().values_list("choice_id", "count"))

    def refusal(self, choice: Choice, count: int) -> str:
        return (
            f"“{choice.label}” has been chosen in {pluralise(count, 'response')}, "
            "so it cannot be deleted. Untick “Delete”; you can still change its label."
        )

    def clean(self):
        self._refuse_choices_for_new_standard_question()
        super().clean()

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
class QuestionAdmin(RefuseDeletingAnsweredMixin, PartnershipScopedMixin, PublicationListMixin, admin.ModelAdmin):
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

    @admin.display(description="Survey", ordering="survey__consultation__title")
    def survey_title(self, question: Question) -> str:
        return question.survey.consultation.title

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        partnerships = editable_partnerships(request.user)
        if db_field.related_model is Section:
            kwargs["queryset"] = owned_by(Section.objects.select_related("survey__consultation"), partnerships)
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda section: f"{section.survey.consultation.title}: {section.title}"
            return field
        if db_field.related_model is Choice:
            kwargs["queryset"] = owned_by(Choice.objects.select_related("question"), partnerships)
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda choice: f"{choice.question.text} → {choice.label}"
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def answered_counts(self, objs) -> dict[int, int]:
        counts = Answer.objects.filter(question__in=objs).values("question_id")
        counts = counts.annotate(count=Count("response_id", distinct=True))
        return dict(counts.order_by().values_list("question_id", "count"))

    def refusal(self, question: Question, count: int) -> str:
        return f"“{question.text}” has answers in {pluralise(count, 'response')}. You can change its wording instead."
