"""The crispy-forms "nhsuk" template pack draws Django forms as NHS.UK design system markup."""

import datetime
import re

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.template import engines
from django.test.html import Element, parse_html
from pytest_django.asserts import assertInHTML

from common.nhsuk import NHSDateField, NHSField, nhsuk_options

CONTACT_CHOICES = [("email", "Email"), ("phone", "Phone"), ("other", "Another way")]
TOPIC_CHOICES = [("gp", "GP services"), ("mental-health", "Mental health"), ("none", "None of these")]


class FeedbackForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As it appears on your GP letter")
    contact = forms.ChoiceField(
        label="How should we contact you?",
        choices=CONTACT_CHOICES,
        widget=forms.RadioSelect(attrs=nhsuk_options(conditional={"other": "other_contact"})),
    )
    other_contact = forms.CharField(label="Tell us how", required=False)
    topics = forms.MultipleChoiceField(
        label="Which services have you used?",
        help_text="Select all that apply",
        choices=TOPIC_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs=nhsuk_options(exclusive="none")),
    )
    comments = forms.CharField(label="Your comments", widget=forms.Textarea, max_length=300, required=False)
    visited_on = NHSDateField(
        label="When did you visit?", subject="Visit date", error_messages={"required": "Enter the date you visited"}
    )
    agree = forms.BooleanField(
        label="Terms of use",
        widget=forms.CheckboxInput(attrs=nhsuk_options(checkbox_label="I agree to the terms of use")),
    )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("contact") == "other" and not cleaned_data.get("other_contact"):
            self.add_error("other_contact", "Tell us how you would like to be contacted")
        return cleaned_data


FILLED_IN = {
    "name": "Ada Lovelace",
    "contact": "other",
    "other_contact": "Carrier pigeon",
    "topics": ["gp", "mental-health"],
    "comments": "The waiting room was cold.",
    "visited_on_day": "4",
    "visited_on_month": "3",
    "visited_on_year": "2025",
    "agree": "on",
}


def render_with_filter(form: forms.BaseForm) -> str:
    return engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}").render({"form": form})


def render_with_tag(form: forms.BaseForm, page: str = "{% crispy form %}") -> str:
    template = engines["django"].from_string("{% load crispy_forms_tags %}" + page)
    return template.render({"form": form, "csrf_token": "test-token"})


# A little DOM over django.test.html, so assertions read like the markup they check.


def elements(root) -> list[Element]:
    found = []
    if isinstance(root, Element):
        found.append(root)
        for child in root.children:
            found.extend(elements(child))
    return found


def attrs(element: Element) -> dict:
    return dict(element.attributes)


def classes(element: Element) -> set[str]:
    return set((attrs(element).get("class") or "").split())


def text(element) -> str:
    if isinstance(element, str):
        return element
    return " ".join(" ".join(text(child) for child in element.children).split())


def find_all(root, tag: str | None = None, css_class: str | None = None, **attributes) -> list[Element]:
    return [
        element
        for element in elements(root)
        if (tag is None or element.name == tag)
        and (css_class is None or css_class in classes(element))
        and all(attrs(element).get(name.rstrip("_").replace("_", "-")) == value for name, value in attributes.items())
    ]


def find(root, tag: str | None = None, css_class: str | None = None, **attributes) -> Element:
    matches = find_all(root, tag, css_class, **attributes)
    assert len(matches) == 1, f"expected one {tag or ''}.{css_class or ''} {attributes}, found {len(matches)}"
    return matches[0]


def by_id(root, element_id: str) -> Element:
    return find(root, id=element_id)


def form_group_of(root, element_id: str) -> Element:
    """The outermost nhsuk-form-group holding the element with this id."""
    for group in find_all(root, css_class="nhsuk-form-group"):
        if any(attrs(element).get("id") == element_id for element in elements(group)):
            return group
    raise AssertionError(f"no form group holds #{element_id}")


def submitted(**changes) -> FeedbackForm:
    data = {**FILLED_IN, **changes}
    form = FeedbackForm(data={name: value for name, value in data.items() if value is not None})
    form.is_valid()
    return form


# Error summary


