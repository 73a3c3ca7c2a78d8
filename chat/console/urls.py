"""The console's and the supervisor's pages (their sockets are in ``chat/routing.py``)."""

from django.urls import path

from chat.console import views

urlpatterns = [
    path("console/", views.console, name="console"),
    path("console/upload/", views.console_upload, name="console_upload"),
    path("supervisor/", views.supervisor, name="supervisor"),
    path("supervisor/wallboard.json", views.supervisor_wallboard, name="wallboard"),
    path("supervisor/reassign/", views.supervisor_reassign, name="supervisor_reassign"),
    path("supervisor/pick/", views.supervisor_pick, name="supervisor_pick"),
]
