"""The second factors in the admin (imported by parties/admin.py): who has which and when it
was used, never the secret. allauth's own admin shows ``data``, which holds the app's key,
the recovery codes' seed and a key's credential: an administrator could copy a user's app.
An administrator deletes a lost phone's or key's factor (the user then enrols again);
adding and changing them is the user's own, under Tvåstegsverifiering."""

import allauth.mfa.admin  # noqa: F401 -- registers allauth's admin first, replaced below
from allauth.mfa.base.internal.flows import delete_dangling_recovery_codes
from allauth.mfa.models import Authenticator
from django.contrib import admin

from . import security_log

admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class SecondFactorAdmin(admin.ModelAdmin):
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name")
    list_select_related = ("user",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        self.delete_queryset(request, Authenticator.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        # Recovery codes without an app or key left are removed too (as allauth does), and
        # every removal is in the security log under the owner, from the admin's address.
        for authenticator in list(queryset.select_related("user")):
            if not Authenticator.objects.filter(pk=authenticator.pk).exists():
                continue  # went with the app or key before it
            authenticator.delete()
            removed = [authenticator]
            if leftover := delete_dangling_recovery_codes(authenticator.user):
                removed.append(leftover)
            for _ in removed:
                security_log.record(
                    security_log.Kind.MFA_REMOVED,
                    request,
                    authenticator.user,
                    authenticator.user.get_username(),
                )
