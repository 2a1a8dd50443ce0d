"""Question kinds: everything that depends on a question's type, in one registry.

Each kind says how it is asked (its form fields), how an answer is stored (answer values), how it
is exported (its columns) and read back, and what the dashboard shows for it. To add a kind: add
it to ``Kind`` and give it an entry in ``KINDS``; a test checks every kind has one.

Nothing here touches the database or imports models: a question is used only through its fields
(``identifier``, ``text``, ``choices.all()``, ...), so the model can use this module too.
"""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.db import models

from common.nhsuk import NHSDateField, nhsuk_options
from common.validators import normalise_postcode, plain_text_only, reject_control_characters

OTHER_SUFFIX = "__other"  # "<identifier>__other": the text of an "Other, please specify" choice
CONSENT_SUFFIX = "__consent"  # "<identifier>__consent": the tick that goes with an email address
PERSONAL_DETAILS_WARNING = "Do not include personal details, such as your name, address or medical history."
DEFAULT_SHORT_TEXT_LIMIT = 200

BOROUGH_CHOICES = ["Bexley", "Bromley", "Greenwich", "Lambeth", "Lewisham", "Southwark"]
AGREEMENT_CHOICES = [
    ("strongly_agree", "Strongly agree"),
    ("agree", "Agree"),
    ("neither", "Neither agree nor disagree"),
    ("disagree", "Disagree"),
    ("strongly_disagree", "Strongly disagree"),
    ("dont_know", "Don't know"),
]
YES_NO_CHOICES = [("yes", "Yes"), ("no", "No")]


class Kind(models.TextChoices):
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text (with a character limit)"
    SINGLE_CHOICE = "single_choice", "One choice (radio buttons)"
    MULTIPLE_CHOICE = "multiple_choice", "Several choices (checkboxes)"
    AGREEMENT = "agreement", "Agreement scale (strongly agree to strongly disagree)"
    RATING = "rating", "Rating (1 to N)"
    YES_NO = "yes_no", "Yes or no"
    NUMBER = "number", "Whole number"
    DATE = "date", "Date"
    POSTCODE = "postcode", "UK postcode"
    BOROUGH = "borough", "Borough"
    EMAIL = "email", "Email address (optional, with consent)"


class Summary(models.TextChoices):
    """What the dashboard shows for a question beyond how many answered it."""

    NONE = "none"
    CHOICES = "choices"  # a count and percentage per choice
    NUMBERS = "numbers"  # count, mean, median, range and a histogram
    FREE_TEXT = "free_text"  # themes, and a link to read and search the answers


@dataclass(frozen=True)
class ExportColumn:
    """One column of the responses export: its codebook entry and the SQL that fills it.

    ``sql`` is an aggregate over one response's answer rows ``a`` (``surveys_answer``, nothing joined:
    integers where it can, so a million responses stay cheap), or with ``per_response`` an
    expression over the response ``r``. ``labels`` turns the choice id it gives into the choice's
    label; ``text`` marks people's writing, which a spreadsheet must never run as a formula.
    """

    name: str
    meaning: str
    kind: str
    allowed: str
    sql: str
    labels: tuple[tuple[int, str], ...] = ()
    text: bool = False
    per_response: bool = False


def _quoted(question) -> str:
    return f"“{question.text}”"


