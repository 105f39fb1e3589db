"""Attachments of handlingsplan e-mail, built by the outbox worker at send time.

Every plan message uses this builder (so `messages_for(..., attachments_builder=
"plans.plan_pdf")` finds them all): the individual always gets the PDF; staff and
outside participants only where the area attaches it (AreaPlanSettings), else
just the link that requires login.
"""

from outbox.builders import register

from ..models import ActionPlan, AreaPlanSettings


@register("plans.plan_pdf")
def plan_attachments(message):
    from .documents import render_plan_pdf

    args = message.builder_args
    plan = ActionPlan.objects.select_related(
        "meeting",
        "meeting__case",
        "meeting__convened_by",
        "meeting__convening_organisation",
    ).get(pk=args["plan"])
    if not args.get("individual") and not AreaPlanSettings.attach_pdf_for(
        plan.meeting.case.area_id
    ):
        return []
    version = plan.versions.select_related("frozen_by").get(number=args["version"])
    pdf = render_plan_pdf(plan, version)
    return [(f"handlingsplan-v{version.number}.pdf", pdf, "application/pdf")]
