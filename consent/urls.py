from django.urls import path

from . import views

app_name = "consent"

# Included at arenden/<int:case_pk>/samtycken/ (samverk/urls.py).
urlpatterns = [
    path("", views.ConsentListView.as_view(), name="list"),
    path("nytt/", views.ConsentCreateView.as_view(), name="create"),
    path("<int:pk>/aterkalla/", views.ConsentRevokeView.as_view(), name="revoke"),
    path("<int:pk>/dokument/", views.ConsentDocumentView.as_view(), name="document"),
]
