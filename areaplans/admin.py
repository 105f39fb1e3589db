from django.contrib import admin

from .models import AreaPlan, AreaPlanVersion


class VersionInline(admin.TabularInline):
    """Versions are frozen: shown, never changed here."""

    model = AreaPlanVersion
    fields = ["number", "kind", "decided_on", "meeting", "created_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AreaPlan)
class AreaPlanAdmin(admin.ModelAdmin):
    """The plan is written in the app (areaplans:plan); the admin lists it and can remove a
    mistaken year."""

    list_display = ["area", "year", "updated_at"]
    list_filter = ["area"]
    list_select_related = ["area"]
    fields = ["area", "year", "based_on", "comment", "created_at", "updated_at"]
    readonly_fields = ["area", "year", "based_on", "created_at", "updated_at"]
    inlines = [VersionInline]

    def has_add_permission(self, request):
        return False
