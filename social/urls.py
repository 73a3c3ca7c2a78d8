from django.urls import path

from social import views

app_name = "social"

urlpatterns = [
    path("facebook/webhook", views.facebook_webhook, name="facebook_webhook"),
    path("x/webhook", views.x_webhook, name="x_webhook"),
]
