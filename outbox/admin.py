import re

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import NamelessAdminMixin

from . import services
from .enums import MessageState
from .models import OutboundMessage

EMAIL_ADDRESS = re.compile(r"[^\s<>\"'@]+@[^\s<>\"'@]+")


def kind_of(subject: str) -> str:
    """What a message is, from its subject: the app's subjects start with their kind
    ("Kallelse: …", "Svar på kallelse: …"); what follows the colon can name a person."""
    return subject.split(":", 1)[0].strip()


@admin.register(OutboundMessage)
class OutboundMessageAdmin(NamelessAdminMixin, admin.ModelAdmin):
    """Delivery state, attempts and errors, not the message: its recipient, subject and
    text name participants, the individual among them (DESIGN: data protection). The
    recipient by domain only, the subject by its kind, e-mail addresses in errors hidden."""

    list_display = ["pk", "state", "kind", "recipient_domain", "attempts", "created_at", "sent_at"]
    list_filter = ["state"]
    # Ids only here; get_search_results adds the kind (the subject up to its colon).
    search_fields = ["=id", "provider_message_id", "message_id"]
    search_help_text = _("Sök på meddelandets id eller typ, t.ex. Kallelse.")
    date_hierarchy = "created_at"
    actions = ["send_again"]
    # The state machine belongs to outbox.services; the admin only looks and retries.
    fields = [
        "state",
        "kind",
        "recipient_domain",
        "attempts",
        "next_attempt_at",
        "error",
        "message_id",
        "provider_message_id",
        "attachments_builder",
        "builder_args",
        "enqueued_at",
        "claimed_at",
        "sent_at",
        "created_at",
        "updated_at",
        "related_type",
        "related_id",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # "Skicka igen" from the list needs it; a message's own page is read-only.
        return obj is None and super().has_change_permission(request)

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        # A term with a colon reaches past the kind into what may be a name: not searched.
        if term and ":" not in term:
            found = found | queryset.filter(subject__istartswith=term)
        return found, may_have_duplicates

    @admin.display(description=_("typ"))
    def kind(self, obj):
        return kind_of(obj.subject)

    @admin.display(description=_("mottagarens domän"))
    def recipient_domain(self, obj):
        return obj.to_email.rpartition("@")[2]

    @admin.display(description=_("senaste fel"))
    def error(self, obj):
        return EMAIL_ADDRESS.sub(str(_("[e-postadress]")), obj.last_error)

    @admin.action(description=_("Skicka igen"), permissions=["change"])
    def send_again(self, request, queryset):
        retried = replaced = refused = 0
        for message in queryset.filter(state__in=MessageState.retryable()):
            try:
                going = services.retry(message)
            except ValidationError:
                refused += 1  # superseded, with nothing to send instead
                continue
            # A message the meeting's changes made untrue is not sent: what holds now is.
            if going.pk == message.pk:
                retried += 1
            else:
                replaced += 1
        skipped = queryset.count() - retried - replaced
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
        if replaced:
            self.message_user(
                request,
                ngettext(
                    "%(count)d meddelande gällde inte längre (mötet har ändrats): det som "
                    "gäller nu skickas i stället.",
                    "%(count)d meddelanden gällde inte längre (mötet har ändrats): det som "
                    "gäller nu skickas i stället.",
                    replaced,
                )
                % {"count": replaced},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                _(
                    "%(count)d hoppades över: bara misslyckade, studsade eller ersatta kan "
                    "skickas igen, och ett ersatt bara om det finns något som gäller nu."
                )
                % {"count": skipped},
                messages.WARNING,
            )
