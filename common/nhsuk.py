"""Python half of the crispy-forms "nhsuk" template pack (the templates are in templates/nhsuk/).

Extension points, documented in templates/nhsuk/README.md:

- Per-field presentation options (page heading, label or legend size, caption, conditional
  reveals, character count, ...), given either on the widget with ``nhsuk_options()`` or in
  a crispy layout with ``NHSField``. ``OPTION_NAMES`` lists them.
- ``NHSFieldset``: a crispy ``Fieldset`` whose legend can be sized or be the page heading.
- ``NHSDateField`` with its ``NHSDateInput`` widget: the NHS.UK day/month/year date input,
  with the design system's error messages.
"""

import datetime
from collections.abc import Iterable, Mapping

from crispy_forms.layout import Field, Fieldset
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.core.exceptions import ValidationError

# The widget attrs key holding a field's options. The pack removes it before any widget
# renders, so it never reaches the HTML.
OPTIONS_ATTR = "nhsuk"

OPTION_NAMES = frozenset(
    {
        "page_heading",  # bool: the label (or legend) is the page's <h1>; size defaults to "l"
        "size",  # "s", "m", "l" or "xl": size of the label, or of the legend for fieldsets
        "caption",  # str: caption shown above the question, e.g. "About you"
        "conditional",  # {choice value: field name or names}: fields revealed by that choice
        "character_count",  # textareas: False to turn off, or a limit overriding max_length
        "inline",  # radios and checkboxes side by side
        "small",  # small radios and checkboxes
        "choice_hints",  # {choice value: hint text} shown under that choice
        "exclusive",  # checkboxes: the choice value ("none") that unticks the others
        "checkbox_label",  # single checkbox: its own label; the field label becomes the legend
        "mark_optional",  # False to stop adding " (optional)" to labels of optional fields
    }
)
SIZES = ("s", "m", "l", "xl")


def check_options(options: Mapping) -> dict:
    """Validate presentation options and normalise ``conditional`` to {str(value): (names, ...)}."""
    unknown = set(options) - OPTION_NAMES
    if unknown:
        raise TypeError(f"Unknown NHS.UK field option(s): {', '.join(sorted(unknown))}")
    checked = dict(options)
    if checked.get("size") not in (None, *SIZES):
        raise ValueError(f"size must be one of {', '.join(SIZES)}, not {checked['size']!r}")
    if "conditional" in checked:
        checked["conditional"] = {
            str(value): (names,) if isinstance(names, str) else tuple(names)
            for value, names in (checked["conditional"] or {}).items()
        }
    if "choice_hints" in checked:
        checked["choice_hints"] = {str(value): hint for value, hint in (checked["choice_hints"] or {}).items()}
    return checked


def nhsuk_options(**options) -> dict:
    """Widget attrs carrying NHS.UK presentation options.

    ``forms.RadioSelect(attrs=nhsuk_options(conditional={"other": "other_detail"}))``
    """
    return {OPTIONS_ATTR: check_options(options)}


def widget_options(widget: forms.Widget) -> dict:
    return widget.attrs.get(OPTIONS_ATTR) or {}


def _target_names(conditional: Mapping[str, Iterable[str]]) -> set[str]:
    return {name for names in conditional.values() for name in names}


def conditional_targets(form: forms.BaseForm) -> set[str]:
    """Names of the fields that are revealed by a choice of another field in this form.

    Such a field is rendered only inside the field that reveals it.
    """
    targets = set(getattr(form, "_nhsuk_conditional_targets", ()))
    for field in form.fields.values():
        targets |= _target_names(widget_options(field.widget).get("conditional", {}))
    return targets


