from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from common.views import keepalive

from . import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
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
    path("admin/", admin.site.urls),
    # Delivery-tracking webhooks of the mail provider (anymail's, namespace "anymail");
    # no login: they check the provider's signature or basic auth.
    path("anymail/", include("outbox.urls")),
]
