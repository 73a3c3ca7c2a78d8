from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from helpdesk import api_schema, open311_api, report_views, views, views_console
from helpdesk.login_throttle import ThrottledAuthenticationForm
from helpdesk.privacy import views as privacy_views

urlpatterns = [
    path("", views.site_home, name="site_home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("chat/", include("chat.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=ThrottledAuthenticationForm,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("home/", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
    path("reports/", report_views.reports_page, name="reports"),
    path("reports/export/<slug:table>.csv", report_views.reports_export, name="reports_export"),
    path("healthz", views.healthz, name="healthz"),
    path("console/", views_console.console, name="console"),
    path("console/upload/", views_console.console_upload, name="console_upload"),
    path("supervisor/", views_console.supervisor, name="supervisor"),
    path("supervisor/wallboard.json", views_console.supervisor_wallboard, name="wallboard"),
    path("supervisor/reassign/", views_console.supervisor_reassign, name="supervisor_reassign"),
    path("supervisor/pick/", views_console.supervisor_pick, name="supervisor_pick"),
    path("supervisor/", include("helpdesk.privacy.urls")),
    path("privacy/", privacy_views.privacy_notice, name="privacy_notice"),
    path("files/<str:token>", views.attachment, name="attachment"),
    path("notify/", include("helpdesk.notify.urls")),
    path("", include("helpdesk.urls_tickets")),
    path("admin/", admin.site.urls),
    path("social/", include("social.urls")),
    path("open311/", open311_api.api.urls),
    path("api/schema/", api_schema.api_schema, name="api_schema"),
    path("api/docs/", api_schema.api_docs, name="api_docs"),
]
