"""Template tags behind the crispy-forms "nhsuk" template pack (templates/nhsuk/).

``nhsuk_field`` turns a bound field into a ``FieldView``: every id, class, attribute and
choice item the NHS.UK markup needs. The rules (ids, the order of aria-describedby, which
date box is in error, conditional reveals) live here, so the templates stay plain markup.
"""

import copy
import re
from dataclasses import dataclass, field

from django import forms, template
from django.core.exceptions import ImproperlyConfigured
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from common.nhsuk import (
    DATE_PARTS,
    OPTIONS_ATTR,
    NHSDateInput,
    check_options,
    conditional_targets,
    widget_options,
)

register = template.Library()

# Attributes the pack sets itself; a widget's own values for these are not copied onto
# choice items or date boxes.
_OWN_ATTRS = frozenset(
    {"id", "class", "type", "name", "value", "checked", "required", "aria-invalid", "aria-describedby", OPTIONS_ATTR}
)
_DATE_WIDTHS = {"day": 2, "month": 2, "year": 4}
FIELDSET_KINDS = ("radios", "checkboxes", "checkbox", "date")


@dataclass
class ChoiceItem:
    id: str
    value: str
    label: str
    checked: bool
    attrs: str = ""
    hint: str = ""
    hint_id: str = ""
    behaviour: str = ""
    divider: str = ""
    conditional_id: str = ""
    conditional_html: str = ""


@dataclass
class DatePart:
    id: str
    name: str
    label: str
    value: str
    width: int
    error: bool
    attrs: str = ""


@dataclass
class FieldView:
    """What the pack's templates need to draw one field."""

    field: BoundField
    kind: str  # hidden, input, textarea, select, file, radios, checkboxes, checkbox or date
    id: str
    skip: bool = False  # revealed by another field's choice, so drawn inside that field
    label: str = ""
    label_classes: str = "nhsuk-label"
    legend_classes: str = "nhsuk-fieldset__legend"
    page_heading: bool = False
    caption: str = ""
    caption_classes: str = ""
    hint: str = ""
    hint_id: str = ""
    errors: list = field(default_factory=list)
    error_id: str = ""
    describedby: str = ""
    group_classes: str = "nhsuk-form-group"
    group_attrs: str = ""
    control: str = ""
    prefix: str = ""
    suffix: str = ""
    count_id: str = ""
    count_message: str = ""
    component: str = ""  # nhsuk-radios or nhsuk-checkboxes
    component_classes: str = ""
    input_type: str = ""  # radio or checkbox
    items: list = field(default_factory=list)
    date_parts: list = field(default_factory=list)

    @property
    def is_fieldset(self) -> bool:
        return self.kind in FIELDSET_KINDS


def field_kind(bound_field: BoundField) -> str:
    widget = bound_field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, NHSDateInput):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


def field_id(bound_field: BoundField) -> str:
    """The id of the field's input (for radios and checkboxes: of the first choice)."""
    return bound_field.field.widget.attrs.get("id") or bound_field.auto_id or bound_field.html_name


def _classes(*names) -> str:
    return " ".join(name for name in names if name)


def _extra_attrs(attrs: dict) -> SafeString:
    return flatatt({name: value for name, value in attrs.items() if name not in _OWN_ATTRS})


def _render_widget(bound_field: BoundField, attrs: dict, *, drop: tuple = ()) -> SafeString:
    """Render the field's own widget with the pack's classes and aria attributes added."""
    widget = copy.copy(bound_field.field.widget)
    widget.attrs = {name: value for name, value in widget.attrs.items() if name != OPTIONS_ATTR and name not in drop}
    if "class" in attrs:
        attrs["class"] = _classes(attrs["class"], widget.attrs.get("class"))
    return bound_field.as_widget(widget=widget, attrs=attrs)