def test_error_summary_lists_each_error_linking_to_the_field_that_has_it():
    form = submitted(name="", contact=None, topics=None, agree=None, visited_on_month="")
    page = parse_html(render_with_filter(form))

    summary = find(page, css_class="nhsuk-error-summary")
    assert attrs(summary)["data-module"] == "nhsuk-error-summary"
    find(summary, "div", role="alert")
    assert text(find(summary, "h2", css_class="nhsuk-error-summary__heading")) == "There is a problem"
    links = {attrs(link)["href"]: text(link) for link in find_all(summary, "a")}
    assert links == {
        "#id_name": "This field is required.",
        "#id_contact": "This field is required.",
        "#id_topics": "This field is required.",
        "#id_visited_on_month": "Visit date must include a month",
        "#id_agree": "This field is required.",
    }
    for href in links:
        assert by_id(page, href.removeprefix("#")).name == "input", f"{href} must land on an input"


def test_error_summary_shows_errors_that_belong_to_no_field_without_a_link():
    form = submitted()
    form.add_error(None, "We could not save your feedback. Try again later.")
    page = parse_html(render_with_filter(form))

    summary_items = find_all(find(page, css_class="nhsuk-error-summary__list"), "li")
    assert [text(item) for item in summary_items] == ["We could not save your feedback. Try again later."]
    assert find_all(summary_items[0], "a") == []


def test_no_error_summary_before_the_form_is_sent_or_once_it_is_valid():
    assert "nhsuk-error-summary" not in render_with_filter(FeedbackForm())
    valid = submitted()
    assert valid.is_valid(), valid.errors
    assert "nhsuk-error-summary" not in render_with_filter(valid)


def test_error_summary_placed_by_the_page_above_its_heading_is_not_repeated_in_the_form():
    form = submitted(name="")
    html = render_with_tag(
        form, '{% include "nhsuk/error_summary.html" with form=form %}<h1>Give feedback</h1>{% crispy form %}'
    )

    assert html.count('class="nhsuk-error-summary"') == 1
    assert html.index("nhsuk-error-summary") < html.index("<h1>Give feedback</h1>")


def test_whole_form_rendered_by_the_crispy_tag_starts_with_the_error_summary():
    html = render_with_tag(submitted(name=""))

    assert html.count('class="nhsuk-error-summary"') == 1
    assert html.index("<form") < html.index("nhsuk-error-summary") < html.index('for="id_name"')


# Text inputs, hints and error messages


def test_text_input_is_labelled_and_described_by_its_hint_and_error():
    page = parse_html(render_with_filter(submitted(name="")))

    group = form_group_of(page, "id_name")
    assert classes(group) == {"nhsuk-form-group", "nhsuk-form-group--error"}
    assert text(find(group, "label", css_class="nhsuk-label", for_="id_name")) == "Full name"
    assert text(by_id(group, "id_name-hint")) == "As it appears on your GP letter"
    assert "nhsuk-hint" in classes(by_id(group, "id_name-hint"))
    error = by_id(group, "id_name-error")
    assert error.name == "span" and "nhsuk-error-message" in classes(error)
    assert text(find(error, css_class="nhsuk-u-visually-hidden")) == "Error:"
    assert text(error) == "Error: This field is required."
    text_input = by_id(group, "id_name")
    assert classes(text_input) == {"nhsuk-input", "nhsuk-input--error"}
    assert attrs(text_input)["aria-describedby"] == "id_name-hint id_name-error"


def test_field_without_errors_has_no_error_styling_and_is_described_by_its_hint_only():
    page = parse_html(render_with_filter(FeedbackForm()))

    assert classes(form_group_of(page, "id_name")) == {"nhsuk-form-group"}
    assert classes(by_id(page, "id_name")) == {"nhsuk-input"}
    assert attrs(by_id(page, "id_name"))["aria-describedby"] == "id_name-hint"
    assert find_all(page, css_class="nhsuk-error-message") == []


def test_widget_classes_such_as_input_widths_are_kept():
    class PostcodeForm(forms.Form):
        postcode = forms.CharField(widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}))

    page = parse_html(render_with_filter(PostcodeForm()))

    assert classes(by_id(page, "id_postcode")) == {"nhsuk-input", "nhsuk-input--width-10"}


def test_labels_of_optional_questions_say_so():
    page = parse_html(render_with_filter(FeedbackForm()))

    assert text(find(page, "label", for_="id_comments")) == "Your comments (optional)"
    assert text(find(page, "label", for_="id_name")) == "Full name"


