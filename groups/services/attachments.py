"""Attachments of the group meetings' mail, built by the outbox worker at send time."""

from outbox.builders import register

from ..models import GroupAttendee, GroupMeeting
from .invitations import INVITATION_BUILDER, message_superseded, resend_current
from .minutes import MINUTES_BUILDER


@register(INVITATION_BUILDER, superseded=message_superseded, resend=resend_current)
def invitation_attachments(message):
    from meetings.services.ical import ics_content_type

    from .calendar import meeting_ics

    attendee = GroupAttendee.objects.select_related(
        "meeting", "meeting__group", "meeting__group__area", "meeting__convener"
    ).get(pk=message.builder_args["attendee"])
    method = message.builder_args.get("method", "REQUEST")
    ics = meeting_ics(attendee.meeting, attendee, method=method)
    return [("inbjudan.ics", ics, ics_content_type(method))]


@register(MINUTES_BUILDER)
def minutes_attachments(message):
    from .documents import render_minutes_pdf

    meeting = GroupMeeting.objects.select_related("group", "group__area").get(
        pk=message.builder_args["meeting"]
    )
    return [("minnesanteckningar.pdf", render_minutes_pdf(meeting), "application/pdf")]
