"""A party's e-mail domains (Organisation.email_domains): kept by the administrator in the
admin, validated, stored one a line; the demo parties have theirs."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from parties.email_domains import parse_domains
from parties.models import Organisation
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_domains_are_read_from_commas_semicolons_and_lines():
    text = " @Arbetsformedlingen.se, af.se;\nAF.se\r\n\trjl.se. "
    assert parse_domains(text) == ["arbetsformedlingen.se", "af.se", "rjl.se"]


def test_an_address_is_the_partys_by_its_exact_domain():
    af = OrganisationFactory(name="Arbetsförmedlingen", email_domains="arbetsformedlingen.se")
    assert af.has_email_domain("Anna.Berg@Arbetsformedlingen.SE")
    assert not af.has_email_domain("anna@evil.example")
    assert not af.has_email_domain("anna@arbetsformedlingen.se.evil.example")
    assert not af.has_email_domain("anna@sub.arbetsformedlingen.se")
    assert not af.has_email_domain("")


@pytest.fixture
def admin_client_as_superuser(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def post_domains(client, organisation, domains):
    return client.post(
        reverse("admin:parties_organisation_change", args=[organisation.pk]),
        {"name": organisation.name, "kind": organisation.kind, "email_domains": domains},
    )


def test_the_administrator_keeps_them_in_the_admin(admin_client_as_superuser):
    af = OrganisationFactory(name="Arbetsförmedlingen", kind="arbetsformedlingen")
    response = post_domains(admin_client_as_superuser, af, "@Arbetsformedlingen.se, af.se")
    assert response.status_code == 302
    af.refresh_from_db()
    assert af.email_domains == "arbetsformedlingen.se\naf.se"
    listing = admin_client_as_superuser.get(reverse("admin:parties_organisation_changelist"))
    assert "arbetsformedlingen.se, af.se" in listing.content.decode()


@pytest.mark.parametrize(
    ("domains", "message"),
    [
        ("gmail.com", "gmail.com är en allmän e-posttjänst"),
        ("af.se, hotmail.se", "hotmail.se är en allmän e-posttjänst"),
        ("se", "se är inte en giltig domän."),
        ("inte en domän!", "domän! är inte en giltig domän."),
        ("exa_mple.se", "exa_mple.se är inte en giltig domän."),
    ],
)
def test_the_admin_refuses_what_is_not_a_partys_domain(admin_client_as_superuser, domains, message):
    af = OrganisationFactory(name="Arbetsförmedlingen", kind="arbetsformedlingen")
    response = post_domains(admin_client_as_superuser, af, domains)
    assert response.status_code == 200
    assert message in response.content.decode()
    af.refresh_from_db()
    assert af.email_domains == ""


def test_the_demo_parties_have_their_domains():
    call_command("load_demo_data", verbosity=0)
    domains = dict(Organisation.objects.values_list("name", "email_domains"))
    assert domains["Arbetsförmedlingen"] == "arbetsformedlingen.example"
    assert domains["Försäkringskassan"] == "forsakringskassan.example"
    assert domains["Region Jönköpings län, primärvård"] == "rjl.example"
    assert domains["Sävsjö kommun"] == "savsjo.kommun.example"
    # The demo's contact persons are at their party's domain.
    for organisation in Organisation.objects.prefetch_related("contact_persons"):
        for contact in organisation.contact_persons.all():
            assert organisation.has_email_domain(contact.email), contact.email
