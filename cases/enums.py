from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Öppet")
    CLOSED = "closed", _("Avslutat")


class ContactPreference(models.TextChoices):
    LETTER = "letter", _("Brev")
    PHONE = "phone", _("Telefon")
    EMAIL = "email", _("E-post")
    SMS = "sms", _("SMS")


class CaseAction(models.TextChoices):
    """The ärende's own audit action types (the string stored on CaseEvent.action). The
    other apps declare theirs beside their code; all register with cases.audit."""

    CREATED = "case.created", _("Ärendet skapades")
    VIEWED = "case.viewed", _("Ärendet visades")
    CHANGED = "case.changed", _("Ärendet ändrades")
    CLOSED = "case.closed", _("Ärendet avslutades")
    REOPENED = "case.reopened", _("Ärendet öppnades igen")
    PERSONNUMMER_SHOWN = "case.personnummer_shown", _("Personnumret visades")
    LISTED = "case.listed", _("Ärendet visades i en lista")
    EXTRACT_PRODUCED = "case.extract_produced", _("Registerutdrag togs fram")
    ACCESS_GRANTED = "case.access_granted", _("Ärendet delades med en kollega")
    ACCESS_WITHDRAWN = "case.access_withdrawn", _("Delning med en kollega återkallades")
    ACCESS_LIST_VIEWED = "case.access_list_viewed", _("Listan över vem som har åtkomst visades")
