"""Single sign-on's addresses (under konto/sso/): the parts of allauth's socialaccount that
Samverk serves, not ``include("allauth.urls")`` (see samverk/account_urls.py).

- OpenID Connect: oidc/<provider_id>/login/ (the login page's button posts here) and
  oidc/<provider_id>/login/callback/ (the redirect URI an administrator gives the IdP);
- SAML 2.0: saml/<client id>/login/, acs/, acs/finish/, sls/, metadata/;
- allauth's cancelled and error pages. There is no social signup form: a login placed in
  its organisation signs up without one (parties.sso), any other is refused.

The OIDC login view answers with a Content-Security-Policy whose form-action allows the
identity providers (parties.sso.oidc_login), so the confirm page's form may redirect there,
and with the Swedish error page when the provider cannot be reached.
"""

from allauth.account import views as account_views
from allauth.socialaccount import views as social_views
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from allauth.socialaccount.providers.saml import urls as saml_urls
from django.urls import include, path

from parties import saml
from parties.sso import oidc_login

urlpatterns = [
    path(
        "oidc/<str:provider_id>/login/",
        oidc_login,
        name="openid_connect_login",
    ),
    path(
        "oidc/<str:provider_id>/login/callback/",
        oidc_views.callback,
        name="openid_connect_callback",
    ),
    # Before allauth's SAML URLs: its acs/finish/ with a replayed response refused (401), and
    # both it and the SP metadata answering in Swedish while the IdP's metadata URL is down.
    path(
        "saml/<str:organization_slug>/acs/finish/",
        saml.finish_acs,
        name="saml_finish_acs",
    ),
    path(
        "saml/<str:organization_slug>/metadata/",
        saml.sp_metadata,
        name="saml_metadata",
    ),
    path("", include(saml_urls)),
    path("avbruten/", social_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("fel/", social_views.login_error, name="socialaccount_login_error"),
    # Reached only if allauth could not sign a placed login up by itself: the closed page.
    path("ny/", account_views.signup, name="socialaccount_signup"),
]
