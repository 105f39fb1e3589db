from django.urls import path

from .views import plans, public

app_name = "areaplans"

base = "handlingsplaner/<slug:area_slug>/"
year = base + "<int:year>/"

urlpatterns = [
    path("omrade/<slug:area_slug>/", public.PublicAreaView.as_view(), name="public"),
    path(base, plans.PlanListView.as_view(), name="plan_list"),
    path(year, plans.PlanDetailView.as_view(), name="plan"),
    path(year + "handlingsplan.pdf", plans.PlanPdfView.as_view(), name="plan_pdf"),
    path(year + "kommentar/", plans.CommentUpdateView.as_view(), name="comment"),
    path(year + "mal/ny/", plans.GoalCreateView.as_view(), name="goal_create"),
    path(year + "mal/<int:pk>/", plans.GoalUpdateView.as_view(), name="goal_update"),
    path(year + "mal/<int:pk>/ta-bort/", plans.GoalDeleteView.as_view(), name="goal_delete"),
    path(
        year + "mal/<int:goal_pk>/aktivitet/ny/",
        plans.ActivityCreateView.as_view(),
        name="activity_create",
    ),
    path(year + "aktivitet/<int:pk>/", plans.ActivityUpdateView.as_view(), name="activity_update"),
    path(
        year + "aktivitet/<int:pk>/ta-bort/",
        plans.ActivityDeleteView.as_view(),
        name="activity_delete",
    ),
    path(year + "versioner/ny/", plans.VersionCreateView.as_view(), name="version_create"),
    path(year + "versioner/<int:number>/", plans.VersionDetailView.as_view(), name="version"),
    path(
        year + "versioner/<int:number>/handlingsplan.pdf",
        plans.PlanPdfView.as_view(),
        name="version_pdf",
    ),
]