def test_labels_hints_and_choices_are_escaped():
    class RiskyForm(forms.Form):
        answer = forms.ChoiceField(
            label="<b>Question</b>", help_text="<i>hint</i>", choices=[("x", "<script>")], widget=forms.RadioSelect
        )

    html = render_with_filter(RiskyForm())

    assert "<b>" not in html and "<i>" not in html and "<script>" not in html
    assert "&lt;b&gt;Question&lt;/b&gt;" in html


def test_select_gets_nhs_select_classes():
    class BoroughForm(forms.Form):
        borough = forms.ChoiceField(choices=[("", "Choose a borough"), ("greenwich", "Greenwich")])

    form = BoroughForm(data={"borough": ""})
    form.is_valid()
    page = parse_html(render_with_filter(form))

    assert classes(by_id(page, "id_borough")) == {"nhsuk-select", "nhsuk-select--error"}
    assert attrs(by_id(page, "id_borough"))["aria-describedby"] == "id_borough-error"


# Radios and checkboxes


def test_radios_sit_in_a_fieldset_whose_legend_holds_the_question_hint_and_error():
    page = parse_html(render_with_filter(submitted(contact=None)))

    fieldset = find(form_group_of(page, "id_contact"), "fieldset", css_class="nhsuk-fieldset")
    assert text(find(fieldset, "legend", css_class="nhsuk-fieldset__legend")) == "How should we contact you?"
    assert attrs(fieldset)["aria-describedby"] == "id_contact-error"
    assert "nhsuk-error-message" in classes(by_id(fieldset, "id_contact-error"))
    radios = find(fieldset, "div", css_class="nhsuk-radios")
    assert attrs(radios)["data-module"] == "nhsuk-radios"
    inputs = find_all(radios, "input", type="radio")
    assert [attrs(radio)["id"] for radio in inputs] == ["id_contact", "id_contact-2", "id_contact-3"]
    assert [attrs(radio)["value"] for radio in inputs] == ["email", "phone", "other"]
    for radio in inputs:
        assert classes(radio) == {"nhsuk-radios__input"}
        label = find(radios, "label", for_=attrs(radio)["id"])
        assert classes(label) == {"nhsuk-label", "nhsuk-radios__label"}


def test_checkboxes_sit_in_a_fieldset_and_none_of_these_unticks_the_others():
    page = parse_html(render_with_filter(FeedbackForm()))

    fieldset = find(form_group_of(page, "id_topics"), "fieldset", css_class="nhsuk-fieldset")
    assert text(find(fieldset, "legend")) == "Which services have you used?"
    assert attrs(fieldset)["aria-describedby"] == "id_topics-hint"
    assert text(by_id(fieldset, "id_topics-hint")) == "Select all that apply"
    checkboxes = find(fieldset, "div", css_class="nhsuk-checkboxes")
    assert attrs(checkboxes)["data-module"] == "nhsuk-checkboxes"
    ids = [attrs(box)["id"] for box in find_all(checkboxes, "input", type="checkbox")]
    assert ids == ["id_topics", "id_topics-2", "id_topics-3"]
    assert attrs(by_id(page, "id_topics-3"))["data-behaviour"] == "exclusive"
    assert text(find(checkboxes, css_class="nhsuk-checkboxes__divider")) == "or"


def test_single_checkbox_sits_in_a_fieldset_with_its_own_label():
    page = parse_html(render_with_filter(FeedbackForm()))

    fieldset = find(form_group_of(page, "id_agree"), "fieldset")
    assert text(find(fieldset, "legend")) == "Terms of use"
    checkbox = by_id(fieldset, "id_agree")
    assert attrs(checkbox)["type"] == "checkbox" and attrs(checkbox)["name"] == "agree"
    assert text(find(fieldset, "label", for_="id_agree")) == "I agree to the terms of use"


def test_choice_hints_are_tied_to_their_choice():
    class ContactForm(forms.Form):
        contact = forms.ChoiceField(
            choices=CONTACT_CHOICES,
            widget=forms.RadioSelect(attrs=nhsuk_options(choice_hints={"phone": "Weekdays only"})),
        )

    page = parse_html(render_with_filter(ContactForm()))

    assert attrs(by_id(page, "id_contact-2"))["aria-describedby"] == "id_contact-2-item-hint"
    hint = by_id(page, "id_contact-2-item-hint")
    assert classes(hint) == {"nhsuk-hint", "nhsuk-radios__hint"} and text(hint) == "Weekdays only"