class NHSField(Field):
    """A crispy layout ``Field`` that also carries NHS.UK presentation options.

    ``NHSField("contact", conditional={"other": "other_detail"}, page_heading=True)``

    Keyword arguments named in ``OPTION_NAMES`` are options (they win over options given
    on the widget); any others become HTML attributes of the input, as with ``Field``.
    """

    def __init__(self, *fields, css_class=None, wrapper_class=None, template=None, **kwargs):
        options = {name: kwargs.pop(name) for name in list(kwargs) if name in OPTION_NAMES}
        super().__init__(*fields, css_class=css_class, wrapper_class=wrapper_class, template=template, **kwargs)
        self.options = check_options(options)

    def render(self, form, context, template_pack=TEMPLATE_PACK, extra_context=None, **kwargs):
        targets = _target_names(self.options.get("conditional", {}))
        if targets:
            # So that a revealed field named later in the layout is not drawn a second time.
            form._nhsuk_conditional_targets = set(getattr(form, "_nhsuk_conditional_targets", ())) | targets
        extra_context = {**(extra_context or {}), "nhsuk_options": self.options}
        return super().render(form, context, template_pack=template_pack, extra_context=extra_context, **kwargs)


class NHSFieldset(Fieldset):
    """A crispy ``Fieldset`` whose legend can be sized, captioned or be the page heading."""

    def __init__(self, legend, *fields, size=None, page_heading=False, caption="", **kwargs):
        super().__init__(legend, *fields, **kwargs)
        if size not in (None, *SIZES):
            raise ValueError(f"size must be one of {', '.join(SIZES)}, not {size!r}")
        self.page_heading = page_heading
        self.size = size or ("l" if page_heading else None)
        self.caption = caption


DATE_PARTS = ("day", "month", "year")

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
# People may type the month as a word: "March", "mar" or "Sept".
MONTH_NAMES = {
    **{name: number for number, name in enumerate(_MONTHS, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTHS, start=1)},
    "sept": 9,
}


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


class NHSDateInput(forms.MultiWidget):
    """Day, month and year boxes; posts ``<name>_day``, ``<name>_month`` and ``<name>_year``.

    The pack draws it as the NHS.UK date input; elsewhere it renders as three text inputs.
    """

    def __init__(self, attrs=None):
        widgets = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in DATE_PARTS}
        super().__init__(widgets, attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Ids named like the inputs (id_dob_day rather than id_dob_0), so error links read well.
        for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            if subwidget["attrs"].get("id"):
                subwidget["attrs"]["id"] = f"{context['widget']['attrs']['id']}_{part}"
        return context

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class NHSDateField(forms.Field):
    """A date entered as day, month and year, validated with NHS.UK error messages.

    ``subject`` names the date in messages: ``NHSDateField(subject="Date of birth")`` gives
    "Date of birth must include a month" and "Date of birth must be a real date". Give the
    "Enter ..." message for an empty required date in ``error_messages={"required": ...}``.
    """

    widget = NHSDateInput
    default_error_messages = {
        "required": "Enter a date",
        "incomplete": "%(subject)s must include a %(missing)s",
        "invalid": "%(subject)s must be a real date",
        "year_length": "Year must include 4 numbers",
    }

    def __init__(self, *, subject: str = "Date", **kwargs):
        self.subject = subject
        super().__init__(**kwargs)

    def _error(self, code: str, **params) -> ValidationError:
        return ValidationError(self.error_messages[code], code=code, params={"subject": self.subject, **params})

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        if value in self.empty_values:
            return None
        parts = dict(zip(DATE_PARTS, (str(part or "").strip() for part in value), strict=False))
        if not any(parts.values()):
            return None
        missing = [part for part in DATE_PARTS if not parts.get(part)]
        if missing:
            raise self._error("incomplete", missing=" and ".join(missing))
        month = parts["month"].lower()
        month = str(MONTH_NAMES[month]) if month in MONTH_NAMES else month
        if not all(_is_number(number) for number in (parts["day"], month, parts["year"])):
            raise self._error("invalid")
        if len(parts["year"]) != 4:
            raise self._error("year_length")
        try:
            return datetime.date(int(parts["year"]), int(month), int(parts["day"]))
        except ValueError:
            raise self._error("invalid") from None
