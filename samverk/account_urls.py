"""The parts of django-allauth's account URLs Samverk serves (under konto/).

Not ``include("allauth.urls")``: that would also serve e-mail address management (a user
changing the address that password resets go to) and confirmation links Samverk does not
use. allauth reverses its own names (account_login, account_signup, ...), so they stay.
"""

from allauth.account import views
from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_views
from allauth.mfa.totp import views as totp_views
from allauth.mfa.webauthn import views as webauthn_views
from django.urls import path, re_path

urlpatterns = [
    # Signup is closed (parties.accounts.AccountAdapter): the page says accounts are made
    # by administrators.
    path("ny/", views.signup, name="account_signup"),
    path("inaktivt/", views.account_inactive, name="account_inactive"),
    path("bekrafta/", views.reauthenticate, name="account_reauthenticate"),
    path("losenord/", views.password_change, name="account_change_password"),
    path("losenord/nytt/", views.password_set, name="account_set_password"),
    path("aterstall/", views.password_reset, name="account_reset_password"),
    path("aterstall/skickat/", views.password_reset_done, name="account_reset_password_done"),
    re_path(
        r"^aterstall/nyckel/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        views.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path(
        "aterstall/klart/",
        views.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
    # The second factor (allauth.mfa), under konto/tvafaktor/ with Swedish addresses; the
    # views and names are allauth's (it reverses them). No passkey login or trust-this-browser.
    path("tvafaktor/", mfa_views.index, name="mfa_index"),
    path("tvafaktor/verifiera/", mfa_views.authenticate, name="mfa_authenticate"),
    path("tvafaktor/bekrafta/", mfa_views.reauthenticate, name="mfa_reauthenticate"),
    path("tvafaktor/app/aktivera/", totp_views.activate_totp, name="mfa_activate_totp"),
    path("tvafaktor/app/ta-bort/", totp_views.deactivate_totp, name="mfa_deactivate_totp"),
    path(
        "tvafaktor/aterstallningskoder/",
        recovery_views.view_recovery_codes,
        name="mfa_view_recovery_codes",
    ),
    path(
        "tvafaktor/aterstallningskoder/nya/",
        recovery_views.generate_recovery_codes,
        name="mfa_generate_recovery_codes",
    ),
    path(
        "tvafaktor/aterstallningskoder/ladda-ner/",
        recovery_views.download_recovery_codes,
        name="mfa_download_recovery_codes",
    ),
    path("tvafaktor/nycklar/", webauthn_views.list_webauthn, name="mfa_list_webauthn"),
    path("tvafaktor/nycklar/ny/", webauthn_views.add_webauthn, name="mfa_add_webauthn"),
    path(
        "tvafaktor/nycklar/bekrafta/",
        webauthn_views.reauthenticate_webauthn,
        name="mfa_reauthenticate_webauthn",
    ),
    path(
        "tvafaktor/nycklar/<int:pk>/ta-bort/",
        webauthn_views.remove_webauthn,
        name="mfa_remove_webauthn",
    ),
    path(
        "tvafaktor/nycklar/<int:pk>/byt-namn/",
        webauthn_views.edit_webauthn,
        name="mfa_edit_webauthn",
    ),
]
