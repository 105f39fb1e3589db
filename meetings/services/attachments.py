"""Attachments of meeting e-mail, built by the worker when the message is sent.

Registered with the outbox by name, so the request that queues a kallelse never
renders a PDF or a calendar file. The worker asks first whether the message still holds
(invitations.message_superseded: it was composed for the meeting's sequence of the
moment), so what it renders from the meeting now is the state the text was written for.
"""

from outbox.builders import register

from ..models import Participant
from .invitations import INVITATION_BUILDER, message_superseded, resend_current


@register(INVITATION_BUILDER, superseded=message_superseded, resend=resend_current)
def invitation_attachments(message):
    """The kallelse PDF (left out where builder_args say "pdf": false) and the calendar
    file (REQUEST, or CANCEL for a cancellation)."""
    from .documents import render_individual_letter_pdf, render_invitation_pdf
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
    calendar = ("inbjudan.ics", ics, ics_content_type(method))
    pdf = message.builder_args.get("pdf", True)
    if not pdf:
        return [calendar]
    if pdf == "letter":
        # The individual who prefers e-mail: the plain-language letter, not the kallelse.
        return [("brev.pdf", render_individual_letter_pdf(meeting), "application/pdf"), calendar]
    return [("kallelse.pdf", render_invitation_pdf(participant), "application/pdf"), calendar]
