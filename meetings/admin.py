from django.contrib import admin

from .models import Meeting, Participant, Room


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
