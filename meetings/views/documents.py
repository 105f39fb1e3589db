"""Staff downloads of a meeting's documents: kallelse PDF, letter PDF, calendar file.

Rendered on the request, for one staff member previewing or printing one
document; the attachments of sent mail are rendered by the mail worker.
Access is exactly that of the meeting page (404 for the uninvolved).
"""

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View

from common.forms import parse_id

from ..enums import MeetingAction, ParticipantKind
from ..models import Participant
from ..services import documents, ical
from .mixins import MeetingMixin


class DocumentView(MeetingMixin, View):
    document = ""  # recorded in the audit trail

    def participant_from_query(self) -> Participant | None:
        """`?deltagare=<pk>`: one participant of this meeting, else None; 404 for others."""
        value = self.request.GET.get("deltagare", "")
        if not value:
            return None
        pk = parse_id(value)
        if pk is None:
            raise Http404
        try:
            return self.meeting.participants.select_related("organisation").get(
                pk=pk, removed_at__isnull=True
            )
        except Participant.DoesNotExist:
            raise Http404 from None

    def respond(self, content: bytes, content_type: str, filename: str, *, inline=True):
        meeting = self.meeting
        meeting.case.log(
            self.request.user, MeetingAction.VIEWED, meeting=meeting.pk, document=self.document
        )
        response = HttpResponse(content, content_type=content_type)
        disposition = "inline" if inline else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
        # Holds the individual's name (and, in the letter, address): never in a shared cache.
        patch_cache_control(response, private=True, no_store=True)
        return response


class InvitationPdfView(DocumentView):
    document = "kallelse.pdf"

    def get(self, request, *args, **kwargs):
        participant = self.participant_from_query()
        if participant is None:
            pdf = documents.render_general_invitation_pdf(self.meeting)
        else:
            participant.meeting = self.meeting  # already loaded with its case and convener
            pdf = documents.render_invitation_pdf(participant)
        return self.respond(pdf, "application/pdf", f"kallelse-{self.meeting.pk}.pdf")


class LetterPdfView(DocumentView):
    document = "brev.pdf"

    def get(self, request, *args, **kwargs):
        pdf = documents.render_individual_letter_pdf(self.meeting)
        return self.respond(pdf, "application/pdf", f"brev-{self.meeting.pk}.pdf")


class IcsView(DocumentView):
    """The calendar file for `?deltagare=<pk>`, or for the staff member downloading it."""

    document = "kalender.ics"

    def get(self, request, *args, **kwargs):
        meeting = self.meeting
        participant = self.participant_from_query()
        if participant is None:
            user = request.user
            participant = meeting.participants.filter(
                user=user, removed_at__isnull=True
            ).first() or Participant(
                meeting=meeting,
                kind=ParticipantKind.STAFF,
                user=user,
                name=user.get_full_name() or user.username,
                email=user.email,
            )
        if not participant.email:
            return HttpResponse(
                _("Deltagaren har ingen e-postadress, så det går inte att skapa en kalenderfil."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        method = "CANCEL" if meeting.is_cancelled else "REQUEST"
        participant.meeting = meeting
        content = ical.invitation_ics(meeting, participant, method=method)
        return self.respond(
            content, ical.ics_content_type(method), f"mote-{meeting.pk}.ics", inline=False
        )


class ContributionPdfView(DocumentView):
    """A decliner's "skriftligt underlag" (PDF), as sent through the answer link; for those
    who may open the meeting page, where it is listed."""

    document = "skriftligt-underlag.pdf"

    def get(self, request, *args, **kwargs):
        participant = self.meeting.participants.filter(pk=kwargs["participant_pk"]).first()
        if participant is None or not participant.contribution_file:
            raise Http404
        with participant.contribution_file.open("rb") as stored:
            content = stored.read()
        return self.respond(content, "application/pdf", "skriftligt-underlag.pdf")
