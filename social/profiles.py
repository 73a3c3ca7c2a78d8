"""What the worker asks the platforms about a citizen's message: who wrote it, and its files."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import requests

from helpdesk.models import Channel, ContactIdentity
from social.adapters import SocialApiError
from social.adapters.facebook import FacebookApi
from social.adapters.x import XApi
from social.models import FacebookPage, XAccount
from social.parsing import Incoming

logger = logging.getLogger(__name__)


def display_name_lookup(*, channel: str, owner: str, user_id: str) -> str:
    """The sender's name: cached on the identity, else asked of the platform once.

    Messenger webhooks and X DMs name only a numeric id; agents should see a name.
    """
    known = (
        ContactIdentity.objects.filter(channel=channel, external_id=user_id)
        .values_list("display_name", flat=True)
        .first()
    )
    if known:
        return known
    try:
        if channel == Channel.X:
            account = XAccount.objects.filter(user_id=owner).first()
            if account is None:
                return ""
            return XApi.from_environment(account.credentials_prefix).user_name(user_id)
        page = FacebookPage.objects.filter(page_id=owner).first()
        if page is None:
            return ""
        api = FacebookApi.from_environment(page_id=page.page_id, token_variable=page.token_variable)
        return api.user_name(user_id)
    except SocialApiError as exc:
        logger.info("no display name for %s user %s: %s", channel, user_id, exc)
        return ""


@contextmanager
def media_session(incoming: Incoming) -> Iterator[requests.Session]:
    """A session for the item's media: signed as the account when the platform requires it."""
    with requests.Session() as session:
        if incoming.inbound.channel == Channel.X and any(m.authenticated for m in incoming.media):
            account = XAccount.objects.filter(user_id=incoming.owner).first()
            try:
                if account is not None:
                    session.auth = XApi.from_environment(account.credentials_prefix).oauth1()
            except SocialApiError as exc:
                logger.warning("DM media of @%s fetched unsigned: %s", account, exc)
        yield session
