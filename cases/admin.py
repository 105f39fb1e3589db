from django.contrib import admin

from .models import Case, CaseEvent


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    # Personnummer is deliberately left out of lists and search.
    list_display = ["pk", "first_name", "last_name", "area", "owner", "status", "created_at"]
    list_filter = ["status", "area"]
    search_fields = ["first_name", "last_name", "owner__username", "owner__last_name"]
    list_select_related = ["area", "owner"]
    exclude = ["personnummer"]
    filter_horizontal = ["involved_organisations"]
    raw_id_fields = ["owner"]


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ["at", "case_id", "user", "action"]
    list_filter = ["action"]
    search_fields = ["case__id", "user__username", "action"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    # The audit trail is written by the app only.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
