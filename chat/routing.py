from django.urls import URLPattern, path

from chat.consumers import CitizenChatConsumer

websocket_urlpatterns: list[URLPattern] = [
    path("ws/chat/", CitizenChatConsumer.as_asgi(), name="ws_chat"),
]
