from django.contrib import admin

from cases.models import Case
from common.admin import NamelessAdminMixin

from .models import Meeting, Participant, Room
from .services.participation import sync_participation


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "area"]
    list_filter = ["area"]
    search_fields = ["name", "address"]


class ParticipantInline(admin.TabularInline):
    """Who takes part, by role, party and account: not their names, e-mail or notes (the
    individual is a participant too). A row added here takes its name from the user or
    contact person."""

    model = Participant
    extra = 0
    template = "admin/meetings/participant_inline.html"
    fields = [
        "kind",
        "user",
        "contact_person",
        "organisation",
        "organisation_name",
        "answer",
        "attendance",
        "added_at",
        "removed_at",
    ]
    raw_id_fields = ["user", "contact_person"]


@admin.register(Meeting)
class MeetingAdmin(NamelessAdminMixin, admin.ModelAdmin):
    """Times, place and people by id; not the purpose, questions, address or reason
    (they are about the individual), and the ärende by its id."""

    list_display = [
        "pk",
        "kind",
        "starts_at",
        "ends_at",
        "status",
        "convening_organisation",
        "room",
    ]
    list_filter = ["kind", "status", "convening_organisation__kind", "case__area"]
    search_fields = ["case__id", "room__name", "convened_by__username"]
    list_select_related = ["convening_organisation", "room"]
    date_hierarchy = "starts_at"
    fields = [
        "case",
        "kind",
        "status",
        "starts_at",
        "ends_at",
        "room",
        "remote_link",
        "convening_organisation",
        "convened_by",
        "premeeting",
        "invitations_sent_at",
        "sequence",
        "cancelled_at",
        "started_at",
    ]
    raw_id_fields = ["case", "convened_by", "premeeting"]
    nameless_raw_id_fields = ("case",)
    inlines = [ParticipantInline]

    def has_add_permission(self, request):
        # A meeting is booked in the app (rules, consent, kallelser); the admin lacks the
        # purpose and questions it would need.
        return False

    def save_formset(self, request, form, formset, change):
        for participant in formset.save(commit=False):
            if not participant.name:
                person = participant.user or participant.contact_person
                participant.name = str(person) if person else ""
            participant.save()
        for participant in formset.deleted_objects:
            participant.delete()
        formset.save_m2m()

    def save_model(self, request, obj, form, change):
        # On the instance, not the (shared) ModelAdmin: the ärende it had before the edit.
        obj._previous_case_id = (
            Meeting.objects.filter(pk=obj.pk).values_list("case_id", flat=True).first()
            if change
            else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Who takes part, or when, may have changed: the access rule reads CaseParticipation.
        super().save_related(request, form, formsets, change)
        meeting = form.instance
        sync_participation(meeting.case)
        previous = getattr(meeting, "_previous_case_id", None)
        if previous and previous != meeting.case_id:
            sync_participation(Case.objects.get(pk=previous))

    def delete_model(self, request, obj):
        case = obj.case
        super().delete_model(request, obj)
        sync_participation(case)

    def delete_queryset(self, request, queryset):
        cases = list(Case.objects.filter(pk__in=queryset.values("case_id")))
        super().delete_queryset(request, queryset)
        for case in cases:
            sync_participation(case)
