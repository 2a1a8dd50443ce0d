from django import template

from surveys.kinds import OTHER_SUFFIX, kind_of
from surveys.models import Question

register = template.Library()


@register.simple_tag
def answer_display(form, question: Question) -> str:
    """The answer to ``question`` in a validated page form, as a person would read it."""
    value = form.cleaned_data.get(question.identifier)
    if value in (None, "", []) or question.identifier not in form.answers():
        return ""
    other_text = form.cleaned_data.get(question.identifier + OTHER_SUFFIX, "")
    return kind_of(question).display(question, value, other_text)
