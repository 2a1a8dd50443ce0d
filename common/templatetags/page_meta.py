"""Tags behind the page's <head>: one title and description for <title>, meta and Open Graph."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        # Rendered with autoescaping like any other output, so it is already safe to print.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token) -> CaptureNode:
    """``{% capture as name %}...{% endcapture %}``: render once, print as often as needed.

    A block can appear only once in a template, so base.html wraps its ``title`` and ``description``
    blocks in this and prints the result in <title>, the description meta and the Open Graph tags.
    Blocks inside still take the child template's version.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str | None = None) -> str:
    """This page's address (without its query string), or ``path``'s, with scheme and host.

    Empty where there is no request, as on the server error page.
    """
    request = context.get("request")
    if request is None:
        return ""
    return request.build_absolute_uri(path or request.path)
