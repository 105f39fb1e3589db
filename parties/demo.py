"""Demo data for a fresh checkout, parties part: the Höglandet Samverk areas, their parties,
units, invented contact persons (no real people) and one user per role.

Running it again changes nothing: every row is looked up by its natural key first.
"""

from datetime import timedelta

from django.utils import timezone

from parties.enums import OrganisationKind
from parties.models import ContactPerson, Organisation, SamverkArea, Unit, User

DEMO_PASSWORD = "samverk-demo"  # noqa: S105 - documented demo password for local use only

AREAS = {
    # municipality: (slug, target age min, target age max) — ages from the areas' own routines
    "Aneby": ("aneby", 16, 64),
    "Eksjö": ("eksjo", 16, 64),
    "Nässjö": ("nassjo", 16, 65),
    "Sävsjö": ("savsjo", 16, 64),
    "Tranås": ("tranas", 16, 65),
    "Vetlanda": ("vetlanda", 16, 64),
}

AF = "Arbetsförmedlingen"
FK = "Försäkringskassan"
PRIMARY = "Region Jönköpings län, primärvård"
PSYCH = "Region Jönköpings län, psykiatri"

SHARED_UNITS = [
    # (organisation, unit, area or None, vägen in)
    (
        AF,
        "Arbetsförmedlingen Höglandet",
        None,
        "Stöd till arbetssökande, bl.a. arbetsmarknadsutbildning och rehabiliterande insatser. "
        "Nås via den lokala handläggaren eller kundtjänst.",
    ),
    (
        FK,
        "Försäkringskassan, sjukförsäkring Höglandet",
        None,
        "Handlägger sjukpenning och aktivitetsersättning och samordnar rehabilitering. "
        "Deltar bara på möten där den enskilde är med.",
    ),
    (
        PSYCH,
        "Psykiatriska mottagningen Vetlanda",
        None,
        "Specialistpsykiatri för vuxna i Vetlanda och Sävsjö. Remiss från vårdcentral eller egen vårdbegäran.",
    ),
    (
        PSYCH,
        "Psykiatriska mottagningen Nässjö",
        None,
        "Specialistpsykiatri för vuxna i Nässjö, Eksjö och Aneby. Remiss eller egen vårdbegäran.",
    ),
    (
        PSYCH,
        "Psykiatriska mottagningen Tranås",
        "Tranås",
        "Specialistpsykiatri för vuxna i Tranås. Remiss eller egen vårdbegäran.",
    ),
]

PRIMARY_CARE = {
    "Aneby": ["Aneby vårdcentral"],
    "Eksjö": ["Eksjö vårdcentral"],
    "Nässjö": ["Nässjö vårdcentral"],
    "Sävsjö": ["Sävsjö vårdcentral", "Vrigstad filial"],
    "Tranås": ["Vårdcentralen Bra Liv Tranås"],
    "Vetlanda": ["Vetlanda vårdcentral"],
}

MUNICIPAL_UNITS = [
    (
        "Arbetsmarknadsenheten",
        "Arbetsträning, praktik och stöd till arbete för personer som står långt från arbetsmarknaden.",
    ),
    (
        "Socialtjänsten, vuxenenheten",
        "Försörjningsstöd och stöd vid missbruk. Nås via kommunens kontaktcenter.",
    ),
    (
        "Socialpsykiatrin",
        "Boendestöd och sysselsättning för personer med psykisk funktionsnedsättning.",
    ),
]

FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Johan",
    "Sara",
    "Anders",
    "Emma",
    "Per",
    "Lena",
    "Mikael",
    "Sofia",
    "Peter",
    "Elin",
    "Magnus",
    "Ida",
    "Fredrik",
    "Hanna",
    "Jonas",
]
LAST_NAMES = [
    "Ekström",
    "Lindqvist",
    "Bergström",
    "Holmgren",
    "Sjöberg",
    "Åkesson",
    "Nyberg",
    "Falk",
    "Hedlund",
    "Lundgren",
    "Björk",
    "Sandberg",
    "Wikström",
    "Blom",
    "Öberg",
    "Dahl",
]

DOMAINS = {
    AF: "arbetsformedlingen.example",
    FK: "forsakringskassan.example",
    PRIMARY: "rjl.example",
    PSYCH: "rjl.example",
}


def kommun_domain(area) -> str:
    """The demo kommun's e-mail domain (its staff's addresses, its e-mail domains)."""
    return f"{area.slug}.kommun.example"


TITLES = {
    AF: "Arbetsförmedlare",
    FK: "Handläggare sjukförsäkring",
    PRIMARY: "Rehabkoordinator",
    PSYCH: "Kurator",
    "kommun": "Socialsekreterare",
}


