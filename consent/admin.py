from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Consent


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Ids only in lists: never the individual's name or personnummer."""

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
    raw_id_fields = ["case", "recorded_by", "revoked_by"]
    filter_horizontal = ["organisations"]
    readonly_fields = ["recorded_at"]

    @admin.display(description=_("ärende (id)"), ordering="case_id")
    def case_number(self, obj):
        # The raw id, not str(case): that would be the individual's name.
        return obj.case_id

    @admin.display(boolean=True, description=_("återkallat"))
    def is_revoked(self, obj):
        return obj.is_revoked