# Conditional reveal


def test_field_revealed_by_a_choice_is_drawn_inside_that_choice_and_nowhere_else():
    html = render_with_filter(FeedbackForm())
    page = parse_html(html)

    other = by_id(page, "id_contact-3")
    assert attrs(other)["data-aria-controls"] == "conditional-id_contact-3"
    conditional = by_id(page, "conditional-id_contact-3")
    assert classes(conditional) == {"nhsuk-radios__conditional", "nhsuk-radios__conditional--hidden"}
    assert text(find(conditional, "label", for_="id_other_contact")) == "Tell us how"
    assert html.count('name="other_contact"') == 1
    assert "data-aria-controls" not in attrs(by_id(page, "id_contact"))


def test_revealed_field_is_shown_with_its_error_when_its_choice_was_selected():
    page = parse_html(render_with_filter(submitted(contact="other", other_contact="")))

    conditional = by_id(page, "conditional-id_contact-3")
    assert classes(conditional) == {"nhsuk-radios__conditional"}
    assert "checked" in attrs(by_id(page, "id_contact-3"))
    assert text(by_id(conditional, "id_other_contact-error")) == "Error: Tell us how you would like to be contacted"
    summary_links = [attrs(link)["href"] for link in find_all(find(page, css_class="nhsuk-error-summary"), "a")]
    assert summary_links == ["#id_other_contact"]


