from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageState(models.TextChoices):
    QUEUED = "queued", _("Köad")
    SENDING = "sending", _("Skickas")
    SENT = "sent", _("Skickad")
    DELIVERED = "delivered", _("Levererad")
    BOUNCED = "bounced", _("Studsad")
    FAILED = "failed", _("Misslyckad")

    @classmethod
    def retryable(cls):
        """States from which a user may send the message again."""
        return [cls.FAILED, cls.BOUNCED]

    @classmethod
    def pending(cls):
        """States in which the message has not yet left Samverk."""
        return [cls.QUEUED, cls.SENDING]
