"""Every URL of the project: the core's, then each edge's, then the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from helpdesk.login_throttle import ThrottledAuthenticationForm

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=ThrottledAuthenticationForm,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("chat/", include("chat.urls")),
    path("", include("chat.console.urls")),
    path("", include("helpdesk.urls")),
    path("social/", include("social.urls")),
    path("admin/", admin.site.urls),
]
