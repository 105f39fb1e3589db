"""The one escaping helper of the markup built in Python (issue 20): common.markup.esc and
select_options/Options, which escape option labels themselves; the modules that build
markup use them (or Django's format_html), never html.escape or escape of their own."""

import ast
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.utils.safestring import mark_safe

from common.markup import Options, esc, pk_url_builder, select_options

MARKUP_MODULES = [
    "common/markup.py",
    "plans/markup.py",
    "parties/markup.py",
    "groups/views/minutes.py",
    "meetings/templatetags/meeting_tags.py",
    "plans/page.py",
]


def template_escape(value):
    return engines["django"].from_string("{{ v }}").render({"v": value})


def test_esc_writes_what_the_template_engine_writes():
    for value in ["<b>\"Ann\" & 'Bo'</b>", "Åsa Öberg", 12, mark_safe("<i>ok</i>")]:
        assert esc(value) == template_escape(value)
    assert esc(None) == ""


def test_select_options_escape_the_labels_themselves():
    rows = [(1, "A & B"), (2, '<script>"x"</script>')]
    html = select_options(rows, 2)
    assert html == (
        '<option value="1">A &amp; B</option>'
        '<option value="2" selected>&lt;script&gt;&quot;x&quot;&lt;/script&gt;</option>'
    )
    assert Options(rows).html(2) == html == select_options(Options(rows), 2)


def test_pk_urls_are_escaped_and_safe():
    url = pk_url_builder("meetings:detail")(7)
    assert url == "/moten/7/" and hasattr(url, "__html__")


def test_no_markup_module_escapes_on_its_own():
    for relative in MARKUP_MODULES:
        tree = ast.parse((Path(settings.BASE_DIR) / relative).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert "html" not in [a.name for a in node.names] or relative == "common/markup.py"
            if isinstance(node, ast.ImportFrom):
                names = {a.name for a in node.names}
                assert node.module != "html", relative
                assert not (node.module == "django.utils.html" and "escape" in names), relative
