"""The second factor in Chromium (issue 14): enrol an authenticator app from the key the page
shows (codes computed with pyotp), log out, log in with password and code; a wrong and a
replayed code are refused, each recovery code works once. A security key through Chromium's
virtual authenticator (CDP WebAuthn domain). The admin only after the code. MFA_REQUIRED is
on in these tests, so a handläggare without a factor is first sent to enrol.

The live server is http://localhost:<port>: a WebAuthn RP ID is a host name, never an IP
address, and http://localhost is the one origin without TLS browsers allow it on."""

import re

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import expect

from parties.models import SecurityEvent
from tests.factories import UserFactory

PASSWORD = "lösenord-för-test"
CODE_LABEL = "Ange koden från din autentiseringsapp"
WRONG_CODE = "Felaktig kod"


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED = True


def password_step(page, username):
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def code_step(page, code):
    expect(page.get_by_role("heading", name="Logga in: andra steget")).to_be_visible()
    page.get_by_label(CODE_LABEL).fill(code)
    page.get_by_role("button", name="Logga in").click()


def confirm_password(page):
    # allauth asks for the password again before any change to the factors.
    expect(page.get_by_role("heading", name="Bekräfta att det är du")).to_be_visible()
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Bekräfta").click()


def log_out(page):
    page.get_by_role("button", name="Logga ut", exact=True).click()
    expect(page.get_by_label("Lösenord")).to_be_visible()


def refused(page):
    expect(page.get_by_text(WRONG_CODE)).to_be_visible()
    expect(page.get_by_role("button", name="Logga ut", exact=True)).to_have_count(0)


def test_enrol_an_app_then_log_in_with_its_codes_and_the_recovery_codes(
    live_server, open_page, required, a11y, screenshot
):
    user = UserFactory(username="hanna", is_caseworker=True)
    page = open_page()
    password_step(page, "hanna")
    # Sent to enrol, with the reason, from wherever the login was going.
    expect(page.get_by_role("heading", name="Tvåstegsverifiering", exact=True)).to_be_visible()
    expect(page.get_by_text("måste skyddas med tvåstegsverifiering")).to_be_visible()
    page.get_by_role("link", name="Mina ärenden", exact=True).click()
    expect(page.get_by_role("heading", name="Tvåstegsverifiering", exact=True)).to_be_visible()
    a11y.check(page)
    screenshot(page, "mfa-index")

    page.get_by_role("link", name="Lägg till autentiseringsapp").click()
    a11y.check(page)
    screenshot(page, "mfa-reauthenticate")
    confirm_password(page)
    qr = page.get_by_role("img", name=re.compile("QR-kod"))
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # the SVG data: URI rendered
    secret = page.get_by_label("Nyckel att skriva in i appen").input_value()
    totp = pyotp.TOTP(secret)
    a11y.check(page)
    screenshot(page, "mfa-activate-totp")
    page.get_by_label(CODE_LABEL).fill("000000")
    page.get_by_role("button", name="Aktivera").click()
    expect(page.get_by_text(WRONG_CODE)).to_be_visible()
    page.get_by_label(CODE_LABEL).fill(totp.now())
    page.get_by_role("button", name="Aktivera").click()

    expect(page.get_by_role("heading", name="Återställningskoder")).to_be_visible()
    expect(page.get_by_text("Autentiseringsappen är tillagd")).to_be_visible()
    recovery = page.get_by_label("Oanvända koder").input_value().split()
    assert len(recovery) == 10
    a11y.check(page)
    screenshot(page, "mfa-recovery-codes")
    page.get_by_role("link", name="Översikt").click()
    expect(page.get_by_role("heading", name="Tvåstegsverifiering", exact=True)).to_have_count(0)
    log_out(page)

    # Password and the app's code; a wrong code first.
    password_step(page, "hanna")
    a11y.check(page)
    screenshot(page, "mfa-authenticate")
    code_step(page, "000000")
    refused(page)
    code = totp.now()
    code_step(page, code)
    expect(page.get_by_role("button", name="Logga ut", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))
    log_out(page)

    # The same code again (the same 30 s window): refused.
    password_step(page, "hanna")
    code_step(page, code)
    refused(page)

    # A recovery code in the same field: once.
    code_step(page, recovery[0])
    expect(page.get_by_role("button", name="Logga ut", exact=True)).to_be_visible()
    log_out(page)
    password_step(page, "hanna")
    code_step(page, recovery[0])
    refused(page)
    code_step(page, recovery[1])
    expect(page.get_by_role("button", name="Logga ut", exact=True)).to_be_visible()
    page.get_by_role("link", name="Tvåstegsverifiering").click()
    expect(page.get_by_text("8 av 10 återställningskoder är oanvända")).to_be_visible()
    a11y.assert_clean()

    kinds = list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds.count(SecurityEvent.Kind.MFA_ADDED) == 1
    assert kinds.count(SecurityEvent.Kind.MFA_FAILED) == 3
    assert kinds.count(SecurityEvent.Kind.LOGIN) == 4


