from django import template

from surveys.models import Question
from surveys.services import OTHER_SUFFIX

register = template.Library()


@register.simple_tag
def answer_display(form, question: Question) -> str:
    """The answer to ``question`` in a validated page form, as a person would read it."""
    value = form.cleaned_data.get(question.identifier)
    if value in (None, "", []):
        return ""
    if question.is_choice:
        labels = {choice.value: choice for choice in question.choices.all()}
        chosen = [labels[v] for v in ([value] if isinstance(value, str) else value)]
        other = form.cleaned_data.get(question.identifier + OTHER_SUFFIX, "")
        return "\n".join(f"{c.label}: {other}" if c.is_other and other else c.label for c in chosen)
    if question.kind == Question.Kind.DATE:
        return value.strftime("%-d %B %Y")
    if question.kind == Question.Kind.EMAIL and question.identifier not in form.answers():
        return ""
    return str(value)
