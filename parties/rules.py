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


def note_coordinator(area, user, coordinates: bool) -> None:
    """Record on this area object whether `user` coordinates it, when that was read together
    with the area (AreaMixin does, in one query), so is_area_coordinator needs no query.

    The area object lives for one request; nothing is kept between requests.
    """
    area._coordinator_of = {user.pk: coordinates}


@rules.predicate
def is_area_coordinator(user, area):
    if area is None or not user.is_authenticated:
        return False
    known = getattr(area, "_coordinator_of", {})
    if user.pk in known:
        return known[user.pk]
    return user.coordinated_areas.filter(pk=area.pk).exists()


# A coordinator of the area always has a staff role; checking that first lets an area page
# answer from the area's own query.
can_view_contact_list = is_area_coordinator | has_staff_role
can_edit_contact_list = is_samverk_admin | is_area_coordinator

rules.add_perm("parties.view_contact_list", can_view_contact_list)
rules.add_perm("parties.edit_contact_list", can_edit_contact_list)
