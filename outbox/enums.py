from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageState(models.TextChoices):
    QUEUED = "queued", _("Köad")
    SENDING = "sending", _("Skickas")
    SENT = "sent", _("Skickad")
    DELIVERED = "delivered", _("Levererad")
    BOUNCED = "bounced", _("Studsad")
    FAILED = "failed", _("Misslyckad")
    # A later change (the meeting moved or was cancelled, the recipient was removed) made
    # the message untrue before it left: it is never sent, a newer message says what holds.
    SUPERSEDED = "superseded", _("Ersatt")

    @classmethod
    def retryable(cls):
        """States from which a user may send the message again ("Skicka igen"; a
        superseded message is not sent itself: what holds now goes instead)."""
        return [cls.FAILED, cls.BOUNCED, cls.SUPERSEDED]

    @classmethod
    def supersedable(cls):
        """States of a message a later change may still stop: not yet left, not being sent."""
        return [cls.QUEUED, cls.FAILED]

    @classmethod
    def pending(cls):
        """States in which the message has not yet left Samverk."""
        return [cls.QUEUED, cls.SENDING]
