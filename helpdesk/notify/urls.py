from django.urls import path

from helpdesk.notify import views

urlpatterns = [
    path("sms/dlr/<str:token>/", views.sms_delivery_report, name="sms_delivery_report"),
    path("sms/inbound/<str:token>/", views.sms_inbound, name="sms_inbound"),
]
