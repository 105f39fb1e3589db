"""What the views ask of the parties domain. Each function is one rule or action."""

from django.db import transaction
from django.utils import timezone

from ..models import ContactListConfirmation, ContactPerson, SamverkArea


@transaction.atomic
def confirm_contact_list(*, area: SamverkArea, user) -> ContactListConfirmation:
    """Stamp the area's list, and every active person on it, as confirmed today.

    Side effects: updates ``area.contacts_confirmed_on`` and each active contact's
    ``last_confirmed_on``; records who confirmed.
    """
    today = timezone.localdate()
    area.contacts_confirmed_on = today
    area.save(update_fields=["contacts_confirmed_on"])
    ContactPerson.objects.filter(area=area, is_active=True).update(
        last_confirmed_on=today, updated_at=timezone.now()
    )
    return ContactListConfirmation.objects.create(area=area, confirmed_by=user)


def save_contact(*, form) -> ContactPerson:
    """Save a coordinator's create/edit form; a person just checked by hand counts as confirmed."""
    contact = form.save(commit=False)
    contact.last_confirmed_on = timezone.localdate()
    contact.save()
    return contact


def set_contact_active(*, contact: ContactPerson, active: bool) -> ContactPerson:
    """Deactivate (or bring back) a contact person.

    People are never deleted: meetings and history refer to them.
    """
    contact.is_active = active
    contact.save(update_fields=["is_active", "updated_at"])
    return contact
