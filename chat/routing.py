from django.urls import URLPattern, path

from chat.consumers_agent import AgentConsoleConsumer

websocket_urlpatterns: list[URLPattern] = []
websocket_urlpatterns.append(path("ws/agent/", AgentConsoleConsumer.as_asgi(), name="ws_agent"))
