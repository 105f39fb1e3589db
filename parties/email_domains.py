"""A party's e-mail domains: where its staff's addresses end, kept by the administrator.

They say whether an address belongs to a party, e.g. a substitute named through a
forwarded answer link (meetings.services.invitations): the kallelse carries the
individual's name, the purpose and the questions, and must not reach someone outside the
party it was sent to. A public mail service (gmail.com, outlook.com, ...) belongs to no
party and is refused as one of its domains.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator
from django.utils.translation import gettext as _

# Anyone can get an address here: they never show that a person belongs to a party.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "bahnhof.se",
        "bredband.net",
        "comhem.se",
        "gmail.com",
        "gmx.com",
        "gmx.se",
        "googlemail.com",
        "hotmail.com",
        "hotmail.se",
        "icloud.com",
        "live.com",
        "live.se",
        "mail.com",
        "me.com",
        "msn.com",
        "outlook.com",
        "outlook.se",
        "proton.me",
        "protonmail.com",
        "spray.se",
        "tele2.se",
        "telia.com",
        "yahoo.com",
        "yahoo.se",
    }
)
_SEPARATORS = re.compile(r"[\s,;]+")
_domain_name = DomainNameValidator()  # a name with a top-level domain: not a bare "se"


def domain_of(email: str) -> str:
    """The domain of an e-mail address, lower case ("" without one)."""
    return (email or "").strip().rpartition("@")[2].strip().lower().rstrip(".")


def is_public_mail_domain(domain: str) -> bool:
    return domain.strip().lower() in PUBLIC_MAIL_DOMAINS


def parse_domains(text: str) -> list[str]:
    """The domains in a comma-, semicolon- or line-separated text, lower case, without a
    leading "@", each once, in the order written. Not validated (see validate_domains)."""
    found = []
    for part in _SEPARATORS.split(text or ""):
        domain = part.strip().lstrip("@").lower().rstrip(".")
        if domain and domain not in found:
            found.append(domain)
    return found


def validate_domains(text: str) -> None:
    """The validator of Organisation.email_domains: every domain a real name with a
    top-level domain (not a bare "se"), none a public mail service."""
    errors = []
    for domain in parse_domains(text):
        try:
            _domain_name(domain)
        except ValidationError:
            errors.append(_("%(domain)s är inte en giltig domän.") % {"domain": domain})
            continue
        if is_public_mail_domain(domain):
            errors.append(
                _(
                    "%(domain)s är en allmän e-posttjänst där vem som helst kan ha en adress, "
                    "inte en parts domän."
                )
                % {"domain": domain}
            )
    if errors:
        raise ValidationError(errors)
