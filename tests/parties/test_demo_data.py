"""The demo data command: Höglandet areas, parties from the seeds, one user per role, idempotent."""

import pytest
from django.core.management import call_command

from cases.models import Case
from meetings.models import Meeting, Participant, Room
from parties.enums import OrganisationKind
from parties.models import ContactPerson, Organisation, SamverkArea, Unit, User


def snapshot():
    return {
        model.__name__: sorted(map(str, model.objects.values_list()))
        for model in (
            SamverkArea,
            Organisation,
            Unit,
            ContactPerson,
            User,
            Case,
            Meeting,
            Participant,
            Room,
        )
    }


@pytest.mark.django_db
def test_demo_data_builds_hoglandet_and_is_idempotent():
    call_command("load_demo_data", verbosity=0)
    first = snapshot()
    call_command("load_demo_data", verbosity=0)
    assert snapshot() == first

    assert set(SamverkArea.objects.values_list("municipality", flat=True)) == {
        "Aneby",
        "Eksjö",
        "Nässjö",
        "Sävsjö",
        "Tranås",
        "Vetlanda",
    }
    assert SamverkArea.objects.get(slug="tranas").target_age_max == 65
    assert SamverkArea.objects.get(slug="savsjo").target_age_max == 64
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds >= {
        OrganisationKind.ARBETSFORMEDLINGEN,
        OrganisationKind.FORSAKRINGSKASSAN,
        OrganisationKind.REGION_PRIMARVARD,
        OrganisationKind.REGION_PSYKIATRI,
        OrganisationKind.KOMMUN,
    }
    for unit in ("Sävsjö vårdcentral", "Vrigstad filial", "Psykiatriska mottagningen Vetlanda"):
        assert Unit.objects.filter(name=unit).exists(), unit
    for area in SamverkArea.objects.all():
        parties = set(area.contact_persons.values_list("organisation__kind", flat=True))
        assert len(parties) == 5, area
        assert area.contact_persons.filter(is_samverk_contact=True).exists()

    assert User.objects.get(username="handlaggare").is_caseworker
    assert User.objects.get(username="koordinator").coordinated_areas.filter(slug="savsjo").exists()
    assert User.objects.get(username="admin").is_samverk_admin
    assert User.objects.get(username="handlaggare").check_password("samverk-demo")
    assert Room.objects.filter(area__slug="savsjo").count() == 2
    assert Case.objects.filter(owner__username="handlaggare").count() == 3
    assert Meeting.objects.filter(kind="formote").exists()
