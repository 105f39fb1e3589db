"""The admin shows no individual's data (see common.admin): ids, area, owner, status and
dates. An ärende is never deleted here (only the retention purge removes one) and the audit
trail is read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import NamelessAdminMixin

from .enums import CaseAction
from .models import Case, CaseEvent, PurgedCase


@admin.register(Case)
class CaseAdmin(NamelessAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "area", "owner", "status", "created_at", "closed_on"]
    list_filter = ["status", "area"]
    # Not by name: a hit would tell that the person has an ärende.
    search_fields = ["id__exact", "owner__username", "owner__last_name"]
    search_help_text = _("Sök på ärendets id eller den ansvariges användarnamn eller efternamn.")
    list_select_related = ["area", "owner"]
    # Which ärenden a handläggare answers for and in which area; nothing about the person.
    fields = ["id", "area", "owner", "status", "closed_on", "created_at", "updated_at"]
    readonly_fields = ["id", "status", "closed_on", "created_at", "updated_at"]
    raw_id_fields = ["owner"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # The retention purge (purge_closed_cases) is the only way out, with a tombstone.
        return False

    def save_model(self, request, obj, form, change):
        # In the admin's transaction, like every change of an ärende: logged with who.
        super().save_model(request, obj, form, change)
        if form.changed_data:
            obj.log(request.user, CaseAction.CHANGED, fields=sorted(form.changed_data))


@admin.register(CaseEvent)
class CaseEventAdmin(NamelessAdminMixin, admin.ModelAdmin):
    list_display = ["at", "case_id", "user", "action", "action_label"]
    list_filter = ["action"]
    search_fields = ["case_id__exact", "user__username", "action"]
    search_help_text = _("Sök på ärendets id, användarnamn eller händelsetyp.")
    list_select_related = ["user"]
    date_hierarchy = "at"
    # Not the data: it can hold a reason or a name typed by staff.
    fields = ["at", "case_id", "user", "action", "action_label"]
    readonly_fields = fields

    # The audit trail is written by the app only, and leaves only with the retention purge.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("vad"))
    def action_label(self, obj):
        return obj.action_label


@admin.register(PurgedCase)
class PurgedCaseAdmin(admin.ModelAdmin):
    list_display = ["case_ref", "area", "closed_on", "purged_at", "meetings", "events"]
    list_filter = ["area"]
    search_fields = ["case_ref__exact"]
    date_hierarchy = "purged_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