class TextAnswerField(forms.CharField):
    """Text with new lines stored as "\\n": browsers send "\\r\\n", which would count twice against the limit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_text_only(self)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class PostcodeField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return normalise_postcode(value) if value else value


class QuestionKind:
    """The behaviour of one kind of question. Subclasses override what differs."""

    has_choices = False
    # Standard kinds get their choices when saved (and editors may only relabel them).
    has_standard_choices = False
    # Several answer rows per response (so "answered by" counts distinct responses).
    many_answers = False
    summary = Summary.NONE

    def standard_choices(self, question) -> list[tuple[str, str]]:
        return []

    def form_fields(self, question) -> dict[str, forms.Field]:
        raise NotImplementedError

    def answer_values(self, question, value, other_text: str = "") -> list[dict]:
        """The stored answer rows for a cleaned ``value``: field values of Answer (choice, text, number, date)."""
        return [{"text": str(value)}]

    def display(self, question, value, other_text: str = "") -> str:
        """A cleaned answer as the person reads it back on "Check your answers"."""
        return str(value)

    def export_columns(self, question) -> list[ExportColumn]:
        limit = f"up to {question.max_length} characters" if question.max_length else "free text"
        return [_column(question, limit, _text_of(question), text=True)]


def _only(question) -> str:
    return f"a.question_id = {int(question.pk)}"


def _text_of(question, only_choices=None) -> str:
    """The text answer (byte order: no collation work for the single row there is)."""
    condition = _only(question)
    if only_choices is not None:
        condition += f" AND a.choice_id = ANY('{{{','.join(str(int(pk)) for pk in only_choices)}}}'::bigint[])"
    return f'max(a.text COLLATE "C") FILTER (WHERE {condition})'


def _column(question, allowed: str, sql: str, **options) -> ExportColumn:
    return ExportColumn(question.identifier, question.text, question.get_kind_display(), allowed, sql, **options)


def _common(question) -> dict:
    return {"label": question.text, "help_text": question.hint, "required": question.required}


class TextKind(QuestionKind):
    summary = Summary.FREE_TEXT

    def __init__(self, *, long: bool):
        self.long = long

    def form_fields(self, question) -> dict[str, forms.Field]:
        limit = question.max_length or DEFAULT_SHORT_TEXT_LIMIT
        field = TextAnswerField(
            **{**_common(question), "help_text": f"{question.hint} {PERSONAL_DETAILS_WARNING}".strip()},
            max_length=limit,
            widget=forms.Textarea(attrs={"rows": 5}) if self.long else forms.TextInput(),
            validators=[reject_control_characters],
            error_messages={
                "required": f"Enter your answer to {_quoted(question)}",
                "max_length": f"Your answer must be {limit} characters or fewer",
            },
        )
        return {question.identifier: field}


class ChoiceKind(QuestionKind):
    """One answer from a list: radios. Agreement scales, ratings, yes/no and borough are standard lists."""

    has_choices = True
    summary = Summary.CHOICES

    def __init__(self, standard: list[tuple[str, str]] | None = None):
        self.standard = standard
        self.has_standard_choices = standard is not None

    def standard_choices(self, question) -> list[tuple[str, str]]:
        return list(self.standard or [])

    def _field(self, question, choices, common: dict, options: dict) -> forms.Field:
        return forms.ChoiceField(
            **common,
            choices=choices,
            widget=forms.RadioSelect(attrs=nhsuk_options(**options)),
            error_messages={
                "required": f"Select an answer to {_quoted(question)}",
                "invalid_choice": "Select an answer from the list",
            },
        )

    def form_fields(self, question) -> dict[str, forms.Field]:
        choices = list(question.choices.all())
        fields = {
            question.identifier: self._field(question, [(c.value, c.label) for c in choices], *self._look(question))
        }
        if any(choice.is_other for choice in choices):
            fields[question.identifier + OTHER_SUFFIX] = TextAnswerField(
                label="Please specify",
                help_text=PERSONAL_DETAILS_WARNING,
                required=False,
                max_length=DEFAULT_SHORT_TEXT_LIMIT,
                validators=[reject_control_characters],
                error_messages={"max_length": f"Your answer must be {DEFAULT_SHORT_TEXT_LIMIT} characters or fewer"},
            )
        return fields

    def _look(self, question) -> tuple[dict, dict]:
        return _common(question), {}

    def answer_values(self, question, value, other_text: str = "") -> list[dict]:
        choices = {choice.value: choice for choice in question.choices.all()}
        rows = []
        for choice_value in [value] if isinstance(value, str) else value:
            choice = choices[choice_value]
            rows.append({"choice": choice, "text": str(other_text or "") if choice.is_other else ""})
        return rows

    def display(self, question, value, other_text: str = "") -> str:
        labels = {choice.value: choice for choice in question.choices.all()}
        chosen = [labels[v] for v in ([value] if isinstance(value, str) else value)]
        return "\n".join(f"{c.label}: {other_text}" if c.is_other and other_text else c.label for c in chosen)

    def export_columns(self, question) -> list[ExportColumn]:
        choices = question.choices.all()
        allowed = "; ".join(choice.label for choice in choices)
        labels = tuple((choice.pk, choice.label) for choice in choices)
        sql = f"max(a.choice_id) FILTER (WHERE {_only(question)})"
        return [_column(question, allowed, sql, labels=labels), *self._other(question)]

    def _other(self, question) -> list[ExportColumn]:
        if not question.allow_other:
            return []
        others = [choice.pk for choice in question.choices.all() if choice.is_other]
        return [
            ExportColumn(
                f"{question.identifier}__other_text",
                f"{question.text}: what people wrote for “Other”",
                "text",
                "free text",
                _text_of(question, only_choices=others),
                text=True,
            )
        ]


class RatingKind(ChoiceKind):
    def __init__(self):
        super().__init__(standard=[])

    def standard_choices(self, question) -> list[tuple[str, str]]:
        return [(str(n), str(n)) for n in range(1, question.rating_scale + 1)]

    def _look(self, question) -> tuple[dict, dict]:
        count = len(question.choices.all())
        hint = f"{question.hint} 1 is the lowest score, {count} the highest.".strip()
        return {**_common(question), "help_text": hint}, {"inline": True}


class MultipleChoiceKind(ChoiceKind):
    many_answers = True

    def _field(self, question, choices, common: dict, options: dict) -> forms.Field:
        limit = f" (up to {question.max_choices})" if question.max_choices else ""
        return forms.MultipleChoiceField(
            **common,
            choices=choices,
            widget=forms.CheckboxSelectMultiple(attrs=nhsuk_options(**options)),
            error_messages={
                "required": f"Select at least one answer{limit} to {_quoted(question)}",
                "invalid_choice": "Select answers from the list",
            },
        )

    def export_columns(self, question) -> list[ExportColumn]:
        only = _only(question)
        columns = [
            ExportColumn(
                f"{question.identifier}__{choice.value}",
                f"{question.text}: {choice.label}",
                "ticked (1) or not (0); empty if the question was not answered",
                "1, 0",
                f"max((a.choice_id = {int(choice.pk)})::int) FILTER (WHERE {only})",
            )
            for choice in question.choices.all()
        ]
        return [*columns, *self._other(question)]


_SECOND_PERSON = {"you": "me", "your": "my", "yours": "mine", "yourself": "myself"}


def in_my_words(purpose: str) -> str:
    """An email purpose written to the resident ("to invite you to ...") as they agree to it
    ("to invite me to ..."): the hint says it in the site's words, the tick box in theirs."""
    return re.sub(
        r"\b(you|your|yours|yourself)\b",
        lambda match: _SECOND_PERSON[match.group(1).lower()],
        purpose,
        flags=re.IGNORECASE,
    )


