"""Rich text that editors paste into admin is cleaned with an allow-list before it is saved."""

import nh3
from django.db import models

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "b", "i",
    "blockquote", "abbr", "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

HELP_TEXT = (
    "Paragraphs (&lt;p&gt;), headings (&lt;h2&gt;, &lt;h3&gt;), lists, links, bold and italic "
    "are kept; anything else, such as scripts or styles, is removed when you save."
)


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()


class RichTextField(models.TextField):
    """A TextField holding HTML that is sanitised every time the model is saved."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", HELP_TEXT)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname) or ""
        cleaned = sanitise_html(value)
        setattr(model_instance, self.attname, cleaned)
        return cleaned
