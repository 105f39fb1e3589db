from datetime import timedelta

import factory
from django.utils import timezone
from django.utils.text import slugify

from meetings.services.participation import sync_participation
from parties.enums import OrganisationKind
from parties.models import ContactPerson, Organisation, SamverkArea, Unit, User


class SamverkAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SamverkArea
        django_get_or_create = ["slug"]

    municipality = factory.Sequence(lambda n: f"Kommun{n}")
    name = factory.LazyAttribute(lambda o: f"Samverk {o.municipality}")
    slug = factory.LazyAttribute(lambda o: slugify(o.municipality))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Part {n}")
    kind = OrganisationKind.KOMMUN


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    area = None
    name = factory.Sequence(lambda n: f"Enhet {n}")
    way_in = "Vi hjälper till med arbete och sysselsättning. Ring växeln."


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    area = factory.SubFactory(SamverkAreaFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    unit = None
    name = factory.Sequence(lambda n: f"Kontakt Person{n}")
    title = "Handläggare"
    email = factory.Sequence(lambda n: f"kontakt{n}@example.se")
    phone = factory.Sequence(lambda n: f"0382-{10000 + n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.se")
    organisation = factory.SubFactory(OrganisationFactory)
    is_caseworker = True
    password = factory.PostGenerationMethodCall("set_password", "lösenord-för-test")

    @factory.post_generation
    def coordinated_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinated_areas.set(extracted)
        if create:
            self.save()


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Case"

    area = factory.SubFactory(SamverkAreaFactory)
    owner = factory.SubFactory(UserFactory)
    first_name = "Alva"
    last_name = factory.Sequence(lambda n: f"Enskild{n}")
    # A valid (Luhn) test personnummer from Skatteverket's test series.
    personnummer = "198112289874"


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consent.Consent"
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    form = "written"
    given_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.SelfAttribute("case.owner")

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Room"

    area = factory.SubFactory(SamverkAreaFactory)
    name = factory.Sequence(lambda n: f"Rum {n}")
    address = "Storgatan 1"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Meeting"
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    kind = "samverkansmote"
    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=30)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    location = "Kommunhuset"
    purpose = "Planera stöd till arbete"
    questions = "Vilka insatser behövs?"
    convened_by = factory.SelfAttribute("case.owner")
    convening_organisation = factory.SelfAttribute("convened_by.organisation")

    # As every write path of meetings does (meetings.services.participation): who takes
    # part may open the ärende.
    @factory.post_generation
    def participation(self, create, extracted, **kwargs):
        if create:
            sync_participation(self.case)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Participant"
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    kind = "external"
    name = factory.Sequence(lambda n: f"Deltagare {n}")
    email = factory.Sequence(lambda n: f"deltagare{n}@example.se")

    @factory.post_generation
    def participation(self, create, extracted, **kwargs):
        if create:
            sync_participation(self.meeting.case)


class ActionPlanFactory(factory.django.DjangoModelFactory):
    """A plan written straight to the table. `plans.services.start.get_or_create_plan` is
    what the app calls (it carries the previous plan over); this is for a test that only
    needs a plan to exist."""

    class Meta:
        model = "plans.ActionPlan"
        django_get_or_create = ["meeting"]

    meeting = factory.SubFactory(MeetingFactory)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Goal"

    plan = factory.SubFactory(ActionPlanFactory)
    text = factory.Sequence(lambda n: f"Mål {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Action"

    plan = factory.SubFactory(ActionPlanFactory)
    what = factory.Sequence(lambda n: f"Insats {n}")


def _next_version_number(version):
    last = version.plan.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _snapshot(version):
    from plans.services.versions import snapshot_of

    return snapshot_of(version.plan)


class PlanVersionFactory(factory.django.DjangoModelFactory):
    """A fastställd version of the plan as it stands, without the audit row that
    `freeze_plan` writes."""

    class Meta:
        model = "plans.PlanVersion"

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.LazyAttribute(_next_version_number)
    snapshot = factory.LazyAttribute(_snapshot)
    frozen_by = factory.SelfAttribute("plan.meeting.convened_by")


class OutboundMessageFactory(factory.django.DjangoModelFactory):
    """A row in the outbox, queued unless told otherwise; ``related=participant`` ties it to
    what it is about."""

    class Meta:
        model = "outbox.OutboundMessage"

    to_email = factory.Sequence(lambda n: f"mottagare{n}@example.se")
    subject = "Kallelse"
    text_body = "Kallelse"


def take_part(case, user, *, days_ago=7, **fields):
    """``user`` took part, as staff of their party, in a meeting of ``case`` ``days_ago``
    days ago: that opens the ärende to them (need to know) for the configured time after.
    In the past, so that it never clashes with what a test books."""
    starts_at = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=days_ago)
    return ParticipantFactory(
        meeting=MeetingFactory(case=case, starts_at=starts_at),
        kind="staff",
        user=user,
        organisation=user.organisation,
        name=str(user),
        **fields,
    )
