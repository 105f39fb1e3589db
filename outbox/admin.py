from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .enums import MessageState
from .models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["state", "to_email", "subject", "attempts", "created_at"]
    list_filter = ["state"]
    search_fields = ["to_email", "subject"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    # The state machine belongs to outbox.services; the admin only looks and retries.
    readonly_fields = [
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "message_id",
        "provider_message_id",
        "enqueued_at",
        "claimed_at",
        "sent_at",
        "created_at",
        "updated_at",
        "related_type",
        "related_id",
    ]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Skicka igen"), permissions=["change"])
    def send_again(self, request, queryset):
        retried = 0
        for message in queryset.filter(state__in=MessageState.retryable()):
            services.retry(message)
            retried += 1
        skipped = queryset.count() - retried
        self.message_user(
            request,
            ngettext(
                "%(count)d meddelande köades för att skickas igen.",
                "%(count)d meddelanden köades för att skickas igen.",
                retried,
            )
            % {"count": retried},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                _("%(count)d hoppades över: bara misslyckade eller studsade kan skickas igen.")
                % {"count": skipped},
                messages.WARNING,
            )
