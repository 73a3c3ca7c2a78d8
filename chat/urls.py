from django.urls import path

from chat import views

app_name = "chat"

urlpatterns = [
    path("api/status", views.status, name="status"),
    path("api/session", views.session_start, name="session"),
    path("api/message", views.leave_message, name="leave_message"),
    path("api/upload", views.upload, name="upload"),
]
