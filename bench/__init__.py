"""Nidaa's load generator and benchmark harness (``make bench``).

Everything here targets 127.0.0.1 only, is bounded in connections and time,
and stops by itself. See ``bench/README.md`` for the layout.
"""
