"""``{% layout_fragment a b … %}…{% endlayout_fragment %}``: a piece of the layout
(templates/base.html) rendered once per process for each combination of the values it shows,
then served from memory (issue 20: the menu, the static links and the session's messages
cost every page a render of some thirty tags).

What a fragment shows must be decided by the values named in its tag and by what is the same
for the whole process: the language, the URL conf and script prefix, the static files'
manifest, the settings (all in the key too). Nothing in a fragment may show an individual's
data, a token (no ``{% csrf_token %}``) or anything read from the database: such parts stay
outside, between fragments. Each fragment keeps its own renders (at most MAX_RENDERS, then it
starts over), so a reloaded template starts empty.
"""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

MAX_RENDERS = 2000


class LayoutFragmentNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist = nodelist
        self.values = values
        self.renders = {}

    def key(self, context):
        shown = []
        for value in self.values:
            resolved = value.resolve(context)
            # Plain values as they are; anything else (a user, an organisation) as the text
            # it renders to, so that a renamed one is a new key, not a stale render.
            if not isinstance(resolved, (bool, int, type(None))):
                resolved = str(resolved)
            shown.append(resolved)
        return (
            get_language(),
            get_urlconf() or settings.ROOT_URLCONF,
            get_script_prefix(),
            settings.STATIC_URL,
            settings.SESSION_IDLE_TIMEOUT,
            settings.SESSION_IDLE_WARNING,
            *shown,
        )

    def render(self, context):
        key = self.key(context)
        html = self.renders.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(self.renders) >= MAX_RENDERS:
                self.renders = {}
            self.renders[key] = html
        return html


@register.tag
def layout_fragment(parser, token):
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endlayout_fragment",))
    parser.delete_first_token()
    for node in nodelist.get_nodes_by_type(template.Node):
        if type(node).__name__ == "CsrfTokenNode":
            raise template.TemplateSyntaxError("layout_fragment: no {% csrf_token %} inside.")
    return LayoutFragmentNode(nodelist, values)
