from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import MessageState


class OutboundMessage(models.Model):
    """One e-mail Samverk sends. The row is the truth about the message's state.

    Rows are written by `outbox.services.queue_message` and moved through the
    states only by the functions in `outbox.services` and the tracking receiver.
    """

    state = models.CharField(
        _("status"), max_length=16, choices=MessageState.choices, default=MessageState.QUEUED
    )
    to_email = models.EmailField(_("till (e-post)"))
    to_name = models.CharField(_("till (namn)"), max_length=200, blank=True)
    reply_to = models.EmailField(_("svar till"), blank=True)
    subject = models.CharField(_("ämne"), max_length=255)
    text_body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    # Attachments are built in the worker from these, never stored here: a PDF
    # or calendar file is rebuilt from current data on each attempt.
    attachments_builder = models.CharField(_("bilagor byggs av"), max_length=100, blank=True)
    builder_args = models.JSONField(_("argument till bilagor"), default=dict, blank=True)

    related_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    related = GenericForeignKey("related_type", "related_id")

    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), default=timezone.now)
    last_error = models.TextField(_("senaste fel"), blank=True)
    # Our own Message-ID header; the same on every attempt so receivers can
    # recognise a repeat.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    provider_message_id = models.CharField(
        _("leverantörens meddelande-id"), max_length=255, blank=True, db_index=True
    )
    # When a task for the row was last handed to the task backend; the periodic
    # safety net uses it to avoid piling up duplicate tasks while a worker is down.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    # When a worker claimed the row; a SENDING row claimed long ago is stuck.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("utgående meddelande")
        verbose_name_plural = _("utgående meddelanden")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_state_next_idx"),
            models.Index(fields=["related_type", "related_id"], name="outbox_related_idx"),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to_email} ({self.get_state_display()})"

    @property
    def can_retry(self):
        return self.state in MessageState.retryable()


class WorkerHeartbeat(models.Model):
    """The task worker on a host says it is alive (outbox.heartbeat, every
    HEARTBEAT_INTERVAL seconds from `manage.py db_worker` or `rqworker`); /readyz reads
    the newest. One row per host: no personal data, nothing to purge."""

    worker = models.CharField(_("arbetare"), max_length=255, unique=True)
    beat_at = models.DateTimeField(_("senast vid liv"), db_index=True)

    class Meta:
        verbose_name = _("arbetarens livstecken")
        verbose_name_plural = _("arbetarnas livstecken")

    def __str__(self):
        return self.worker
