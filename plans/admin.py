from django.contrib import admin

from .models import ActionPlan, AreaPlanSettings, PlanVersion


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["meeting", "updated_at"]
    raw_id_fields = ["meeting", "previous"]


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "frozen_at", "frozen_by"]
    raw_id_fields = ["plan", "frozen_by"]


@admin.register(AreaPlanSettings)
class AreaPlanSettingsAdmin(admin.ModelAdmin):
    list_display = ["area", "attach_pdf"]
    list_filter = ["attach_pdf"]
