from django.urls import URLPattern, path

from chat.consumers import CitizenChatConsumer
from chat.consumers_agent import AgentConsoleConsumer

websocket_urlpatterns: list[URLPattern] = [
    path("ws/chat/", CitizenChatConsumer.as_asgi(), name="ws_chat"),
]
websocket_urlpatterns.append(path("ws/agent/", AgentConsoleConsumer.as_asgi(), name="ws_agent"))
