from allauth.account import views as account_views
from django.contrib import admin
from django.urls import include, path

from common.views import keepalive
from parties.sso import allow_sso_form_action

from . import health, views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    # For the load balancer and monitoring: JSON, no login, no personal data (samverk.health).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # allauth's login and logout under the names and addresses the pages have always used;
    # the rest of allauth that Samverk uses (password reset and change) under konto/.
    # The login page's "Logga in med <organisation>" buttons post to konto/sso/, which
    # redirects to the identity provider: its CSP form-action allows them.
    path("logga-in/", allow_sso_form_action(account_views.login), name="login"),
    path("logga-in/", allow_sso_form_action(account_views.login), name="account_login"),
    path("logga-ut/", account_views.logout, name="logout"),
    path("logga-ut/", account_views.logout, name="account_logout"),
    # The admin signs in through the same login (and, later, the same second factor).
    path("admin/login/", views.admin_login, name="admin_login"),
    path("konto/", include("samverk.account_urls")),
    # Single sign-on per organisation (OpenID Connect, SAML 2.0): allauth's socialaccount.
    path("konto/sso/", include("samverk.sso_urls")),
    # Pinged by open meeting and plan pages so a session does not expire while someone writes.
    path("hall-inloggad/", keepalive, name="keepalive"),
    path("kontakter/", include("parties.urls")),
    path("arenden/", include("cases.urls")),
    # Reaches every app, so it is the project's (samverk.registerutdrag), not cases'.
    path(
        "arenden/<int:pk>/registerutdrag.pdf",
        views.RegisterutdragView.as_view(),
        name="registerutdrag",
    ),
    path("arenden/<int:case_pk>/samtycken/", include("consent.urls")),
    path("", include("meetings.urls")),
    path("", include("plans.urls")),
    # The Samverk groups' own work (issue 18): groups, rosters, group meetings.
    path("grupper/", include("groups.urls")),
    # The area's own handlingsplan, and its public page (omrade/<area>/, no login).
    path("", include("areaplans.urls")),
    # Following up collaboration (issue 19): avvikelser.
    path("uppfoljning/", include("followup.urls")),
    path("admin/", admin.site.urls),
    # Delivery-tracking webhooks of the mail provider (anymail's, namespace "anymail");
    # no login: they check the provider's signature or basic auth.
    path("anymail/", include("outbox.urls")),
]
