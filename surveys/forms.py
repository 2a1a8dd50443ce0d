"""One form class that builds a survey page's fields from its Question rows (through surveys.kinds)."""

import re

from django import forms

from common.nhsuk import nhsuk_options, widget_options
from surveys.kinds import CONSENT_SUFFIX, OTHER_SUFFIX, kind_of
from surveys.models import REFERENCE_ALPHABET, REFERENCE_LENGTH, Question

REFERENCE = re.compile(f"[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}")
REFERENCE_FORMAT = f"Enter your reference as it was shown: {REFERENCE_LENGTH} letters and numbers, like HTK47QMB2C"


class SectionForm(forms.Form):
    """The visible questions of one survey section (page).

    A question shown only after a given choice of a question on the same page is drawn inside
    that choice (the NHS.UK conditional reveal) and is required only when that choice is made;
    questions shown after a choice on an earlier page are left out by the caller when that
    choice was not made.
    """

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = {question.identifier: question for question in questions}
        self.reveals: dict[str, tuple[str, int]] = {}  # revealed field -> (field revealing it, choice id)
        for question in questions:
            self.fields.update(kind_of(question).form_fields(question))
            self._set_option(question.identifier, size="m")
            other = next((c for c in question.choices.all() if c.is_other), None) if question.is_choice else None
            if other is not None:
                # "Please specify" is revealed by choosing "Other".
                self.reveals[question.identifier + OTHER_SUFFIX] = (question.identifier, other.pk)
        self._attach_conditional_reveals(questions)

    def _set_option(self, name: str, **options) -> None:
        widget = self.fields[name].widget
        widget.attrs.update(nhsuk_options(**{**widget_options(widget), **options}))

    def _attach_conditional_reveals(self, questions: list[Question]) -> None:
        choice_owner = {choice.pk: q.identifier for q in questions if q.is_choice for choice in q.choices.all()}
        for question in questions:
            if question.show_if_choice_id in choice_owner:
                for name in [question.identifier, question.identifier + CONSENT_SUFFIX]:
                    if name in self.fields:
                        self.reveals[name] = (choice_owner[question.show_if_choice_id], question.show_if_choice_id)
                        self.fields[name].required = False
        choice_values = {choice.pk: choice.value for q in questions if q.is_choice for choice in q.choices.all()}
        by_trigger: dict[str, dict[str, list[str]]] = {}
        for revealed, (trigger, choice_id) in self.reveals.items():
            by_trigger.setdefault(trigger, {}).setdefault(choice_values[choice_id], []).append(revealed)
        for trigger, conditional in by_trigger.items():
            self._set_option(trigger, conditional=conditional)

    def asked_questions(self) -> list[Question]:
        """The page's questions this person was asked (after validation): a follow-up question whose
        choice was not made was never shown, so "Check your answers" does not list it."""
        return [
            question
            for name, question in self.questions.items()
            if name not in self.reveals or self._trigger_selected(name)
        ]

    def _trigger_selected(self, revealed: str) -> bool:
        trigger, choice_id = self.reveals[revealed]
        value = self.cleaned_data.get(trigger)
        values = value if isinstance(value, list) else [value]
        choice_value = next(
            choice.value for q in self.questions.values() if q.is_choice for choice in q.choices.all()
            if choice.pk == choice_id
        )  # fmt: skip
        return choice_value in values

    def clean(self):
        cleaned = super().clean()
        for revealed in self.reveals:
            if not self._trigger_selected(revealed):
                cleaned.pop(revealed, None)
                self.errors.pop(revealed, None)
                continue
            question = self.questions.get(revealed)
            if revealed.endswith(OTHER_SUFFIX) and not cleaned.get(revealed) and revealed not in self.errors:
                self.add_error(revealed, "Tell us your other answer")
            elif question and question.required and cleaned.get(revealed) in (None, "", []):
                self.add_error(revealed, self.fields[revealed].error_messages["required"])
        for name, question in self.questions.items():
            too_many = question.max_choices and len(cleaned.get(name) or []) > question.max_choices
            if question.kind == Question.Kind.MULTIPLE_CHOICE and too_many:
                self.add_error(name, f"Select no more than {question.max_choices} answers")
            if question.kind == Question.Kind.EMAIL and cleaned.get(name) and not cleaned.get(name + CONSENT_SUFFIX):
                self.add_error(
                    name + CONSENT_SUFFIX,
                    "Tick the box to agree to be emailed, or leave the email address empty",
                )
        return cleaned

    def answers(self) -> dict[str, object]:
        """The cleaned answers keyed by question identifier (consent ticks dropped, email only with consent)."""
        answers = {}
        for name, value in self.cleaned_data.items():
            if name.endswith(CONSENT_SUFFIX):
                continue
            question = self.questions.get(name)
            if question and question.kind == Question.Kind.EMAIL and not self.cleaned_data.get(name + CONSENT_SUFFIX):
                continue
            answers[name] = value
        return answers


class ReferenceForm(forms.Form):
    """A response's reference, as residents type it (spaces, dashes and lower case are fine)."""

    reference = forms.CharField(
        label="Your reference",
        max_length=30,
        help_text="It was on the page you saw after sending your answers, like HTK4 7QMB 2C.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
                "class": "nhsuk-input--width-20",
            }
        ),
        error_messages={"required": "Enter your reference", "max_length": REFERENCE_FORMAT},
    )

    def clean_reference(self) -> str:
        reference = re.sub(r"[\s\-]", "", self.cleaned_data["reference"]).upper()
        if not REFERENCE.fullmatch(reference):
            raise forms.ValidationError(REFERENCE_FORMAT)
        return reference
