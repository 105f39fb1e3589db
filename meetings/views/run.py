""" "Genomför mötet": the page the mötesledare runs the meeting from.

Every change works twice: from htmx (the changed part of the page comes back,
plus out-of-band updates of the parts that depend on it) and without
JavaScript (a normal POST, then a redirect back to the page). Bad input gets
400 with the message beside the field, as a partial for htmx or as the page.
"""

from datetime import UTC

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from common.forms import parse_id
from common.htmx import is_htmx
from consent.services import can_record_consent, covered_organisation_ids

from ..access import can_change_meeting
from ..enums import AgendaItem, Attendance, MeetingAction, MeetingKind, ParticipantKind
from ..forms.run import AgendaForm, AttendanceForm, OralConsentForm, RolesForm, WalkInForm
from ..services import invitations, run
from .mixins import MeetingChangeMixin, MeetingMixin, add_errors

PARTIAL = "meetings/run/"

# What later apps add to the whole page, in order, so that this app imports none of them:
# callables (request, meeting) -> dict merged into the page's context. The plan registers
# its sections here (plans/apps.py, plans/run_part.py): the meeting needs no page switch.
RUN_PAGE_PARTS = []


def iso_utc(moment) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def run_context(request, meeting, **overrides) -> dict:
    """Everything the page and its partials show; a fixed number of queries."""
    participants = sorted(
        invitations.active_participants(meeting),
        key=lambda p: (p.kind != ParticipantKind.INDIVIDUAL, p.party_name.lower(), p.name),
    )
    by_id = {p.pk: p for p in participants}
    can_run = can_change_meeting(request.user, meeting) and not meeting.is_cancelled
    candidates = [p for p in participants if p.attendance in Attendance.taking_part()]

    roles_form = overrides.pop("roles_form", None)
    roles = []
    for name, field in RolesForm.base_fields.items():
        selected = getattr(meeting, f"{name}_id")
        if roles_form is not None and roles_form.is_bound:
            raw = roles_form.data.get(name, "")
            selected = parse_id(raw)
        roles.append(
            {
                "name": name,
                "label": field.label,
                "help": field.help_text,
                "selected": selected,
                "holder": by_id.get(getattr(meeting, f"{name}_id")),
                "errors": roles_form.errors.get(name, []) if roles_form is not None else [],
            }
        )

    parties = {meeting.convening_organisation_id: meeting.convening_organisation}
    parties.update({p.organisation_id: p.organisation for p in participants if p.organisation_id})
    parties = sorted(parties.values(), key=lambda o: o.name)
    day = timezone.localtime(meeting.starts_at).date()
    premeeting = meeting.kind == MeetingKind.PREMEETING
    covered = covered_organisation_ids(meeting.case, on=day, premeeting=premeeting)
    gaps = invitations.consent_gaps(meeting)
    can_consent = can_run and not premeeting and can_record_consent(request.user)
    consent_form = overrides.pop("consent_form", None)
    if consent_form is None and can_consent and gaps:
        consent_form = OralConsentForm(parties=parties, uncovered=gaps)

    minutes, over = run.minutes_left(meeting)
    context = {
        "meeting": meeting,
        "case": meeting.case,
        "participants": participants,
        "can_run": can_run,
        "can_consent": can_consent,
        "attendance_choices": Attendance.choices,
        "roles": roles,
        "roles_errors": roles_form.non_field_errors() if roles_form is not None else [],
        # _roles.html keeps the form across its own answer only when that answer shows no error.
        "roles_invalid": roles_form is not None and bool(roles_form.errors),
        "role_candidates": candidates,
        "agenda": [
            {"code": code, "label": label, "done": code in meeting.agenda_done}
            for code, label in AgendaItem.choices
        ],
        "consent_parties": [{"name": o.name, "covered": o.pk in covered} for o in parties],
        "consent_gaps": gaps,
        "consent_form": consent_form,
        "walk_in_form": overrides.pop("walk_in_form", None),
        "walk_in_open": False,
        "agenda_errors": [],
        "row_errors": {},
        "clock_minutes": minutes,
        "clock_over": over,
        "starts_iso": iso_utc(meeting.starts_at),
        "ends_iso": iso_utc(meeting.ends_at),
        "status": "",
        "nav": "cases",
    }
    context.update(overrides)
    if context["walk_in_form"] is None and can_run:
        context["walk_in_form"] = WalkInForm()
    return context


