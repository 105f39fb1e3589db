from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("nytt/", views.CaseCreateView.as_view(), name="create"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/andra/", views.CaseUpdateView.as_view(), name="update"),
    path("<int:pk>/personnummer/", views.RevealPersonnummerView.as_view(), name="personnummer"),
    path("<int:pk>/avsluta/", views.CaseCloseView.as_view(), name="close"),
    path("<int:pk>/historik/", views.CaseHistoryView.as_view(), name="history"),
    path("<int:pk>/dela/", views.ShareView.as_view(), name="share"),
    path("<int:pk>/dela/forslag/", views.ShareSuggestionsView.as_view(), name="share_suggestions"),
    path(
        "<int:pk>/dela/<int:grant_pk>/aterkalla/",
        views.WithdrawShareView.as_view(),
        name="share_withdraw",
    ),
    path("<int:pk>/atkomst/", views.AccessListView.as_view(), name="access"),
]
