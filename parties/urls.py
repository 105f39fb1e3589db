from django.urls import path

from .views import contacts, documents, transfer, units

app_name = "parties"

urlpatterns = [
    path("", contacts.AreaListView.as_view(), name="area_list"),
    path("<slug:area_slug>/", contacts.ContactListView.as_view(), name="contact_list"),
    path("<slug:area_slug>/ny/", contacts.ContactCreateView.as_view(), name="contact_create"),
    path(
        "<slug:area_slug>/<int:pk>/andra/",
        contacts.ContactUpdateView.as_view(),
        name="contact_update",
    ),
    path(
        "<slug:area_slug>/<int:pk>/aktiv/",
        contacts.ContactActiveView.as_view(),
        name="contact_set_active",
    ),
    path(
        "<slug:area_slug>/bekrafta/",
        contacts.ConfirmContactListView.as_view(),
        name="contact_list_confirm",
    ),
    path("<slug:area_slug>/enheter/", units.UnitListView.as_view(), name="unit_list"),
    path("<slug:area_slug>/enheter/ny/", units.UnitCreateView.as_view(), name="unit_create"),
    path(
        "<slug:area_slug>/installningar/",
        units.AreaSettingsView.as_view(),
        name="area_settings",
    ),
    path(
        "<slug:area_slug>/enheter/<int:pk>/andra/",
        units.UnitUpdateView.as_view(),
        name="unit_update",
    ),
    path("<slug:area_slug>/import/", transfer.ImportUploadView.as_view(), name="contact_import"),
    path(
        "<slug:area_slug>/import/<str:token>/",
        transfer.ImportPreviewView.as_view(),
        name="contact_import_preview",
    ),
    path(
        "<slug:area_slug>/export.<str:file_format>",
        transfer.ExportView.as_view(),
        name="contact_export",
    ),
    path(
        "<slug:area_slug>/kontaktlista.pdf",
        documents.ContactListPdfView.as_view(),
        name="contact_list_pdf",
    ),
]
