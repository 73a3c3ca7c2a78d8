"""The core's URLs: staff home and workspaces, tickets, reports, public pages and the APIs.

No edge's URLs: ``nidaa/urls.py`` puts these beside the chat's, the console's and
social media's."""

from django.urls import include, path

from helpdesk.api import open311 as open311_api
from helpdesk.api import schema as api_schema
from helpdesk.api import v1 as api_v1
from helpdesk.privacy import views as privacy_views
from helpdesk.views import public, reports, site, tickets, tourism

urlpatterns = [
    path("", site.site_home, name="site_home"),
    path("home/", site.home, name="home"),
    path("workspace/", site.workspace, name="workspace"),
    path("reports/", reports.reports_page, name="reports"),
    path("reports/export/<slug:table>.csv", reports.reports_export, name="reports_export"),
    path("healthz", site.healthz, name="healthz"),
    path("supervisor/", include("helpdesk.privacy.urls")),
    path("privacy/", privacy_views.privacy_notice, name="privacy_notice"),
    path("files/<str:token>", site.attachment, name="attachment"),
    path("notify/", include("helpdesk.notify.urls")),
    # public, no login
    path("report/", public.report, name="report"),
    path("report/thanks/", public.report_thanks, name="report_thanks"),
    path("status/", public.status, name="public_status"),
    # the tourism desk: public door, and the officials' read-only workspace
    path("tourism/", tourism.tourism_home, name="tourism_home"),
    path("tourism/rate/<slug:code>/", tourism.tourism_rate, name="tourism_rate"),
    path("tourism/suggest/", tourism.tourism_suggest, name="tourism_suggest"),
    path("tourism/official/", tourism.tourism_workspace, name="tourism_workspace"),
    path(
        "tourism/official/establishments/<slug:code>/",
        tourism.tourism_establishment,
        name="tourism_establishment",
    ),
    # staff
    path("tickets/", tickets.ticket_list, name="ticket_list"),
    path("tickets/new/", tickets.ticket_new, name="ticket_new"),
    path("tickets/<int:ticket_id>/", tickets.ticket_detail, name="ticket_detail"),
    path("tickets/<int:ticket_id>/act/", tickets.ticket_act, name="ticket_act"),
    path("tickets/<int:ticket_id>/forward/", tickets.ticket_forward, name="ticket_forward"),
    path("tickets/<int:ticket_id>/resolve/", tickets.ticket_resolve, name="ticket_resolve"),
    path("tickets/<int:ticket_id>/callback/", tickets.ticket_callback, name="ticket_callback"),
    path("tickets/<int:ticket_id>/classify/", tickets.ticket_classify, name="ticket_classify"),
    path("tickets/<int:ticket_id>/notes/", tickets.ticket_note, name="ticket_note"),
    path("dispatch/", tickets.dispatcher, name="dispatcher"),
    path("section/", tickets.section_workspace, name="section_workspace"),
    path("partner/", tickets.partner_workspace, name="partner_workspace"),
    path("partner/callback/", tickets.partner_callback, name="partner_callback"),
    # REST API v1 (django-ninja; described at /api/schema/)
    path("api/v1/", api_v1.api.urls),
    path("open311/", open311_api.api.urls),
    path("api/schema/", api_schema.api_schema, name="api_schema"),
    path("api/docs/", api_schema.api_docs, name="api_docs"),
]
