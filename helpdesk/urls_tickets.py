"""URLs of the ticket pages, the public pages and the REST API v1."""

from django.urls import path

from helpdesk import api, views_public, views_tickets, views_tourism

urlpatterns = [
    # public, no login
    path("report/", views_public.report, name="report"),
    path("report/thanks/", views_public.report_thanks, name="report_thanks"),
    path("status/", views_public.status, name="public_status"),
    # the tourism desk: public door, and the officials' read-only workspace
    path("tourism/", views_tourism.tourism_home, name="tourism_home"),
    path("tourism/rate/<slug:code>/", views_tourism.tourism_rate, name="tourism_rate"),
    path("tourism/suggest/", views_tourism.tourism_suggest, name="tourism_suggest"),
    path("tourism/official/", views_tourism.tourism_workspace, name="tourism_workspace"),
    path(
        "tourism/official/establishments/<slug:code>/",
        views_tourism.tourism_establishment,
        name="tourism_establishment",
    ),
    # staff
    path("tickets/", views_tickets.ticket_list, name="ticket_list"),
    path("tickets/new/", views_tickets.ticket_new, name="ticket_new"),
    path("tickets/<int:ticket_id>/", views_tickets.ticket_detail, name="ticket_detail"),
    path("tickets/<int:ticket_id>/act/", views_tickets.ticket_act, name="ticket_act"),
    path("tickets/<int:ticket_id>/forward/", views_tickets.ticket_forward, name="ticket_forward"),
    path("tickets/<int:ticket_id>/resolve/", views_tickets.ticket_resolve, name="ticket_resolve"),
    path(
        "tickets/<int:ticket_id>/callback/", views_tickets.ticket_callback, name="ticket_callback"
    ),
    path(
        "tickets/<int:ticket_id>/classify/", views_tickets.ticket_classify, name="ticket_classify"
    ),
    path("tickets/<int:ticket_id>/notes/", views_tickets.ticket_note, name="ticket_note"),
    path("dispatch/", views_tickets.dispatcher, name="dispatcher"),
    path("section/", views_tickets.section_workspace, name="section_workspace"),
    path("partner/", views_tickets.partner_workspace, name="partner_workspace"),
    path("partner/callback/", views_tickets.partner_callback, name="partner_callback"),
    # REST API v1 (django-ninja; described at /api/schema/)
    path("api/v1/", api.api.urls),
]
