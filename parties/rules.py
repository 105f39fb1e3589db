"""Who may read and change the parties' contact lists.

Predicates take (user, area). Every staff role may read every area's list;
only the area's coordinators and administrators may change it.
"""

import rules


@rules.predicate
def is_samverk_admin(user):
    return bool(getattr(user, "is_samverk_admin", False))


@rules.predicate
def has_staff_role(user):
    return user.is_authenticated and (
        user.is_caseworker or user.is_samverk_admin or user.coordinated_areas.exists()
    )


@rules.predicate
def is_area_coordinator(user, area):
    if area is None or not user.is_authenticated:
        return False
    return user.coordinated_areas.filter(pk=area.pk).exists()


can_view_contact_list = has_staff_role
can_edit_contact_list = is_samverk_admin | is_area_coordinator

rules.add_perm("parties.view_contact_list", can_view_contact_list)
rules.add_perm("parties.edit_contact_list", can_edit_contact_list)
