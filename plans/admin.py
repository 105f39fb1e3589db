from django.contrib import admin

from common.admin import NamelessAdminMixin

from .models import ActionPlan, AreaPlanSettings, PlanVersion


class ReadOnlyMixin:
    """The plan's text is about the individual: not in the admin, and written in the app
    only, where every change is logged."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActionPlan)
class ActionPlanAdmin(ReadOnlyMixin, NamelessAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "meeting", "updated_at"]
    list_select_related = ["meeting"]
    fields = ["meeting", "previous", "revision", "created_at", "updated_at"]
    readonly_fields = fields


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyMixin, NamelessAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "plan_id", "number", "frozen_at", "frozen_by"]
    list_select_related = ["frozen_by"]
    # Not the snapshot: the whole plan as it was fastställd.
    fields = ["plan_id", "number", "frozen_at", "frozen_by"]
    readonly_fields = fields


@admin.register(AreaPlanSettings)
class AreaPlanSettingsAdmin(admin.ModelAdmin):
    list_display = ["area", "attach_pdf"]
    list_filter = ["attach_pdf"]
