from allauth.socialaccount.models import SocialApp
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms.identity_provider import PROTOCOLS, IdentityProviderForm
from .models import (
    ContactListConfirmation,
    ContactPerson,
    IdentityProvider,
    Organisation,
    SamverkArea,
    SecurityEvent,
    Unit,
    User,
)


@admin.register(SamverkArea)
class SamverkAreaAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "municipality",
        "target_age_min",
        "target_age_max",
        "contacts_confirmed_on",
    ]
    search_fields = ["name", "municipality"]
    prepopulated_fields = {"slug": ["municipality"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "domains"]
    list_filter = ["kind"]
    search_fields = ["name", "email_domains"]
    fields = ["name", "kind", "email_domains"]

    @admin.display(description=_("e-postdomäner"))
    def domains(self, obj):
        return ", ".join(obj.email_domain_list) or "–"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "area", "phone", "email"]
    list_filter = ["organisation__kind", "organisation", "area"]
    search_fields = ["name", "organisation__name", "way_in"]
    list_select_related = ["organisation", "area"]


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organisation",
        "unit",
        "area",
        "email",
        "phone",
        "is_samverk_contact",
        "is_active",
        "last_confirmed_on",
    ]
    list_filter = ["area", "organisation__kind", "organisation", "is_active", "is_samverk_contact"]
    search_fields = ["name", "email", "phone", "title", "unit__name"]
    list_select_related = ["organisation", "unit", "area"]
    autocomplete_fields = ["unit"]
    actions = ["deactivate"]

    def has_delete_permission(self, request, obj=None):
        # Meetings and history refer to contact persons: deactivate instead.
        return False

    @admin.action(description=_("Inaktivera valda kontaktpersoner"))
    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(
            request,
            _("%(count)d kontaktpersoner inaktiverades.") % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ContactListConfirmation)
class ContactListConfirmationAdmin(admin.ModelAdmin):
    list_display = ["area", "confirmed_by", "confirmed_at"]
    list_filter = ["area"]
    search_fields = ["area__name", "confirmed_by__username", "confirmed_by__last_name"]
    date_hierarchy = "confirmed_at"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "organisation",
        "is_caseworker",
        "is_administrator",
        "is_active",
    ]
    list_filter = [
        "is_caseworker",
        "is_administrator",
        "coordinated_areas",
        "organisation",
        "is_active",
    ]
    search_fields = ["username", "first_name", "last_name", "email", "organisation__name"]
    list_select_related = ["organisation"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("Samverk"),
            {
                "fields": [
                    "organisation",
                    "unit",
                    "title",
                    "phone",
                    "is_caseworker",
                    "is_administrator",
                    "coordinated_areas",
                ]
            },
        ),
    ]
    filter_horizontal = [*BaseUserAdmin.filter_horizontal, "coordinated_areas"]


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """An organisation's login (single sign-on): the identity provider's settings are kept in
    allauth's SocialApp, edited here through IdentityProviderForm."""

    form = IdentityProviderForm
    list_display = ["__str__", "organisation", "protocol_name", "is_active"]
    list_filter = ["is_active", "app__provider"]
    search_fields = ["label", "organisation__name", "app__provider_id"]
    list_select_related = ["organisation", "app"]
    fieldsets = [
        (None, {"fields": ["organisation", "label", "is_active"]}),
        (
            _("Identitetsleverantören"),
            {
                "fields": [
                    "protocol",
                    "provider_id",
                    "server_url",
                    "client_id",
                    "secret",
                    "extra_settings",
                ]
            },
        ),
        (_("Stark autentisering"), {"fields": ["strong_values"]}),
        (
            _("Roller från inloggningen"),
            {
                "fields": [
                    "role_claim",
                    "caseworker_value",
                    "coordinator_value",
                    "coordinator_area",
                ]
            },
        ),
    ]

    @admin.display(description=_("protokoll"), ordering="app__provider")
    def protocol_name(self, obj):
        return dict(PROTOCOLS).get(obj.app.provider, obj.app.provider)

    # The SocialApp goes with its login (and the row with it, one to one): left behind, its
    # address would still send people to the identity provider.
    def delete_model(self, request, obj):
        obj.app.delete()

    def delete_queryset(self, request, queryset):
        SocialApp.objects.filter(identity_provider__in=queryset).delete()


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security log, read-only: written by the signals alone (parties/security_log.py),
    removed by the retention purge alone."""

    list_display = ("at", "kind", "user", "login", "address")
    list_filter = ("kind",)
    search_fields = ("login", "address", "user__username")
    date_hierarchy = "at"
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The second factors (allauth.mfa): without their secrets.
from . import mfa_admin  # noqa: E402, F401
