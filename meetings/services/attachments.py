"""Attachments of meeting e-mail, built by the worker when the message is sent.

Registered with the outbox by name, so the request that queues a kallelse never
renders a PDF or a calendar file.
"""

from outbox.builders import register

from ..models import Participant


@register("meetings.invitation")
def invitation_attachments(message):
    """The kallelse PDF and the calendar file (REQUEST, or CANCEL for a cancellation)."""
    from .documents import render_invitation_pdf
    from .ical import cancellation_ics, ics_content_type, invitation_ics

    participant = Participant.objects.select_related(
        "meeting",
        "meeting__case",
        "meeting__room",
        "meeting__convened_by",
        "meeting__convening_organisation",
        "organisation",
    ).get(pk=message.builder_args["participant"])
    meeting = participant.meeting
    method = message.builder_args.get("method", "REQUEST")
    if method == "CANCEL":
        ics = cancellation_ics(meeting, participant)
    else:
        ics = invitation_ics(meeting, participant, method="REQUEST")
    return [
        ("kallelse.pdf", render_invitation_pdf(participant), "application/pdf"),
        ("inbjudan.ics", ics, ics_content_type(method)),
    ]