# What the answer table's integer column holds: a question without bounds still accepts no more.
SMALLEST_NUMBER, LARGEST_NUMBER = -(2**31), 2**31 - 1
TOO_SMALL = "Enter a whole number of %(limit_value)s or more"
TOO_LARGE = "Enter a smaller whole number, of %(limit_value)s or less"


class NumberKind(QuestionKind):
    summary = Summary.NUMBERS

    def form_fields(self, question) -> dict[str, forms.Field]:
        bounds = ""
        if question.min_value is not None and question.max_value is not None:
            bounds = f" between {question.min_value} and {question.max_value}"
        lowest = question.min_value if question.min_value is not None else SMALLEST_NUMBER
        highest = question.max_value if question.max_value is not None else LARGEST_NUMBER
        field = forms.IntegerField(
            **_common(question),
            min_value=max(lowest, SMALLEST_NUMBER),
            max_value=min(highest, LARGEST_NUMBER),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-5"}),
            error_messages={
                "required": f"Enter a whole number{bounds}",
                "invalid": f"Enter a whole number{bounds}, like {question.min_value or 12}",
                "min_value": f"Enter a whole number{bounds}"
                if bounds
                else "Enter a whole number of %(limit_value)s or more",
                "max_value": f"Enter a whole number{bounds}"
                if bounds
                else "Enter a smaller whole number, of %(limit_value)s or less",
            },
        )
        return {question.identifier: field}

    def answer_values(self, question, value, other_text: str = "") -> list[dict]:
        return [{"number": int(value)}]

    def export_columns(self, question) -> list[ExportColumn]:
        low = question.min_value if question.min_value is not None else ""
        bounds = f"{low} to {question.max_value or ''}".strip()
        return [_column(question, bounds, f"max(a.number) FILTER (WHERE {_only(question)})")]


