"""Baseline servers that speak the bench relay protocol (see ``bench/clients.py``).

- ``ws_relay``: a bare ``websockets`` server, the floor Python allows;
- ``channels_relay``: a minimal Channels project on Daphne, with no channel layer
  (relay through process memory) or with the Redis channel layer (groups).

The relay protocol: a client sends ``{"op": "join", "room": R}`` and is answered
``{"op": "joined", "room": R}``; any other frame naming a room is forwarded, as
the same text, to every other socket in that room.
"""
