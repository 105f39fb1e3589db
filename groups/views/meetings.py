"""Booking a group meeting, its page (answers, turnout, agenda), kallelse, cancelling."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import get_group_for_user, get_meeting_for_user
from ..enums import CancelReason
from ..forms import AttachmentForm, CancelForm, MeetingForm
from ..models import AgendaAttachment, AgendaItem
from ..services import booking, invitations, minutes, rotation, turnout


@require_http_methods(["GET", "POST"])
def meeting_create(request, pk):
    group = get_group_for_user(request.user, pk, manage=True)
    suggested = rotation.suggested_convener(group)
    form = MeetingForm(request.POST or None, group=group, initial={"convener": suggested})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                meeting = booking.book_meeting(
                    group=group,
                    user=request.user,
                    starts_at=form.starts_at,
                    ends_at=form.ends_at,
                    place=form.cleaned_data["place"],
                    remote_link=form.cleaned_data["remote_link"],
                    convener=form.cleaned_data["convener"],
                    items=form.items(),
                )
            except ValidationError as error:
                for field, errs in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                messages.success(request, _("Mötet bokades. Skicka kallelsen när du är klar."))
                return redirect(meeting)
        status = 400
    return render(
        request,
        "groups/meeting_form.html",
        {"group": group, "form": form, "suggested": suggested, "nav": "groups"},
        status=status,
    )


def _page(request, meeting, *, cancel_form=None, attach_errors=None, status=200):
    attendees = list(meeting.attendees.select_related("organisation"))
    items = list(meeting.items.prefetch_related("attachments"))
    return render(
        request,
        "groups/meeting.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "attendees": attendees,
            "answered": sum(a.answer != "none" for a in attendees),
            "shortfall": None
            if meeting.is_cancelled
            else turnout.turnout_shortfall(meeting.group, attendees),
            "items": items,
            "carried": list(minutes.carried_over(meeting)),
            "assignments": list(meeting.assignments.select_related("owner")),
            "cancel_form": cancel_form or CancelForm(),
            "attach_form": AttachmentForm(),
            "attach_errors": attach_errors or {},
            "nav": "groups",
        },
        status=status,
    )


@require_GET
def meeting_detail(request, pk):
    return _page(request, get_meeting_for_user(request.user, pk))


@require_POST
def meeting_send(request, pk):
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    try:
        count = invitations.send_invitations(meeting)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(meeting)
    if count:
        messages.success(request, _("Kallelsen skickas till %(n)s medlemmar.") % {"n": count})
    else:
        messages.info(request, _("Kallelsen är redan skickad."))
    return redirect(meeting)


@require_POST
def meeting_cancel(request, pk):
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _page(request, meeting, cancel_form=form, status=400)
    reason = request.POST.get("reason", "")
    if reason not in CancelReason.values:
        form.add_error(None, _("Välj en anledning."))
        return _page(request, meeting, cancel_form=form, status=400)
    count = invitations.cancel_meeting(meeting, reason=reason, note=form.cleaned_data["note"])
    messages.success(request, _("Mötet är inställt; %(n)s får besked om det.") % {"n": count})
    return redirect(meeting)


@require_POST
def item_attach(request, pk, item_pk):
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, meeting, attach_errors={item.pk: _("Välj en fil.")}, status=400)
    try:
        booking.attach_background(item, form.cleaned_data["file"])
    except ValidationError as error:
        return _page(request, meeting, attach_errors={item.pk: error.messages[0]}, status=400)
    messages.success(request, _("Bakgrundsmaterialet laddades upp."))
    return redirect(meeting)


@require_GET
def attachment_download(request, pk, attachment_pk):
    meeting = get_meeting_for_user(request.user, pk)
    attachment = get_object_or_404(AgendaAttachment, pk=attachment_pk, item__meeting=meeting)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, content_type="application/pdf", filename=f"bakgrund-{attachment.pk}.pdf"
    )
