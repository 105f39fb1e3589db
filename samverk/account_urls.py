"""The parts of django-allauth's account URLs Samverk serves (under konto/).

Not ``include("allauth.urls")``: that would also serve e-mail address management (a user
changing the address that password resets go to) and confirmation links Samverk does not
use. allauth reverses its own names (account_login, account_signup, ...), so they stay.
"""

from allauth.account import views
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
]