def _date_error_parts(bound_field: BoundField) -> set[str]:
    """The date boxes to mark as in error: only the missing ones when the date is incomplete."""
    codes = {error.code for error in bound_field.form.errors.as_data().get(bound_field.name, [])}
    value = bound_field.value()
    if codes == {"incomplete"} and isinstance(value, list | tuple):
        return {part for part, typed in zip(DATE_PARTS, value, strict=False) if not str(typed or "").strip()}
    if codes == {"year_length"}:
        return {"year"}
    return set(DATE_PARTS)


def error_target_id(bound_field: BoundField) -> str:
    """Where the error summary's link for this field goes: the first input in error."""
    if isinstance(bound_field.field.widget, NHSDateInput):
        parts = _date_error_parts(bound_field)
        first = next((part for part in DATE_PARTS if part in parts), DATE_PARTS[0])
        return f"{field_id(bound_field)}_{first}"
    return field_id(bound_field)


def _render_conditional(form: forms.BaseForm, names: tuple, context) -> SafeString:
    """Draw the fields revealed by one choice, each as a normal NHS.UK form group."""
    field_template = get_template("nhsuk/field.html")
    html = []
    for name in names:
        if name not in form.fields:
            raise ImproperlyConfigured(
                f"Conditional reveal names {name!r}, which is not a field of {type(form).__name__}"
            )
        html.append(
            field_template.render(
                {
                    "field": form[name],
                    "form_show_errors": context.get("form_show_errors", True),
                    "form_show_labels": context.get("form_show_labels", True),
                    "nhsuk_conditional_child": True,
                }
            )
        )
    return mark_safe("".join(html))  # each part came from an autoescaping template


def _choice_items(view: FieldView, bound_field: BoundField, options: dict, context) -> list[ChoiceItem]:
    conditional = options.get("conditional", {})
    hints = options.get("choice_hints", {})
    exclusive = options.get("exclusive")
    items = []
    # A blank choice ("---------") means nothing as a radio or checkbox.
    choices = [subwidget for subwidget in bound_field.subwidgets if str(subwidget.data["value"]) != ""]
    for number, subwidget in enumerate(choices, start=1):
        value = str(subwidget.data["value"])
        # The first id is the field's own, so that error summary links land on it.
        item_id = view.id if number == 1 else f"{view.id}-{number}"
        item = ChoiceItem(
            id=item_id,
            value=value,
            label=subwidget.data["label"],
            checked=bool(subwidget.data["selected"]),
            attrs=_extra_attrs(subwidget.data["attrs"]),
        )
        if value in hints:
            item.hint, item.hint_id = hints[value], f"{item_id}-item-hint"
        if view.kind == "checkboxes" and exclusive is not None and value == str(exclusive):
            item.behaviour, item.divider = "exclusive", "or"
        if value in conditional:
            item.conditional_id = f"conditional-{item_id}"
            item.conditional_html = _render_conditional(bound_field.form, conditional[value], context)
        items.append(item)
    return items


def _single_checkbox(view: FieldView, bound_field: BoundField, options: dict, context) -> list[ChoiceItem]:
    widget = bound_field.field.widget
    value = bound_field.value()
    attrs = dict(widget.attrs)
    if bound_field.field.disabled:
        attrs["disabled"] = True
    item = ChoiceItem(
        id=view.id,
        value=widget.format_value(value) or "true",
        label=options.get("checkbox_label") or bound_field.label,
        checked=bool(widget.check_test(value)),
        attrs=_extra_attrs(attrs),
    )
    names = options.get("conditional", {}).get("True")
    if names:
        item.conditional_id = f"conditional-{view.id}"
        item.conditional_html = _render_conditional(bound_field.form, names, context)
    return [item]


def _date_parts(view: FieldView, bound_field: BoundField) -> list[DatePart]:
    widget = bound_field.field.widget
    context = widget.get_context(bound_field.html_name, bound_field.value(), {"id": view.id})
    error_parts = _date_error_parts(bound_field) if view.errors else set()
    parts = []
    for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
        attrs = {name: value for name, value in subwidget["attrs"].items() if name != "inputmode"}
        if bound_field.field.disabled:
            attrs["disabled"] = True
        parts.append(
            DatePart(
                id=subwidget["attrs"]["id"],
                name=subwidget["name"],
                label=part.capitalize(),
                value=subwidget["value"] or "",
                width=_DATE_WIDTHS[part],
                error=part in error_parts,
                attrs=_extra_attrs(attrs),
            )
        )
    return parts