def add_virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def test_add_a_security_key_then_log_in_with_it(live_server, open_page, required, screenshot):
    assert live_server.url.startswith("http://localhost:")
    UserFactory(username="kerstin", is_caseworker=True)
    page = open_page()
    cdp, authenticator = add_virtual_authenticator(page)
    password_step(page, "kerstin")
    page.get_by_role("link", name="Lägg till säkerhetsnyckel").click()
    confirm_password(page)
    expect(page.get_by_role("heading", name="Lägg till säkerhetsnyckel")).to_be_visible()
    page.get_by_label("Nyckelns namn").fill("Blå nyckeln")
    screenshot(page, "mfa-add-key")
    page.get_by_role("button", name="Lägg till", exact=True).click()
    expect(page.get_by_text("Säkerhetsnyckeln är tillagd")).to_be_visible()
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(credentials["credentials"]) == 1
    page.goto("/konto/tvafaktor/nycklar/")
    expect(page.get_by_role("cell", name="Blå nyckeln", exact=True)).to_be_visible()
    screenshot(page, "mfa-keys")
    log_out(page)

    password_step(page, "kerstin")
    expect(page.get_by_role("heading", name="Logga in: andra steget")).to_be_visible()
    page.get_by_role("button", name="Använd säkerhetsnyckel").click()
    expect(page.get_by_role("button", name="Logga ut", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))
    signs = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert signs["credentials"][0]["signCount"] >= 1


def test_a_security_key_the_site_does_not_know_is_refused(live_server, open_page, required):
    user = UserFactory(username="kerstin", is_caseworker=True)
    TOTP.activate(user, pyotp.random_base32())  # a factor, but no key
    page = open_page()
    add_virtual_authenticator(page)  # empty: no credential for this site
    password_step(page, "kerstin")
    page.get_by_role("button", name="Använd säkerhetsnyckel").click()
    expect(page.get_by_text("Säkerhetsnyckeln användes inte")).to_be_visible()
    expect(page.get_by_role("button", name="Logga ut", exact=True)).to_have_count(0)


def test_the_admin_only_after_the_code(live_server, open_page, required):
    staff = UserFactory(username="admin-anna", is_caseworker=False, is_staff=True)
    staff.is_superuser = True
    staff.save()
    totp = pyotp.TOTP(pyotp.random_base32())
    TOTP.activate(staff, totp.secret)
    page = open_page()
    page.goto("/admin/")
    expect(page.get_by_label("Lösenord")).to_be_visible()  # our login, not the admin's
    page.get_by_label("Användarnamn").fill("admin-anna")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Logga in: andra steget")).to_be_visible()
    page.goto("/admin/")  # not logged in until the code: the second step again
    expect(page.get_by_role("heading", name="Logga in: andra steget")).to_be_visible()
    expect(page.get_by_role("link", name="Säkerhetslogg")).to_have_count(0)
    code_step(page, totp.now())
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("link", name="Säkerhetslogg")).to_be_visible()


def test_the_admin_without_a_factor_is_sent_to_enrol(live_server, open_page, required):
    UserFactory(username="admin-bo", is_caseworker=False, is_staff=True, is_superuser=True)
    page = open_page()
    page.goto("/admin/")
    page.get_by_label("Användarnamn").fill("admin-bo")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Tvåstegsverifiering", exact=True)).to_be_visible()
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Tvåstegsverifiering", exact=True)).to_be_visible()
