"""A new contact list PDF after every change that shows on it (issue 20): a contact person,
a unit (its "vägen in"), a party's name, the area (its name, the list's confirmation).
Connected in PartiesConfig.ready; bulk writes, which send no signals, ask themselves
(parties.services.transfer, parties.services.contacts). Only areas whose PDF someone
has asked for once get builds (request_contact_list_pdf)."""

from django.db.models.signals import post_delete, post_save

from .models import ContactListPdf, ContactPerson, Organisation, SamverkArea, Unit
from .services.pdf_queue import request_contact_list_pdf


def _contact_changed(sender, instance, **kwargs):
    request_contact_list_pdf(instance.area_id)


def _unit_changed(sender, instance, **kwargs):
    if instance.area_id:
        request_contact_list_pdf(instance.area_id)


def _area_changed(sender, instance, created=False, **kwargs):
    if not created:
        request_contact_list_pdf(instance.pk)


def _party_changed(sender, instance, created=False, **kwargs):
    if created:
        return
    areas = (
        ContactListPdf.objects.filter(area__contact_persons__organisation=instance)
        .values_list("area_id", flat=True)
        .distinct()
    )
    for area_id in list(areas):
        request_contact_list_pdf(area_id)


def connect():
    uid = "parties.contact_list_pdf"
    post_save.connect(_contact_changed, sender=ContactPerson, dispatch_uid=f"{uid}.contact")
    post_delete.connect(_contact_changed, sender=ContactPerson, dispatch_uid=f"{uid}.contact-")
    post_save.connect(_unit_changed, sender=Unit, dispatch_uid=f"{uid}.unit")
    post_delete.connect(_unit_changed, sender=Unit, dispatch_uid=f"{uid}.unit-")
    post_save.connect(_area_changed, sender=SamverkArea, dispatch_uid=f"{uid}.area")
    post_save.connect(_party_changed, sender=Organisation, dispatch_uid=f"{uid}.party")
