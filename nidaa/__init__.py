"""The Django project: settings, the ASGI application, URLs and WebSocket routes.

It wires the core (``helpdesk``) and the edges (``chat``, ``social``, ``bots``,
``demo``) together; nothing in the core imports it.
"""