def _character_limit(bound_field: BoundField, options: dict) -> int | None:
    setting = options.get("character_count")
    if setting is False:
        return None
    if isinstance(setting, int) and not isinstance(setting, bool):
        return setting
    limit = getattr(bound_field.field, "max_length", None)
    if setting is True and not limit:
        raise ImproperlyConfigured(f"{bound_field.name}: character_count=True needs max_length or a number")
    return limit


@register.simple_tag(takes_context=True)
def nhsuk_field(context, bound_field: BoundField) -> FieldView:
    """Everything field.html needs to draw ``bound_field`` as NHS.UK markup."""
    widget = bound_field.field.widget
    options = {**check_options(widget_options(widget)), **(context.get("nhsuk_options") or {})}
    kind = field_kind(bound_field)
    view = FieldView(field=bound_field, kind=kind, id=field_id(bound_field))

    if kind == "hidden":
        view.control = _render_widget(bound_field, {})
        return view
    in_conditional = bool(context.get("nhsuk_conditional_child"))
    if not in_conditional and bound_field.name in conditional_targets(bound_field.form):
        view.skip = True
        return view

    # Label or legend.
    view.label = bound_field.label or ""
    optional = not bound_field.field.required and kind != "checkbox" and not in_conditional
    if optional and options.get("mark_optional", True) and view.label and not view.label.endswith("(optional)"):
        view.label = format_html("{} (optional)", view.label)
    view.page_heading = bool(options.get("page_heading"))
    size = options.get("size") or ("l" if view.page_heading else None)
    hide_label = context.get("form_show_labels", True) is False
    if kind == "checkbox" and not options.get("checkbox_label") and not view.page_heading:
        # The checkbox carries the label itself; the legend is there for screen readers.
        hide_label = True
    hidden = "nhsuk-u-visually-hidden" if hide_label else ""
    view.label_classes = _classes("nhsuk-label", size and f"nhsuk-label--{size}", context.get("label_class"), hidden)
    view.legend_classes = _classes("nhsuk-fieldset__legend", size and f"nhsuk-fieldset__legend--{size}", hidden)
    view.caption = options.get("caption") or ""
    view.caption_classes = f"nhsuk-caption-{size}" if size in ("m", "l", "xl") else "nhsuk-caption"

    # Hint, errors and the ids that tie them to the input (or the fieldset).
    described = [widget.attrs.get("aria-describedby", "")]
    limit = _character_limit(bound_field, options) if kind == "textarea" else None
    if limit:
        view.count_id = f"{view.id}-info"
        view.count_message = f"You can enter up to {limit} characters"
        described.append(view.count_id)
    if bound_field.help_text:
        view.hint, view.hint_id = bound_field.help_text, f"{view.id}-hint"
        described.append(view.hint_id)
    if context.get("form_show_errors", True) is not False and bound_field.errors:
        view.errors, view.error_id = list(bound_field.errors), f"{view.id}-error"
        described.append(view.error_id)
    view.describedby = _classes(*described)
    has_error = bool(view.errors)

    group_attrs = {}
    extra_group_class = ""
    if limit:
        extra_group_class = "nhsuk-character-count"
        group_attrs = {"data-module": "nhsuk-character-count", "data-maxlength": str(limit)}
    elif kind == "file":
        extra_group_class = "nhsuk-file-upload"
        group_attrs = {"data-module": "nhsuk-file-upload"}
    view.group_classes = _classes(
        "nhsuk-form-group",
        has_error and "nhsuk-form-group--error",
        extra_group_class,
        context.get("wrapper_class"),
        bound_field.css_classes(),
    )
    view.group_attrs = flatatt(group_attrs)

    # The control itself.
    control_attrs = {"aria-describedby": view.describedby} if view.describedby else {}
    if kind == "input":
        control_attrs["class"] = _classes("nhsuk-input", has_error and "nhsuk-input--error")
        view.prefix = context.get("crispy_prepended_text") or ""
        view.suffix = context.get("crispy_appended_text") or ""
        view.control = _render_widget(bound_field, control_attrs)
    elif kind == "textarea":
        control_attrs["class"] = _classes(
            "nhsuk-textarea", has_error and "nhsuk-textarea--error", limit and "nhsuk-js-character-count"
        )
        # With a character count people may type over the limit and see by how much.
        view.control = _render_widget(bound_field, control_attrs, drop=("maxlength",) if limit else ())
    elif kind == "select":
        control_attrs["class"] = _classes("nhsuk-select", has_error and "nhsuk-select--error")
        view.control = _render_widget(bound_field, control_attrs)
    elif kind == "file":
        control_attrs["class"] = "nhsuk-file-upload__input"
        view.control = _render_widget(bound_field, control_attrs)
    elif kind == "date":
        view.date_parts = _date_parts(view, bound_field)
    else:
        view.component = "nhsuk-radios" if kind == "radios" else "nhsuk-checkboxes"
        view.input_type = "radio" if kind == "radios" else "checkbox"
        view.component_classes = _classes(
            view.component,
            (options.get("inline") or context.get("inline_class")) and f"{view.component}--inline",
            options.get("small") and f"{view.component}--small",
        )
        if kind == "checkbox":
            view.items = _single_checkbox(view, bound_field, options, context)
        else:
            view.items = _choice_items(view, bound_field, options, context)
    return view