def test_conditional_reveal_can_be_given_in_a_crispy_layout_even_if_the_layout_names_the_revealed_field():
    class ContactForm(forms.Form):
        contact = forms.ChoiceField(
            label="How should we contact you?", choices=CONTACT_CHOICES, widget=forms.RadioSelect
        )
        email = forms.EmailField(label="Email address", required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = FormHelper()
            self.helper.layout = Layout(NHSField("contact", conditional={"email": "email"}), "email")

    html = render_with_tag(ContactForm(data={"contact": "email", "email": "ada@example.com"}))
    page = parse_html(html)

    conditional = by_id(page, "conditional-id_contact")
    assert classes(conditional) == {"nhsuk-radios__conditional"}
    assert attrs(by_id(conditional, "id_email"))["value"] == "ada@example.com"
    assert html.count('name="email"') == 1


def test_revealed_field_is_drawn_once_when_a_helper_lays_out_every_field(caplog):
    class HelpedForm(FeedbackForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = FormHelper(self)

    html = render_with_tag(HelpedForm())

    assert html.count('name="other_contact"') == 1
    assert by_id(by_id(parse_html(html), "conditional-id_contact-3"), "id_other_contact")
    assert caplog.records == []


def test_single_checkbox_can_reveal_a_field():
    class UpdatesForm(forms.Form):
        wants_updates = forms.BooleanField(
            label="Updates",
            required=False,
            widget=forms.CheckboxInput(
                attrs=nhsuk_options(checkbox_label="Email me updates", conditional={True: "email"})
            ),
        )
        email = forms.EmailField(required=False)

    page = parse_html(render_with_filter(UpdatesForm()))

    assert attrs(by_id(page, "id_wants_updates"))["data-aria-controls"] == "conditional-id_wants_updates"
    conditional = by_id(page, "conditional-id_wants_updates")
    assert "nhsuk-checkboxes__conditional--hidden" in classes(conditional)
    assert by_id(conditional, "id_email")


# Character count


def test_textarea_with_a_max_length_gets_a_character_count():
    page = parse_html(render_with_filter(FeedbackForm()))

    group = form_group_of(page, "id_comments")
    assert {"nhsuk-form-group", "nhsuk-character-count"} <= classes(group)
    assert attrs(group)["data-module"] == "nhsuk-character-count"
    assert attrs(group)["data-maxlength"] == "300"
    textarea = by_id(group, "id_comments")
    assert classes(textarea) == {"nhsuk-textarea", "nhsuk-js-character-count"}
    assert attrs(textarea)["aria-describedby"] == "id_comments-info"
    # People may type over the limit and see by how much, so the browser must not cut them off.
    assert "maxlength" not in attrs(textarea)
    message = by_id(group, "id_comments-info")
    assert classes(message) == {"nhsuk-hint", "nhsuk-character-count__message"}
    assert text(message) == "You can enter up to 300 characters"


def test_character_count_limit_can_be_given_or_turned_off_per_field():
    class StoryForm(forms.Form):
        story = forms.CharField(widget=forms.Textarea(attrs=nhsuk_options(character_count=1000)))
        notes = forms.CharField(widget=forms.Textarea(attrs=nhsuk_options(character_count=False)), max_length=50)

    page = parse_html(render_with_filter(StoryForm()))

    assert attrs(form_group_of(page, "id_story"))["data-maxlength"] == "1000"
    assert "data-module" not in attrs(form_group_of(page, "id_notes"))
    assert classes(by_id(page, "id_notes")) == {"nhsuk-textarea"}


def test_character_count_comes_before_hint_and_error_in_aria_describedby():
    class StoryForm(forms.Form):
        story = forms.CharField(widget=forms.Textarea, max_length=10, help_text="Do not include personal details")

    form = StoryForm(data={"story": "far too long for this"})
    form.is_valid()
    page = parse_html(render_with_filter(form))

    assert attrs(by_id(page, "id_story"))["aria-describedby"] == "id_story-info id_story-hint id_story-error"
    assert "nhsuk-textarea--error" in classes(by_id(page, "id_story"))


# Page headings and sizes


def test_legend_can_be_the_page_heading():
    class OneQuestionForm(forms.Form):
        contact = forms.ChoiceField(
            label="How should we contact you?",
            choices=CONTACT_CHOICES,
            widget=forms.RadioSelect(attrs=nhsuk_options(page_heading=True, caption="About you")),
        )

    page = parse_html(render_with_filter(OneQuestionForm()))

    legend = find(page, "legend")
    assert classes(legend) == {"nhsuk-fieldset__legend", "nhsuk-fieldset__legend--l"}
    heading = find(legend, "h1", css_class="nhsuk-fieldset__heading")
    assert text(find(heading, "span", css_class="nhsuk-caption-l")) == "About you"
    assert text(heading) == "About you How should we contact you?"


def test_label_can_be_the_page_heading_from_a_crispy_layout():
    class NameForm(forms.Form):
        name = forms.CharField(label="What is your name?")

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = FormHelper()
            self.helper.layout = Layout(NHSField("name", page_heading=True, size="xl"))

    assertInHTML(
        '<h1 class="nhsuk-label-wrapper">'
        '<label class="nhsuk-label nhsuk-label--xl" for="id_name">What is your name?</label></h1>',
        render_with_tag(NameForm()),
    )


def test_legend_size_can_be_set_without_making_it_a_heading():
    class ContactForm(forms.Form):
        contact = forms.ChoiceField(choices=CONTACT_CHOICES, widget=forms.RadioSelect(attrs=nhsuk_options(size="m")))

    page = parse_html(render_with_filter(ContactForm()))

    assert classes(find(page, "legend")) == {"nhsuk-fieldset__legend", "nhsuk-fieldset__legend--m"}
    assert find_all(page, "h1") == []


def test_unknown_options_are_refused():
    with pytest.raises(TypeError, match="page_headng"):
        nhsuk_options(page_headng=True)
    with pytest.raises(ValueError, match="size"):
        NHSField("name", size="huge")


# Date input


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date you visited"),
        ("4", "", "2025", "Visit date must include a month"),
        ("", "3", "2025", "Visit date must include a day"),
        ("", "", "2025", "Visit date must include a day and month"),
        ("4", "3", "", "Visit date must include a year"),
        ("31", "2", "2025", "Visit date must be a real date"),
        ("4", "13", "2025", "Visit date must be a real date"),
        ("four", "3", "2025", "Visit date must be a real date"),
        ("4", "3", "25", "Year must include 4 numbers"),
    ],
)
def test_date_field_explains_what_is_wrong_with_the_date(day, month, year, message):
    form = submitted(visited_on_day=day, visited_on_month=month, visited_on_year=year)

    assert form.errors["visited_on"] == [message]


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [("4", "3", "2025"), ("04", "03", "2025"), (" 4 ", "March", "2025"), ("4", "mar", "2025")],
)
def test_date_field_accepts_real_dates(day, month, year):
    form = submitted(visited_on_day=day, visited_on_month=month, visited_on_year=year)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["visited_on"] == datetime.date(2025, 3, 4)