class DateKind(QuestionKind):
    def form_fields(self, question) -> dict[str, forms.Field]:
        field = NHSDateField(**_common(question), error_messages={"required": f"Enter a date for {_quoted(question)}"})
        return {question.identifier: field}

    def answer_values(self, question, value, other_text: str = "") -> list[dict]:
        date = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
        return [{"date": date}]

    def display(self, question, value, other_text: str = "") -> str:
        return value.strftime("%-d %B %Y")

    def export_columns(self, question) -> list[ExportColumn]:
        sql = f"to_char(max(a.date) FILTER (WHERE {_only(question)}), 'YYYY-MM-DD')"
        return [_column(question, "YYYY-MM-DD", sql)]


class PostcodeKind(QuestionKind):
    def form_fields(self, question) -> dict[str, forms.Field]:
        field = PostcodeField(
            **_common(question),
            max_length=10,
            widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "nhsuk-input--width-10"}),
            validators=[reject_control_characters],
            error_messages={
                "required": "Enter your postcode",
                "max_length": "Enter a full UK postcode, like SE10 9GB",
            },
        )
        return {question.identifier: field}


class EmailKind(QuestionKind):
    """Always optional, with a stated purpose and a consent tick; kept only with the tick."""

    def form_fields(self, question) -> dict[str, forms.Field]:
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
                attrs=nhsuk_options(checkbox_label=f"I agree to be emailed {in_my_words(question.email_purpose)}")
            ),
        )
        return {question.identifier: email, question.identifier + CONSENT_SUFFIX: consent}


KINDS: dict[str, QuestionKind] = {
    Kind.SHORT_TEXT: TextKind(long=False),
    Kind.LONG_TEXT: TextKind(long=True),
    Kind.SINGLE_CHOICE: ChoiceKind(),
    Kind.MULTIPLE_CHOICE: MultipleChoiceKind(),
    Kind.AGREEMENT: ChoiceKind(standard=AGREEMENT_CHOICES),
    Kind.RATING: RatingKind(),
    Kind.YES_NO: ChoiceKind(standard=YES_NO_CHOICES),
    Kind.NUMBER: NumberKind(),
    Kind.DATE: DateKind(),
    Kind.POSTCODE: PostcodeKind(),
    Kind.BOROUGH: ChoiceKind(
        standard=[(name.lower(), name) for name in BOROUGH_CHOICES]
        + [("another_borough", "Another borough"), ("prefer_not_to_say", "Prefer not to say")]
    ),
    Kind.EMAIL: EmailKind(),
}
CHOICE_KINDS = frozenset(kind for kind, behaviour in KINDS.items() if behaviour.has_choices)
STANDARD_CHOICE_KINDS = frozenset(kind for kind, behaviour in KINDS.items() if behaviour.has_standard_choices)
FREE_TEXT_KINDS = frozenset(kind for kind, behaviour in KINDS.items() if behaviour.summary == Summary.FREE_TEXT)


def kind_of(question) -> QuestionKind:
    return KINDS[question.kind]