def log_viewed(request, meeting):
    meeting.case.log(request.user, MeetingAction.VIEWED, meeting=meeting.pk, page="run")


def page(request, meeting, *, status=200, **overrides):
    """The whole page: on GET, and again with the errors of a refused change. Either way a
    read of the meeting, logged."""
    log_viewed(request, meeting)
    context = run_context(request, meeting, **overrides)
    context["present"] = request.GET.get("storskarm") == "1"
    for part in RUN_PAGE_PARTS:
        context.update(part(request, meeting))
    return render(request, "meetings/run.html", context, status=status)


def partials(request, context, main: str, *oob: str, status=200) -> HttpResponse:
    """The main partial for hx-target, then out-of-band ones wrapped in <template>.

    The wrapper lets a <tr> come first: table rows and sections cannot share a fragment.
    After a change the service has logged it; a refused change (400) logged nothing, so
    the parts it shows again are logged as a read here.
    """
    if status >= 400:
        log_viewed(request, context["meeting"])
    html = render_to_string(PARTIAL + main, context, request=request)
    oob = (*oob, "_status.html")
    extra = "".join(
        render_to_string(PARTIAL + name, {**context, "oob": True}, request=request) for name in oob
    )
    return HttpResponse(f"{html}<template>{extra}</template>", status=status)


def back(meeting, anchor: str):
    return HttpResponseRedirect(reverse("meetings:run", args=[meeting.pk]) + f"#{anchor}")


def saved(when=None) -> str:
    return _("Sparat %(time)s.") % {"time": timezone.localtime(when).strftime("%H:%M")}


class RunView(MeetingMixin, View):
    """Read-only for everyone who may open the ärende; changeable by who may change the meeting."""

    def get(self, request, *args, **kwargs):
        return page(request, self.meeting)


class RunChangeMixin(MeetingChangeMixin):
    """The run page's changes (one place to hook them, as the race tests do)."""


class AttendanceView(RunChangeMixin, View):
    def post(self, request, *args, **kwargs):
        meeting = self.meeting
        participant = get_object_or_404(
            meeting.participants.filter(removed_at__isnull=True), pk=kwargs["participant_pk"]
        )
        form = AttendanceForm(request.POST)
        errors = []
        if not form.is_valid():
            errors = form.errors["attendance"]
        else:
            try:
                run.set_attendance(
                    participant=participant,
                    attendance=form.cleaned_data["attendance"],
                    user=request.user,
                )
            except ValidationError as error:
                errors = error.messages
        if errors:
            row_errors = {participant.pk: errors}
            if is_htmx(request):
                context = run_context(request, meeting, row_errors=row_errors)
                context["p"] = next(p for p in context["participants"] if p.pk == participant.pk)
                return partials(request, context, "_row.html", status=400)
            return page(request, meeting, row_errors=row_errors, status=400)
        if not is_htmx(request):
            messages.success(
                request, _("Närvaron för %(name)s är sparad.") % {"name": participant.name}
            )
            return back(meeting, f"deltagare-{participant.pk}")
        context = run_context(request, meeting)
        context["p"] = next(p for p in context["participants"] if p.pk == participant.pk)
        context["status"] = _("%(name)s: %(attendance)s. %(saved)s") % {
            "name": participant.name,
            "attendance": context["p"].get_attendance_display(),
            "saved": saved(),
        }
        return partials(request, context, "_row.html", "_roles.html")


