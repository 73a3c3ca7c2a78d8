"""Supervisors' privacy pages, under ``/supervisor/``."""

from django.urls import path

from helpdesk.privacy import views

urlpatterns = [
    path("audit/", views.audit, name="privacy_audit"),
    path("contacts/", views.contacts, name="privacy_contacts"),
    path("contacts/<int:contact_id>/", views.contact_record, name="privacy_contact"),
    path(
        "contacts/<int:contact_id>/export/",
        views.contact_export_download,
        name="privacy_contact_export",
    ),
    path(
        "contacts/<int:contact_id>/erase/",
        views.contact_erase_confirm,
        name="privacy_contact_erase",
    ),
]