def test_optional_date_left_empty_is_none():
    class OptionalDateForm(forms.Form):
        when = NHSDateField(required=False)

    form = OptionalDateForm(data={"when_day": "", "when_month": "", "when_year": ""})

    assert form.is_valid() and form.cleaned_data["when"] is None


def test_date_input_is_a_group_of_day_month_and_year_boxes():
    page = parse_html(render_with_filter(FeedbackForm(initial={"visited_on": datetime.date(2025, 3, 4)})))

    fieldset = find(form_group_of(page, "id_visited_on_day"), "fieldset")
    assert attrs(fieldset)["role"] == "group"
    assert text(find(fieldset, "legend")) == "When did you visit?"
    date_input = find(fieldset, "div", css_class="nhsuk-date-input")
    boxes = find_all(date_input, "input")
    assert [(attrs(box)["name"], attrs(box)["value"]) for box in boxes] == [
        ("visited_on_day", "4"),
        ("visited_on_month", "3"),
        ("visited_on_year", "2025"),
    ]
    assert [text(find(date_input, "label", for_=attrs(box)["id"])) for box in boxes] == ["Day", "Month", "Year"]
    assert {attrs(box)["inputmode"] for box in boxes} == {"numeric"}
    assert "nhsuk-input--width-4" in classes(by_id(page, "id_visited_on_year"))


def test_only_the_missing_part_of_an_incomplete_date_is_marked_as_wrong():
    page = parse_html(render_with_filter(submitted(visited_on_month="")))

    fieldset = find(form_group_of(page, "id_visited_on_day"), "fieldset")
    assert attrs(fieldset)["aria-describedby"] == "id_visited_on-error"
    assert "nhsuk-input--error" in classes(by_id(page, "id_visited_on_month"))
    assert "nhsuk-input--error" not in classes(by_id(page, "id_visited_on_day"))
    assert "nhsuk-input--error" not in classes(by_id(page, "id_visited_on_year"))


def test_all_date_boxes_are_marked_when_the_date_is_not_real():
    page = parse_html(render_with_filter(submitted(visited_on_day="31", visited_on_month="2")))

    for part in ("day", "month", "year"):
        assert "nhsuk-input--error" in classes(by_id(page, f"id_visited_on_{part}"))
    assert attrs(find(page, "a", href="#id_visited_on_day"))


# Nothing typed is lost


def test_everything_typed_is_kept_when_the_form_comes_back_with_errors():
    form = submitted(name="", visited_on_year="25")
    assert not form.is_valid()
    page = parse_html(render_with_filter(form))

    assert "checked" in attrs(by_id(page, "id_contact-3"))
    assert "checked" not in attrs(by_id(page, "id_contact"))
    assert attrs(by_id(page, "id_other_contact"))["value"] == "Carrier pigeon"
    assert [attrs(box)["id"] for box in find_all(page, "input", type="checkbox") if "checked" in attrs(box)] == [
        "id_topics",
        "id_topics-2",
        "id_agree",
    ]
    assert text(by_id(page, "id_comments")) == "The waiting room was cold."
    assert [attrs(by_id(page, f"id_visited_on_{part}"))["value"] for part in ("day", "month", "year")] == [
        "4",
        "3",
        "25",
    ]


# The form around the fields


def test_crispy_tag_draws_the_form_with_an_nhs_button():
    class NameForm(forms.Form):
        name = forms.CharField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = FormHelper()
            self.helper.form_action = "/feedback/"
            self.helper.add_input(Submit("submit", "Continue"))

    page = parse_html(render_with_tag(NameForm()))

    form = find(page, "form")
    assert attrs(form)["method"] == "post" and attrs(form)["action"] == "/feedback/"
    # Our own error messages, not the browser's.
    assert "novalidate" in attrs(form)
    assert attrs(find(form, "input", type="hidden", name="csrfmiddlewaretoken"))
    button = find(form, "button")
    assert classes(button) == {"nhsuk-button"}
    assert attrs(button)["data-module"] == "nhsuk-button"
    assert attrs(button)["data-prevent-double-click"] == "true"
    assert attrs(button)["type"] == "submit"
    assert text(button) == "Continue"


def test_markup_has_no_inline_style_or_script():
    html = render_with_tag(submitted(name="", contact="other", other_contact="", visited_on_month=""))

    assert not re.search(r"<script|<style|\sstyle=|\son[a-z]+=", html)
