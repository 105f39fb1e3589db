from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import NamelessAdminMixin

from .models import Consent


@admin.register(Consent)
class ConsentAdmin(NamelessAdminMixin, admin.ModelAdmin):
    """Ids only: never the individual's name or personnummer, nor what they wrote or
    signed (restrictions, the scanned document, the reason for revoking). Read-only:
    consent is recorded and revoked in the app, where it is logged."""

    list_display = [
        "id",
        "case_number",
        "form",
        "given_on",
        "valid_until",
        "covers_premeeting",
        "is_revoked",
    ]
    list_filter = [
        "form",
        "covers_premeeting",
        ("revoked_at", admin.EmptyFieldListFilter),
        "given_on",
    ]
    search_fields = ["case__id__exact"]  # compared as text: "abc" is no 500
    search_help_text = _("Sök på ärendets id.")
    date_hierarchy = "given_on"
    fields = [
        "id",
        "case_number",
        "form",
        "organisations",
        "covers_premeeting",
        "given_on",
        "valid_until",
        "recorded_by",
        "recorded_at",
        "revoked_at",
        "revoked_by",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("ärende (id)"), ordering="case_id")
    def case_number(self, obj):
        # The raw id, not str(case): that would be the individual's name.
        return obj.case_id

    @admin.display(boolean=True, description=_("återkallat"))
    def is_revoked(self, obj):
        return obj.is_revoked