class RolesView(RunChangeMixin, View):
    def post(self, request, *args, **kwargs):
        meeting = self.meeting
        form = RolesForm(request.POST, meeting=meeting)
        if form.is_valid():
            try:
                run.set_roles(meeting=meeting, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
        if form.errors:
            if is_htmx(request):
                context = run_context(request, meeting, roles_form=form)
                return partials(request, context, "_roles.html", status=400)
            return page(request, meeting, roles_form=form, status=400)
        if not is_htmx(request):
            messages.success(request, _("Rollerna är sparade."))
            return back(meeting, "roller")
        context = run_context(request, meeting, status=_("Rollerna är sparade. ") + saved())
        return partials(request, context, "_roles.html")


class AgendaView(RunChangeMixin, View):
    def post(self, request, *args, **kwargs):
        meeting = self.meeting
        form = AgendaForm(request.POST)
        if not form.is_valid():
            if is_htmx(request):
                context = run_context(request, meeting, agenda_errors=form.errors)
                return partials(request, context, "_agenda.html", status=400)
            return page(request, meeting, agenda_errors=form.errors, status=400)
        done = set(form.cleaned_data["done"])
        item = form.cleaned_data["item"]
        changes = [item] if item else AgendaItem.values
        try:
            for code in changes:
                run.toggle_agenda_item(
                    meeting=meeting, user=request.user, item=code, done=code in done
                )
        except ValidationError as error:
            if is_htmx(request):
                context = run_context(request, meeting, agenda_errors=error.messages)
                return partials(request, context, "_agenda.html", status=400)
            messages.error(request, " ".join(error.messages))
            return back(meeting, "checklista")
        if not is_htmx(request):
            messages.success(request, _("Checklistan är sparad."))
            return back(meeting, "checklista")
        context = run_context(request, meeting, status=_("Checklistan är sparad. ") + saved())
        return partials(request, context, "_agenda.html")


class WalkInView(RunChangeMixin, View):
    def post(self, request, *args, **kwargs):
        meeting = self.meeting
        form = WalkInForm(request.POST)
        participant = None
        if form.is_valid():
            try:
                participant = run.add_walk_in(
                    meeting=meeting,
                    user=request.user,
                    name=form.cleaned_data["name"],
                    organisation=form.cleaned_data["organisation"],
                    organisation_name=form.cleaned_data["organisation_name"],
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                add_errors(form, error)
        if participant is None:
            if is_htmx(request):
                context = run_context(request, meeting, walk_in_form=form, walk_in_open=True)
                return partials(request, context, "_attendance.html", status=400)
            return page(request, meeting, walk_in_form=form, walk_in_open=True, status=400)
        message = _("%(name)s är tillagd som närvarande.") % {"name": participant.name}
        if not is_htmx(request):
            messages.success(request, message)
            return back(meeting, f"deltagare-{participant.pk}")
        context = run_context(request, meeting, walk_in_open=True, status=message)
        return partials(request, context, "_attendance.html", "_roles.html", "_consent.html")


class OralConsentView(RunChangeMixin, View):
    def post(self, request, *args, **kwargs):
        meeting = self.meeting
        if not can_record_consent(request.user):
            raise PermissionDenied
        parties = run.invited_parties(meeting)
        form = OralConsentForm(request.POST, parties=parties)
        consent = None
        if form.is_valid():
            try:
                consent = run.record_oral_consent(
                    meeting=meeting,
                    user=request.user,
                    organisations=form.cleaned_data["organisations"],
                    restrictions=form.cleaned_data["restrictions"],
                )
            except ValidationError as error:
                add_errors(form, error)
        if consent is None:
            if is_htmx(request):
                context = run_context(request, meeting, consent_form=form)
                return partials(request, context, "_consent.html", status=400)
            return page(request, meeting, consent_form=form, status=400)
        message = _("Muntligt samtycke är registrerat för %(parties)s.") % {
            "parties": ", ".join(o.name for o in form.cleaned_data["organisations"])
        }
        if not is_htmx(request):
            messages.success(request, message)
            return back(meeting, "samtycke")
        context = run_context(request, meeting, status=message)
        return partials(request, context, "_consent.html")


class StartView(RunChangeMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            run.start_meeting(
                meeting=self.meeting,
                user=request.user,
                confirmed_early=request.POST.get("confirm_early") == "1",
            )
        except run.EarlyStart as early:
            # Asked on the page itself: "Mötet är om N dagar. Starta ändå?"
            return page(request, self.meeting, early_start_days=early.days)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return back(self.meeting, "main")
