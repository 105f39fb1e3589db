"""Single sign-on's rules, the same for every protocol (OpenID Connect, SAML 2.0).

A login through an organisation's identity provider (parties.models.IdentityProvider) is
turned into facts by the protocol's glue (parties/sso.py: the e-mail address and whether the
provider verified it, the claims or attributes, the authentication-context values), and
these functions decide what Samverk does with them:

- `place_user`: which user the login is (an existing one linked by verified address, one
  made from the organisation's contact person, or a new one), always in the provider's
  organisation; refused (`SSORefused`) otherwise;
- `check_returning_user`: a second login (the provider's account already linked) is still a
  user of the provider's organisation;
- `apply_roles`: roles from the configured claim only;
- `is_strong`: whether the login counts as a second factor.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ..models import ContactPerson, IdentityProvider, SamverkArea

# The session key that says the login was strong at the identity provider (the MFA
# enforcement honours it instead of Samverk's own second factor).
STRONG_SESSION_KEY = "samverk_sso_strong"


class SSORefused(Exception):
    """The login may not go on; ``message`` is shown to the person (Swedish), ``user`` is
    the existing account concerned, if any (for the security log)."""

    def __init__(self, message, user=None):
        super().__init__(str(message))
        self.message = message
        self.user = user


@dataclass
class Placement:
    """Who the login is. ``user`` is saved when ``linked`` (an existing account, now linked
    to the provider) and unsaved when ``created`` (the caller saves it with the link)."""

    user: object
    linked: bool = False
    created: bool = False
    contact_person: ContactPerson | None = None
    areas: list[SamverkArea] = field(default_factory=list)


def _users_with_email(email):
    return list(get_user_model().objects.filter(email__iexact=email).order_by("pk")[:2])


def place_user(provider: IdentityProvider, email, email_verified, claims) -> Placement:
    """The user a first login through ``provider`` is, by the e-mail address it vouches for.

    - An existing user with the address is linked when the provider verified the address
      and the user belongs to the provider's organisation; refused otherwise.
    - Without such a user, a verified address of one of the organisation's contact persons
      makes a user from the contact person (name, title, phone, unit); any other verified
      address a new user of the organisation (name from the claims).
    - An unverified address, no address, or an address that is another organisation's user
      or contact person: refused. A provider never places anybody outside its organisation.
    Roles: none, unless the provider maps a claim (`apply_roles`).
    """
    email = (email or "").strip()
    if not email:
        raise SSORefused(_("Inloggningen gav ingen e-postadress, så kontot kan inte kopplas."))
    users = _users_with_email(email)
    if len(users) > 1:
        raise SSORefused(
            _("Flera konton har den här e-postadressen. Kontakta administratören."), users[0]
        )
    if users:
        user = users[0]
        if user.organisation_id != provider.organisation_id:
            raise SSORefused(_other_organisation_message(), user)
        if not email_verified:
            raise SSORefused(_unverified_message(), user)
        if not user.is_active:
            raise SSORefused(_("Kontot är avstängt. Kontakta administratören."), user)
        apply_roles(provider, user, claims)
        return Placement(user=user, linked=True)

    if not email_verified:
        raise SSORefused(_unverified_message())
    contacts = list(ContactPerson.objects.filter(email__iexact=email).select_related("unit"))
    if any(c.organisation_id != provider.organisation_id for c in contacts):
        raise SSORefused(_other_organisation_message())
    user = get_user_model()(
        email=email,
        organisation=provider.organisation,
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
    )
    contact = next((c for c in contacts if c.is_active), contacts[0] if contacts else None)
    if contact is not None:
        first, _sep, last = contact.name.partition(" ")
        user.first_name = user.first_name or first[:150]
        user.last_name = user.last_name or last[:150]
        user.title = contact.title
        user.phone = contact.phone
        user.unit = contact.unit
    elif not (user.first_name or user.last_name) and claims.get("name"):
        first, _sep, last = str(claims["name"]).partition(" ")
        user.first_name, user.last_name = first[:150], last[:150]
    placement = Placement(user=user, created=True, contact_person=contact)
    placement.areas = apply_roles(provider, user, claims, save=False)
    return placement


def check_returning_user(provider: IdentityProvider, user):
    """A login through an already linked account: the user must still belong to the
    provider's organisation (an administrator may have moved them) and be active."""
    if user.organisation_id != provider.organisation_id:
        raise SSORefused(_other_organisation_message(), user)
    if not user.is_active:
        raise SSORefused(_("Kontot är avstängt. Kontakta administratören."), user)


def claim_values(claims, name) -> list[str]:
    """A claim's or attribute's values as strings (a single value, or a list of them)."""
    value = claims.get(name)
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [str(v) for v in value]
    return [str(value)]


def apply_roles(provider: IdentityProvider, user, claims, save=True) -> list[SamverkArea]:
    """Roles from the provider's claim, and only those the provider maps: a mapped role is
    given when the claim holds its value and taken away when it does not (the identity
    provider decides that role); without a mapping nothing changes. Returns the areas the
    user coordinates through the mapping (for an unsaved user the caller adds them)."""
    if not provider.role_claim:
        return []
    values = claim_values(claims, provider.role_claim)
    if provider.caseworker_value:
        user.is_caseworker = provider.caseworker_value in values
        if save:
            user.save(update_fields=["is_caseworker"])
    areas = []
    if provider.coordinator_value and provider.coordinator_area_id:
        coordinates = provider.coordinator_value in values
        if coordinates:
            areas.append(provider.coordinator_area)
        if save:
            if coordinates:
                user.coordinated_areas.add(provider.coordinator_area)
            else:
                user.coordinated_areas.remove(provider.coordinator_area)
    return areas


def is_strong(provider: IdentityProvider, presented) -> bool:
    """Whether the authentication-context values the provider reports (OIDC ``acr``, SAML
    AuthnContextClassRef) include one the administrator listed as strong."""
    strong = set(provider.strong_value_list)
    return bool(strong) and any(str(v) in strong for v in presented if v)


def _other_organisation_message():
    return _(
        "Ditt konto i Samverk hör till en annan organisation än den du loggade in med. Logga "
        "in med din egen organisations inloggning eller kontakta administratören."
    )


def _unverified_message():
    return _(
        "Din organisations inloggning har inte bekräftat din e-postadress, så Samverk kan "
        "inte koppla den till ett konto. Kontakta administratören."
    )
