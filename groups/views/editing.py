"""Changing a booked group meeting: move it, edit its agenda, edit an uppdrag."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.forms import parse_id

from ..access import get_meeting_for_user, may_manage
from ..forms.editing import AssignmentEditForm, ItemForm, MoveForm
from ..models import AgendaItem, Assignment
from ..services import agenda, booking
from ..services import minutes as minutes_service


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


def _updates_message(request, count: int):
    if count:
        messages.info(
            request,
            _("Medlemmarna får en uppdaterad kallelse (%(n)s meddelanden).") % {"n": count},
        )


@require_http_methods(["GET", "POST"])
def meeting_move(request, pk):
    """Flytta mötet: a new time (and place, convener) with the booking's rules."""
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    if meeting.is_cancelled:
        messages.error(request, _("Mötet är inställt och kan inte flyttas."))
        return redirect(meeting)
    form = MoveForm(request.POST or None, meeting=meeting)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed, count = booking.move_meeting(
                    meeting,
                    starts_at=form.starts_at,
                    ends_at=form.ends_at,
                    place=form.cleaned_data["place"],
                    remote_link=form.cleaned_data["remote_link"],
                    convener=form.cleaned_data["convener"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if changed:
                    messages.success(request, _("Mötet är ändrat."))
                    _updates_message(request, count)
                else:
                    messages.info(request, _("Inget var ändrat."))
                return redirect(meeting)
        status = 400
    return render(
        request,
        "groups/meeting_move.html",
        {"meeting": meeting, "group": meeting.group, "form": form, "nav": "groups"},
        status=status,
    )


def _item_form_page(request, meeting, form, item=None, status=200):
    return render(
        request,
        "groups/item_form.html",
        {"meeting": meeting, "group": meeting.group, "form": form, "item": item, "nav": "groups"},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def item_add(request, pk):
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    form = ItemForm(request.POST or None)
    if request.method == "GET":
        return _item_form_page(request, meeting, form)
    if form.is_valid():
        try:
            _item, count = agenda.add_item(meeting, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Punkten lades till."))
            _updates_message(request, count)
            return redirect(meeting.get_absolute_url() + "#agenda")
    return _item_form_page(request, meeting, form, status=400)


@require_http_methods(["GET", "POST"])
def item_edit(request, pk, item_pk):
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    initial = {"title": item.title, "presenter": item.presenter, "minutes": item.minutes}
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "GET":
        return _item_form_page(request, meeting, form, item)
    if form.is_valid():
        try:
            changed, count = agenda.edit_item(item, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Punkten sparades.") if changed else _("Inget var ändrat."))
            _updates_message(request, count)
            return redirect(meeting.get_absolute_url() + "#agenda")
    return _item_form_page(request, meeting, form, item, status=400)


@require_POST
def item_move(request, pk, item_pk):
    """Upp / Ner (a no-JS form per button): the item's position as the page showed it
    comes along, so a second click of the same button moves nothing."""
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    direction = request.POST.get("direction", "")
    if direction not in (agenda.UP, agenda.DOWN):
        messages.error(request, _("Välj upp eller ner."))
        return redirect(meeting.get_absolute_url() + "#agenda")
    try:
        agenda.move_item(
            item, direction=direction, seen_position=parse_id(request.POST.get("position", ""))
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(meeting.get_absolute_url() + "#agenda")


@require_POST
def item_remove(request, pk, item_pk):
    meeting = get_meeting_for_user(request.user, pk, manage=True)
    try:
        removed, count = agenda.remove_item(item_pk, meeting)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if removed:
            messages.success(request, _("Punkten togs bort."))
            _updates_message(request, count)
        else:
            messages.info(request, _("Punkten var redan borttagen."))
    return redirect(meeting.get_absolute_url() + "#agenda")


@require_http_methods(["GET", "POST"])
def assignment_edit(request, assignment_pk):
    """An uppdrag's what, who and by when, changed after the meeting by whoever keeps
    the group (the owner marks it done, see assignment_done)."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("meeting", "meeting__group", "meeting__group__area"),
        pk=assignment_pk,
    )
    meeting = assignment.meeting
    if not may_manage(request.user, meeting.group):
        raise PermissionDenied
    initial = {
        "what": assignment.what,
        "owner": assignment.owner_id,
        "due_on": assignment.due_on,
        "version": assignment.version,
    }
    form = AssignmentEditForm(request.POST or None, initial=initial, group=meeting.group)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = minutes_service.update_assignment(
                    assignment,
                    what=form.cleaned_data["what"],
                    owner=form.cleaned_data["owner"],
                    due_on=form.cleaned_data["due_on"],
                    seen_version=form.cleaned_data["version"],
                )
            except minutes_service.AssignmentChanged as changed_meanwhile:
                current = changed_meanwhile.current
                form.add_error(
                    None,
                    _(
                        "Någon annan har ändrat uppdraget medan du skrev; inget sparades. Nu "
                        "står det: %(what)s – %(owner)s. Spara igen för att använda din text."
                    )
                    % {"what": current.what, "owner": current.owner_display},
                )
                data = form.data.copy()
                data["version"] = str(current.version)
                form.data = data
                status = 409
            except ValidationError as error:
                _add_errors(form, error)
                status = 400
            else:
                messages.success(
                    request, _("Uppdraget sparades.") if changed else _("Inget var ändrat.")
                )
                return redirect(meeting)
        else:
            status = 400
    return render(
        request,
        "groups/assignment_form.html",
        {
            "assignment": assignment,
            "meeting": meeting,
            "group": meeting.group,
            "form": form,
            "nav": "groups",
        },
        status=status,
    )
