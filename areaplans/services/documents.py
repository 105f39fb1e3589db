"""The area's handlingsplan as a PDF in the layout the areas print today (Samverk Eksjö's):
a landscape table MÅL | AKTIVITET | HUR | ANSVARIG | NÄR, the follow-up note under each
När, the comment at the end. A version prints its snapshot; without one, the plan's
current text is printed and marked as a draft."""

from django.template.loader import render_to_string
from django.utils import timezone

from common.pdf import html_to_pdf

from .versions import for_display, snapshot_of

PDF_TEMPLATE = "areaplans/pdf/plan.html"


def plan_pdf_html(plan, version=None) -> str:
    snapshot = version.snapshot if version is not None else snapshot_of(plan)
    return render_to_string(
        PDF_TEMPLATE,
        {
            "plan": for_display(snapshot),
            "version": version,
            "is_draft": version is None,
            "printed_on": timezone.localdate(),
        },
    )


def plan_pdf(plan, version=None) -> bytes:
    return html_to_pdf(plan_pdf_html(plan, version))


def pdf_filename(plan, version=None) -> str:
    suffix = f"-v{version.number}" if version is not None else "-utkast"
    return f"handlingsplan-{plan.area.slug}-{plan.year}{suffix}.pdf"