def _error_items(form: forms.BaseForm) -> list[dict]:
    items = [{"text": error, "href": ""} for error in form.non_field_errors()]
    for name in form.fields:
        bound_field = form[name]
        # Hidden fields have nothing to focus, so their errors are listed without a link.
        href = "" if bound_field.is_hidden else f"#{error_target_id(bound_field)}"
        items.extend({"text": error, "href": href} for error in bound_field.errors)
    return items


@register.simple_tag
def nhsuk_error_summary(form: forms.BaseForm | None, in_form: bool = False) -> list[dict]:
    """The error summary's list: non-field errors first, then each field's errors in order.

    A page may draw the summary above its heading; the form's own copy is then left out
    (``in_form``), so the summary appears once.
    """
    if not isinstance(form, forms.BaseForm) or not form.errors:
        return []
    if in_form and getattr(form, "_nhsuk_error_summary_shown", False):
        return []
    form._nhsuk_error_summary_shown = True
    return _error_items(form)


@register.simple_tag
def nhsuk_formset_error_summary(formset: forms.BaseFormSet) -> list[dict]:
    """One error summary for a whole formset: its own errors, then each form's."""
    items = [{"text": error, "href": ""} for error in formset.non_form_errors()]
    for form in formset:
        items.extend(_error_items(form))
    return items


_BOOTSTRAP_CLASS = re.compile(r"^btn(-[a-z-]+)?$")
_CLASS_ATTR = re.compile(r' class="([^"]*)"')


@register.filter
def nhsuk_button_classes(classes: str) -> str:
    """Drop the Bootstrap classes crispy's ``Submit`` and ``Button`` add to their own."""
    return " ".join(name for name in (classes or "").split() if not _BOOTSTRAP_CLASS.match(name))


@register.filter
def nhsuk_button_attrs(flat_attrs: str) -> SafeString:
    """A ``StrictButton``'s attributes with its Bootstrap classes swapped for NHS.UK ones."""
    match = _CLASS_ATTR.search(flat_attrs or "")
    own = nhsuk_button_classes(match.group(1)) if match else ""
    # The rest came from flatatt, which escapes.
    rest = mark_safe(_CLASS_ATTR.sub("", flat_attrs or ""))
    return format_html(' class="{}"', _classes("nhsuk-button", own)) + rest


@register.filter
def nhsuk_buttons(inputs) -> list:
    """A helper's inputs other than hidden ones, which sit outside the button group."""
    return [element for element in inputs or () if getattr(element, "input_type", "") != "hidden"]
