"""Demo data for a fresh checkout: Höglandet's areas, parties, contact persons,
users, rooms, and a few invented ärenden with consent and meetings.

No real people. Running it again changes nothing: rows are looked up by natural key.
"""

from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from areaplans.demo import build_eksjo_plan
from cases.models import Case
from consent.models import Consent
from followup.demo import build_spindeln_rounds
from groups.demo import build_savsjo_groups
from meetings.enums import Answer, MeetingKind, ParticipantKind
from meetings.models import Meeting, Participant, Room
from meetings.services.participation import sync_participation
from parties.demo import DEMO_PASSWORD, PartiesDemo
from parties.models import ContactPerson, SamverkArea, User

ROOMS = [
    ("Samverksrummet", "Kommunhuset, Storgatan 10"),
    ("Konferensrum Ljuset", "Vårdcentralen, Parkgatan 2"),
]

# Invented individuals; personnummer from Skatteverket's published test series.
INDIVIDUALS = [
    ("Alva", "Andersson", "198112289874", "", False),
    ("Omar", "Hassan", "199008232390", "Arabiska", True),
    ("Linnea", "Berg", "", "", False),
]


def at(days, hour):
    """A time on the first weekday at least `days` from today."""
    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class Command(BaseCommand):
    help = "Lägger in demodata: Höglandets Samverk-områden, parter, kontaktpersoner, användare och några påhittade ärenden."

    @transaction.atomic
    def handle(self, *args, **options):
        built = PartiesDemo().build()
        for area in built["areas"].values():
            for name, address in ROOMS:
                Room.objects.get_or_create(area=area, name=name, defaults={"address": address})

        # Samverk Eksjö's own handlingsplan for 2026 (issue 18), fastställd and revised.
        build_eksjo_plan(
            SamverkArea.objects.get(slug="eksjo"), User.objects.get(username="admin")
        )

        savsjo = SamverkArea.objects.get(slug="savsjo")
        # Samverk Sävsjö's styrgrupp and arbetsgrupp with their meetings (issue 18).
        build_savsjo_groups(savsjo, User.objects.get(username="koordinator"))
        # A closed Spindeln round per area this year, Sävsjö's to its styrgrupp (issue 19).
        build_spindeln_rounds(User.objects.get(username="koordinator"))
        caseworker = User.objects.get(username="handlaggare")
        if not Case.objects.filter(area=savsjo, owner=caseworker).exists():
            self.build_cases(savsjo, caseworker)

        self.stdout.write(
            self.style.SUCCESS(
                f"Demodata klar: {SamverkArea.objects.count()} områden, {ContactPerson.objects.count()} "
                f"kontaktpersoner, {User.objects.count()} användare, {Case.objects.count()} ärenden, "
                f"{Meeting.objects.count()} möten. Lösenord för demoanvändarna: {DEMO_PASSWORD}"
            )
        )

    def build_cases(self, area, owner):
        contacts = {
            c.organisation.kind: c
            for c in ContactPerson.objects.filter(
                area=area, is_samverk_contact=True
            ).select_related("organisation")
        }
        room = Room.objects.get(area=area, name="Samverksrummet")
        cases = []
        for first, last, pnr, interpreter, support in INDIVIDUALS:
            case = Case.objects.create(
                area=area,
                owner=owner,
                first_name=first,
                last_name=last,
                personnummer=pnr,
                address="Exempelvägen 1\n576 00 Sävsjö",
                phone="070-000 00 00",
                interpreter_language=interpreter,
                needs_support_person=support,
                wishes="Vill att mamma får vara med som stöd." if support else "",
            )
            case.involved_organisations.add(
                owner.organisation, *(c.organisation for c in contacts.values())
            )
            cases.append(case)

        alva, omar, _ = cases
        consent = Consent.objects.create(
            case=alva,
            form="written",
            covers_premeeting=True,
            given_on=timezone.localdate() - timedelta(days=7),
            recorded_by=owner,
        )
        consent.organisations.set(
            [c.organisation for c in contacts.values()] + [owner.organisation]
        )
        # A förmöte with no samverkansmöte booked yet: the dashboard flags it.
        pre = self.meeting(
            alva,
            owner,
            MeetingKind.PREMEETING,
            at(5, 9),
            room,
            [contacts["arbetsformedlingen"], contacts["region_primarvard"]],
            individual=False,
        )
        self.meeting(
            alva,
            owner,
            MeetingKind.COLLABORATION,
            at(35, 13),
            room,
            [
                contacts["arbetsformedlingen"],
                contacts["region_primarvard"],
                contacts["forsakringskassan"],
            ],
            premeeting=None,
        )
        self.meeting(
            omar,
            owner,
            MeetingKind.SIP,
            at(24, 10),
            None,
            [contacts["region_psykiatri"], contacts["arbetsformedlingen"]],
            location="Biblioteket, grupprum 2",
        )
        return pre

    def meeting(
        self,
        case,
        owner,
        kind,
        starts_at,
        room,
        contacts,
        individual=True,
        location="",
        premeeting=None,
    ):
        meeting = Meeting.objects.create(
            case=case,
            kind=kind,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            room=room,
            location=location,
            purpose="Planera gemensamt stöd på vägen mot arbete eller studier.",
            questions="Vilka insatser kan varje part erbjuda? Vem samordnar?",
            convening_organisation=owner.organisation,
            convened_by=owner,
            premeeting=premeeting,
        )
        Participant.objects.create(
            meeting=meeting,
            kind=ParticipantKind.STAFF,
            user=owner,
            organisation=owner.organisation,
            name=str(owner),
            email=owner.email,
            answer=Answer.ATTENDING,
            note="Sammankallande",
        )
        for contact in contacts:
            Participant.objects.create(
                meeting=meeting,
                kind=ParticipantKind.CONTACT,
                contact_person=contact,
                organisation=contact.organisation,
                name=contact.name,
                email=contact.email,
            )
        if individual:
            Participant.objects.create(
                meeting=meeting, kind=ParticipantKind.INDIVIDUAL, name=case.individual_name
            )
        # As the booking does: who takes part may open the ärende.
        sync_participation(case)
        return meeting
