"""The app's URLs plus the HTTP load bench's reference pages (bench.settings only)."""

from django.urls import path

from samverk.urls import urlpatterns as app_urlpatterns

from . import views

urlpatterns = [
    *app_urlpatterns,
    path("bench/baslinje/", views.baseline, name="bench_baseline"),
    path("bench/sidgolv/<int:pk>/", views.page_floor, name="bench_page_floor"),
]
