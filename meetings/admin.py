from django.contrib import admin

from cases.models import Case

from .models import Meeting, Participant, Room
from .services.participation import sync_participation


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "area"]
    list_filter = ["area"]
    search_fields = ["name", "address"]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ["user", "contact_person"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
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
    search_fields = ["case__id", "location", "room__name", "convened_by__username"]
    list_select_related = ["convening_organisation", "room"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["case", "convened_by", "premeeting"]
    inlines = [ParticipantInline]

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
