"""Which parties current consent covers: the rules meetings rely on before anyone is invited."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consent import services
from consent.enums import ConsentAction
from consent.models import Consent
from tests.factories import CaseFactory, ConsentFactory, OrganisationFactory, UserFactory

TODAY = timezone.localdate
pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(db):
    return {
        "af": OrganisationFactory(name="Arbetsförmedlingen", kind="arbetsformedlingen"),
        "fk": OrganisationFactory(name="Försäkringskassan", kind="forsakringskassan"),
        "kommun": OrganisationFactory(name="Sävsjö kommun", kind="kommun"),
    }


@pytest.fixture
def case(area):
    return CaseFactory(area=area)


def names(organisations):
    return [org.name for org in organisations]


def test_written_consent_covers_the_parties_it_lists(case, orgs):
    ConsentFactory(case=case, form="written", organisations=[orgs["af"], orgs["kommun"]])
    today = TODAY()
    assert services.covered_organisation_ids(case, on=today) == {
        orgs["af"].pk,
        orgs["kommun"].pk,
    }
    assert services.uncovered_parties(case, [orgs["af"], orgs["kommun"]], on=today) == []


def test_partial_scope_leaves_the_other_parties_uncovered(case, orgs):
    ConsentFactory(case=case, organisations=[orgs["kommun"]])
    uncovered = services.uncovered_parties(case, orgs.values(), on=TODAY())
    assert names(uncovered) == ["Arbetsförmedlingen", "Försäkringskassan"]


def test_expired_consent_no_longer_covers(case, orgs):
    yesterday = TODAY() - timedelta(days=1)
    ConsentFactory(
        case=case,
        given_on=yesterday - timedelta(days=30),
        valid_until=yesterday,
        organisations=[orgs["kommun"]],
    )
    assert services.covered_organisation_ids(case, on=TODAY()) == set()
    assert names(services.uncovered_parties(case, [orgs["kommun"]], on=TODAY())) == [
        "Sävsjö kommun"
    ]
    # It did count on its last day.
    assert services.covered_organisation_ids(case, on=yesterday) == {orgs["kommun"].pk}


def test_consent_valid_until_today_still_counts_today(case, orgs):
    ConsentFactory(case=case, valid_until=TODAY(), organisations=[orgs["af"]])
    assert services.covered_organisation_ids(case, on=TODAY()) == {orgs["af"].pk}


def test_revoked_consent_stops_counting_at_once_and_stays_in_the_history(case, orgs):
    consent = ConsentFactory(case=case, organisations=[orgs["af"], orgs["kommun"]])
    user = case.owner
    services.revoke_consent(consent=consent, user=user, reason="Den enskilde ångrade sig.")

    assert services.covered_organisation_ids(case, on=TODAY()) == set()
    assert not services.has_premeeting_consent(case, on=TODAY())
    kept = Consent.objects.get(pk=consent.pk)
    assert kept.is_revoked and kept.revoked_by == user
    assert kept.revoked_reason == "Den enskilde ångrade sig."
    assert case.events.filter(action=ConsentAction.REVOKED).count() == 1


def test_revoking_twice_or_without_reason_is_refused(case, orgs):
    consent = ConsentFactory(case=case, organisations=[orgs["af"]])
    with pytest.raises(ValidationError):
        services.revoke_consent(consent=consent, user=case.owner, reason="  ")
    services.revoke_consent(consent=consent, user=case.owner, reason="Återkallat muntligt.")
    with pytest.raises(ValidationError):
        services.revoke_consent(consent=consent, user=case.owner, reason="Igen.")


def test_consent_given_in_the_future_does_not_count_today(case, orgs):
    tomorrow = TODAY() + timedelta(days=1)
    ConsentFactory(case=case, given_on=tomorrow, organisations=[orgs["af"]])
    assert services.covered_organisation_ids(case, on=TODAY()) == set()
    assert names(services.uncovered_parties(case, [orgs["af"]], on=TODAY())) == [
        "Arbetsförmedlingen"
    ]


def test_record_consent_refuses_a_future_date(case, orgs):
    with pytest.raises(ValidationError) as error:
        services.record_consent(
            case=case,
            user=case.owner,
            organisations=[orgs["af"]],
            form="oral",
            given_on=TODAY() + timedelta(days=1),
        )
    assert "Ett samtycke kan inte vara lämnat i framtiden." in error.value.messages
    assert not Consent.objects.exists()


def test_record_consent_saves_the_parties_and_logs(case, orgs):
    consent = services.record_consent(
        case=case,
        user=case.owner,
        organisations=[orgs["af"], orgs["fk"]],
        form="oral",
        given_on=TODAY(),
    )
    assert set(consent.organisations.all()) == {orgs["af"], orgs["fk"]}
    event = case.events.get(action=ConsentAction.RECORDED)
    assert event.user == case.owner
    assert event.data["organisations"] == sorted([orgs["af"].pk, orgs["fk"].pk])


def test_premeeting_needs_the_premeeting_flag(case, orgs):
    ConsentFactory(case=case, covers_premeeting=False, organisations=[orgs["af"]])
    today = TODAY()
    assert services.covered_organisation_ids(case, on=today) == {orgs["af"].pk}
    assert services.covered_organisation_ids(case, on=today, premeeting=True) == set()
    assert not services.has_premeeting_consent(case, on=today)

    ConsentFactory(case=case, covers_premeeting=True, organisations=[orgs["kommun"]])
    assert services.covered_organisation_ids(case, on=today, premeeting=True) == {orgs["kommun"].pk}
    assert services.has_premeeting_consent(case, on=today)
    uncovered = services.uncovered_parties(case, orgs.values(), on=today, premeeting=True)
    assert names(uncovered) == ["Arbetsförmedlingen", "Försäkringskassan"]


def test_several_consents_cover_the_union_of_their_parties(case, orgs):
    ConsentFactory(case=case, form="written", organisations=[orgs["af"]])
    ConsentFactory(case=case, form="oral", organisations=[orgs["fk"], orgs["af"]])
    assert services.covered_organisation_ids(case, on=TODAY()) == {orgs["af"].pk, orgs["fk"].pk}
    assert names(services.uncovered_parties(case, orgs.values(), on=TODAY())) == ["Sävsjö kommun"]


def test_another_cases_consent_covers_nothing_here(case, orgs):
    ConsentFactory(case=CaseFactory(area=case.area), organisations=list(orgs.values()))
    assert services.covered_organisation_ids(case, on=TODAY()) == set()


# --- the smaller rules --------------------------------------------------------------------------


def test_caseworkers_may_record_consent_not_the_administrator_role_alone(db):
    assert services.can_record_consent(UserFactory(is_caseworker=True))
    assert services.can_record_consent(UserFactory(is_caseworker=True, is_administrator=True))
    assert not services.can_record_consent(UserFactory(is_caseworker=False, is_administrator=True))
    assert not services.can_record_consent(UserFactory(is_caseworker=False))


def test_given_on_may_be_today_but_not_tomorrow():
    today = TODAY()
    services.check_given_on(today)
    with pytest.raises(ValidationError):
        services.check_given_on(today + timedelta(days=1))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n", ("pdf", "application/pdf")),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", ("jpg", "image/jpeg")),
        (b"\x89PNG\r\n\x1a\n\x00", ("png", "image/png")),
        (b"MZ\x90\x00\x03\x00", None),
        ("Hej, det här är text".encode(), None),
        (b"", None),
    ],
)
def test_document_type_is_read_from_the_first_bytes(content, expected):
    assert services.document_type(content) == expected


def test_check_document_refuses_more_than_10_mb():
    upload = SimpleUploadedFile("stor.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        services.check_document(upload)
    assert error.value.messages == ["Filen är för stor (högst 10 MB)."]
    exactly = SimpleUploadedFile("lagom.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 - 5))
    assert services.check_document(exactly) == ("pdf", "application/pdf")
    assert exactly.tell() == 0
