"""One form class that builds a survey page's fields from its Question rows."""

from django import forms

from partnerships.forms_nhsuk import NHSDateField, nhsuk_options, widget_options
from surveys.models import Choice, Question
from surveys.services import OTHER_SUFFIX
from surveys.validators import normalise_postcode, reject_control_characters

CONSENT_SUFFIX = "__consent"
PERSONAL_DETAILS_WARNING = "Do not include personal details, such as your name, address or medical history."
DEFAULT_SHORT_TEXT_LIMIT = 200


def _quoted(question: Question) -> str:
    return f"“{question.text}”"


class TextAnswerField(forms.CharField):
    """Text with new lines stored as "\\n": browsers send "\\r\\n", which would count twice against the limit."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class PostcodeField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return normalise_postcode(value) if value else value


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
            self.fields.update(self._fields_for(question))
            self._set_option(question.identifier, size="m")
        self._attach_conditional_reveals(questions)

    def _set_option(self, name: str, **options) -> None:
        widget = self.fields[name].widget
        widget.attrs.update(nhsuk_options(**{**widget_options(widget), **options}))

    def _fields_for(self, question: Question) -> dict[str, forms.Field]:
        common = {"label": question.text, "help_text": question.hint, "required": question.required}
        name = question.identifier
        kind = question.kind
        Kind = Question.Kind
        if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
            limit = question.max_length or DEFAULT_SHORT_TEXT_LIMIT
            widget = forms.Textarea(attrs={"rows": 5}) if kind == Kind.LONG_TEXT else forms.TextInput()
            hint = f"{question.hint} {PERSONAL_DETAILS_WARNING}".strip()
            field = TextAnswerField(
                **{**common, "help_text": hint},
                max_length=limit,
                widget=widget,
                validators=[reject_control_characters],
                error_messages={
                    "required": f"Enter your answer to {_quoted(question)}",
                    "max_length": f"Your answer must be {limit} characters or fewer",
                },
            )
            return {name: field}
        if question.is_choice:
            return self._choice_fields(question, common)
        if kind == Kind.NUMBER:
            bounds = ""
            if question.min_value is not None and question.max_value is not None:
                bounds = f" between {question.min_value} and {question.max_value}"
            field = forms.IntegerField(
                **common,
                min_value=question.min_value,
                max_value=question.max_value,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-5"}),
                error_messages={
                    "required": f"Enter a whole number{bounds}",
                    "invalid": f"Enter a whole number{bounds}, like {question.min_value or 12}",
                    "min_value": f"Enter a whole number{bounds or ' of %(limit_value)s or more'}",
                    "max_value": f"Enter a whole number{bounds or ' of %(limit_value)s or less'}",
                },
            )
            return {name: field}
        if kind == Kind.DATE:
            field = NHSDateField(**common, error_messages={"required": f"Enter a date for {_quoted(question)}"})
            return {name: field}
        if kind == Kind.POSTCODE:
            field = PostcodeField(
                **common,
                max_length=10,
                widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "nhsuk-input--width-10"}),
                validators=[reject_control_characters],
                error_messages={
                    "required": "Enter your postcode",
                    "max_length": "Enter a full UK postcode, like SE10 9GB",
                },
            )
            return {name: field}
        if kind == Kind.EMAIL:
            email = forms.EmailField(
                label=question.text,
                help_text=f"{question.hint} We will only use it {question.email_purpose}".strip(),
                required=False,
                widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
                error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
            )
            consent = forms.BooleanField(
                label="Permission to email you",
                required=False,
                widget=forms.CheckboxInput(
                    attrs=nhsuk_options(checkbox_label=f"I agree to be emailed {question.email_purpose}")
                ),
            )
            return {name: email, name + CONSENT_SUFFIX: consent}
        raise ValueError(f"Unknown question type {kind!r}")

    def _choice_fields(self, question: Question, common: dict) -> dict[str, forms.Field]:
        choices: list[Choice] = list(question.choices.all())
        name = question.identifier
        options = {}
        if question.kind == Question.Kind.RATING:
            options = {"inline": True}
            common = {
                **common,
                "help_text": f"{question.hint} 1 is the lowest score, {len(choices)} the highest.".strip(),
            }
        fields: dict[str, forms.Field] = {}
        if question.kind == Question.Kind.MULTIPLE_CHOICE:
            limit = f" (up to {question.max_choices})" if question.max_choices else ""
            fields[name] = forms.MultipleChoiceField(
                **common,
                choices=[(choice.value, choice.label) for choice in choices],
                widget=forms.CheckboxSelectMultiple(attrs=nhsuk_options(**options)),
                error_messages={
                    "required": f"Select at least one answer{limit} to {_quoted(question)}",
                    "invalid_choice": "Select answers from the list",
                },
            )
        else:
            fields[name] = forms.ChoiceField(
                **common,
                choices=[(choice.value, choice.label) for choice in choices],
                widget=forms.RadioSelect(attrs=nhsuk_options(**options)),
                error_messages={
                    "required": f"Select an answer to {_quoted(question)}",
                    "invalid_choice": "Select an answer from the list",
                },
            )
        other = next((choice for choice in choices if choice.is_other), None)
        if other:
            other_name = name + OTHER_SUFFIX
            fields[other_name] = TextAnswerField(
                label="Please specify",
                help_text=PERSONAL_DETAILS_WARNING,
                required=False,
                max_length=DEFAULT_SHORT_TEXT_LIMIT,
                validators=[reject_control_characters],
                error_messages={"max_length": f"Your answer must be {DEFAULT_SHORT_TEXT_LIMIT} characters or fewer"},
            )
            self.reveals[other_name] = (name, other.pk)
        return fields

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
