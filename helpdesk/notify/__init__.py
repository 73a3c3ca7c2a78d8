"""Notifications to citizens, partner agencies and staff: transports, words, tasks.

The decisions (who is told what, on which channel, retries) are services in
``helpdesk.services.notifications``; this package holds the pieces they use.
"""
