import factory
from django.utils.text import slugify

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
