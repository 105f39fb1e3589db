"""The handlingsplan's sections on "Genomför mötet" (issue 17): the same partials, autosave
and live updates as the plan page, rendered into the meeting's page so the leader never
switches pages in front of everyone. The meeting was read (and logged) by the run page."""

from django.template.loader import render_to_string

from .page import page_context
from .services.start import get_or_create_plan


def run_page_part(request, meeting) -> dict:
    plan = get_or_create_plan(meeting)
    plan.meeting = meeting
    context = page_context(request, plan)
    context["contributions"] = [
        p for p in context["participants"] if p.contribution_text or p.contribution_file
    ]
    return {"plan_html": render_to_string("plans/_run_part.html", context, request=request)}