class PartiesDemo:
    """Builds the parties part of the demo; `build()` returns what later apps' demo needs."""

    def build(self):
        today = timezone.localdate()
        orgs = {
            AF: self.organisation(AF, OrganisationKind.ARBETSFORMEDLINGEN, DOMAINS[AF]),
            FK: self.organisation(FK, OrganisationKind.FORSAKRINGSKASSAN, DOMAINS[FK]),
            PRIMARY: self.organisation(
                PRIMARY, OrganisationKind.REGION_PRIMARVARD, DOMAINS[PRIMARY]
            ),
            PSYCH: self.organisation(PSYCH, OrganisationKind.REGION_PSYKIATRI, DOMAINS[PSYCH]),
        }
        areas = {}
        for municipality, (slug, age_min, age_max) in AREAS.items():
            # Eksjö's list is left unconfirmed for eight months to show the stale-list warning.
            confirmed = (
                today - timedelta(days=240) if slug == "eksjo" else today - timedelta(days=20)
            )
            areas[municipality], _ = SamverkArea.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": f"Samverk {municipality}",
                    "municipality": municipality,
                    "target_age_min": age_min,
                    "target_age_max": age_max,
                    "contacts_confirmed_on": confirmed,
                },
            )
            orgs[municipality] = self.organisation(
                f"{municipality} kommun",
                OrganisationKind.KOMMUN,
                kommun_domain(areas[municipality]),
            )

        for org_name, unit_name, area_name, way_in in SHARED_UNITS:
            self.unit(orgs[org_name], unit_name, areas.get(area_name), way_in)

        counter = 0
        for municipality, area in areas.items():
            confirmed = area.contacts_confirmed_on
            people = []
            people.append((orgs[AF], self.unit(orgs[AF], "Arbetsförmedlingen Höglandet"), AF, True))
            people.append(
                (
                    orgs[FK],
                    self.unit(orgs[FK], "Försäkringskassan, sjukförsäkring Höglandet"),
                    FK,
                    True,
                )
            )
            for name in PRIMARY_CARE[municipality]:
                unit = self.unit(
                    orgs[PRIMARY],
                    name,
                    area,
                    "Vård och rehabilitering för listade patienter. Rehabkoordinatorn samordnar sjukskrivning.",
                )
                people.append((orgs[PRIMARY], unit, PRIMARY, name == PRIMARY_CARE[municipality][0]))
            psych_unit = {
                "Vetlanda": "Psykiatriska mottagningen Vetlanda",
                "Sävsjö": "Psykiatriska mottagningen Vetlanda",
                "Tranås": "Psykiatriska mottagningen Tranås",
            }.get(municipality, "Psykiatriska mottagningen Nässjö")
            people.append((orgs[PSYCH], self.unit(orgs[PSYCH], psych_unit), PSYCH, True))
            kommun = orgs[municipality]
            for index, (unit_name, way_in) in enumerate(MUNICIPAL_UNITS):
                unit = self.unit(kommun, unit_name, area, way_in)
                people.append((kommun, unit, "kommun", index == 0))

            for organisation, unit, key, is_contact in people:
                first = FIRST_NAMES[counter % len(FIRST_NAMES)]
                last = LAST_NAMES[(counter * 7) % len(LAST_NAMES)]
                counter += 1
                domain = DOMAINS.get(key, kommun_domain(area))
                email = f"{first}.{last}.{area.slug}@{domain}".lower()
                email = email.translate(str.maketrans("åäöé", "aaoe"))
                ContactPerson.objects.get_or_create(
                    area=area,
                    email=email,
                    defaults={
                        "organisation": organisation,
                        "unit": unit,
                        "name": f"{first} {last}",
                        "title": TITLES[key],
                        "phone": f"0{380 + counter % 9}-{100000 + counter * 137}",
                        "is_samverk_contact": is_contact,
                        "last_confirmed_on": confirmed,
                    },
                )

        savsjo = areas["Sävsjö"]
        labour_unit = Unit.objects.get(organisation=orgs["Sävsjö"], name="Arbetsmarknadsenheten")
        self.user(
            "handlaggare",
            "Hanna",
            "Handläggare",
            orgs["Sävsjö"],
            unit=labour_unit,
            is_caseworker=True,
        )
        self.user("handlaggare-fk", "Fredrik", "Försäkring", orgs[FK], is_caseworker=True)
        self.user(
            "handlaggare-vc",
            "Vera",
            "Vårdcentral",
            orgs[PRIMARY],
            unit=Unit.objects.get(name="Sävsjö vårdcentral"),
            is_caseworker=True,
        )
        coordinator = self.user(
            "koordinator", "Kim", "Koordinator", orgs["Sävsjö"], is_caseworker=False
        )
        coordinator.coordinated_areas.add(savsjo)
        self.user(
            "admin",
            "Ada",
            "Administratör",
            None,
            is_caseworker=False,
            is_administrator=True,
            is_staff=True,
            is_superuser=True,
        )

        return {"areas": areas, "orgs": orgs}

    def organisation(self, name, kind, email_domains=""):
        organisation, _created = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "email_domains": email_domains}
        )
        if not organisation.email_domains and email_domains:
            # A demo database from before the party had domains gets them.
            organisation.email_domains = email_domains
            organisation.save(update_fields=["email_domains"])
        return organisation

    def unit(self, organisation, name, area=None, way_in=""):
        return Unit.objects.get_or_create(
            organisation=organisation, name=name, defaults={"area": area, "way_in": way_in}
        )[0]

    def user(self, username, first_name, last_name, organisation, **flags):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@samverk.example",
                "organisation": organisation,
                **flags,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user
