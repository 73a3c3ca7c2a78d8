"""The chat edge's WebSocket routes.

Only the agent console is signed in (session cookie → user); the citizen's
socket is known by the token in its first frame, so it skips the session and
auth middleware and the per-socket memory they cost.
"""

from channels.auth import AuthMiddlewareStack
from django.urls import URLPattern, path

from chat.console.consumer import AgentConsoleConsumer
from chat.console.worklist import WorklistConsumer
from chat.consumers import CitizenChatConsumer

websocket_urlpatterns: list[URLPattern] = [
    path("ws/chat/", CitizenChatConsumer.as_asgi(), name="ws_chat"),
    path("ws/agent/", AuthMiddlewareStack(AgentConsoleConsumer.as_asgi()), name="ws_agent"),
    path("ws/work/", AuthMiddlewareStack(WorklistConsumer.as_asgi()), name="ws_work"),
]
