from django.contrib import admin

from .models import Deviation


@admin.register(Deviation)
class DeviationAdmin(admin.ModelAdmin):
    """Status and category only: the texts and the ärende link stay with the coordinator."""

    list_display = ["__str__", "area", "category", "status", "created_at"]
    list_filter = ["area", "category", "status"]
    fields = ["area", "occurred_on", "category", "status"]
    readonly_fields = ["area", "occurred_on", "category"]

    def has_add_permission(self, request):
        return False
