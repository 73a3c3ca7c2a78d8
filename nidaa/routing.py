"""Every WebSocket route of the project, each under ``/ws/``.

This is project wiring (like ``urls.py``): the edges contribute their routes;
the core domain modules never import the edges.
"""

from chat.routing import websocket_urlpatterns as chat_routes

websocket_urlpatterns = [*chat_routes]
