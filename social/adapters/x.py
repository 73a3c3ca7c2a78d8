"""X (Twitter) API v2 through tweepy: read mentions and DMs, post replies and DMs."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from typing import Any, TypeVar

import requests
import tweepy
from django.conf import settings
from requests_oauthlib import OAuth1

from social.adapters import SocialApiError
from social.http import RebasedSession

OFFICIAL_API_URL = "https://api.twitter.com"

MENTION_PARAMS: dict[str, Any] = {
    "expansions": ["author_id", "attachments.media_keys"],
    "media_fields": ["url", "type"],
    "tweet_fields": ["conversation_id", "created_at", "in_reply_to_user_id", "author_id"],
    "user_fields": ["username", "name"],
    "max_results": 100,
}
DM_PARAMS: dict[str, Any] = {
    "dm_event_fields": [
        "id",
        "text",
        "event_type",
        "created_at",
        "dm_conversation_id",
        "sender_id",
        "attachments",
    ],
    "event_types": "MessageCreate",
    "expansions": ["sender_id", "attachments.media_keys"],
    "media_fields": ["url", "type"],
    "user_fields": ["username", "name"],
    "max_results": 100,
}

T = TypeVar("T")


def x_client(*, access_token: str, access_token_secret: str) -> tweepy.Client:
    """A tweepy client whose requests go to the configured API host (NIDAA_X_API_URL)."""
    client = tweepy.Client(
        consumer_key=settings.NIDAA_X_CONSUMER_KEY,
        consumer_secret=settings.NIDAA_X_CONSUMER_SECRET,
        access_token=access_token,
        access_token_secret=access_token_secret,
        return_type=dict,
    )
    # tweepy.BaseClient.request hardcodes https://api.twitter.com but sends
    # through ``self.session``: this is where the host is chosen.
    client.session = RebasedSession(official=OFFICIAL_API_URL, base=settings.NIDAA_X_API_URL)
    return client


class XApi:
    """One X account's view of the API, authenticated as that account (OAuth 1.0a)."""

    def __init__(self, *, access_token: str, access_token_secret: str) -> None:
        self.access_token = access_token
        self.access_token_secret = access_token_secret
        self.client = x_client(access_token=access_token, access_token_secret=access_token_secret)

    def oauth1(self) -> OAuth1:
        """The account's signature for requests outside the client (DM media on ton.x.com)."""
        return OAuth1(
            settings.NIDAA_X_CONSUMER_KEY,
            settings.NIDAA_X_CONSUMER_SECRET,
            self.access_token,
            self.access_token_secret,
        )

    @classmethod
    def from_environment(cls, credentials_prefix: str) -> XApi:
        token = os.environ.get(f"{credentials_prefix}_ACCESS_TOKEN", "")
        secret = os.environ.get(f"{credentials_prefix}_ACCESS_TOKEN_SECRET", "")
        if not (
            token and secret and settings.NIDAA_X_CONSUMER_KEY and settings.NIDAA_X_CONSUMER_SECRET
        ):
            raise SocialApiError(
                f"X credentials missing: set X_CONSUMER_KEY, X_CONSUMER_SECRET, "
                f"{credentials_prefix}_ACCESS_TOKEN and {credentials_prefix}_ACCESS_TOKEN_SECRET",
                permanent=True,
                reason="not_configured",
            )
        return cls(access_token=token, access_token_secret=secret)

    def me(self) -> dict[str, Any]:
        response = self._call(lambda: self.client.get_me(user_fields=["username", "name"]))
        return dict(response.get("data") or {})

    def user_name(self, user_id: str) -> str:
        response = self._call(
            lambda: self.client.get_user(
                id=user_id, user_fields=["username", "name"], user_auth=True
            )
        )
        return str((response.get("data") or {}).get("name") or "")

    def mentions_page(
        self, *, user_id: str, since_id: str = "", pagination_token: str = ""
    ) -> dict[str, Any]:
        params = dict(MENTION_PARAMS)
        if since_id:
            params["since_id"] = since_id
        if pagination_token:
            params["pagination_token"] = pagination_token
        return self._call(lambda: self.client.get_users_mentions(user_id, user_auth=True, **params))

    def dm_events_page(self, *, pagination_token: str = "") -> dict[str, Any]:
        params = dict(DM_PARAMS)
        if pagination_token:
            params["pagination_token"] = pagination_token
        return self._call(lambda: self.client.get_direct_message_events(**params))

    def post_reply(self, *, text: str, in_reply_to_tweet_id: str) -> str:
        response = self._call(
            lambda: self.client.create_tweet(text=text, in_reply_to_tweet_id=in_reply_to_tweet_id)
        )
        return str(response["data"]["id"])

    def send_dm(self, *, participant_id: str, text: str) -> str:
        response = self._call(
            lambda: self.client.create_direct_message(participant_id=participant_id, text=text)
        )
        return str(response["data"]["dm_event_id"])

    @staticmethod
    def _call(request: Callable[[], T]) -> T:
        try:
            return request()
        except tweepy.TooManyRequests as exc:
            reset = getattr(exc, "reset_time", None)
            retry_at = datetime.datetime.fromtimestamp(reset, tz=datetime.UTC) if reset else None
            raise SocialApiError(
                "X rate limit reached", permanent=False, reason="rate_limited", retry_at=retry_at
            ) from exc
        except tweepy.TwitterServerError as exc:
            raise SocialApiError(f"X server error: {exc}", permanent=False) from exc
        except (tweepy.Unauthorized, tweepy.Forbidden) as exc:
            raise SocialApiError(f"X refused: {exc}", permanent=True, reason="forbidden") from exc
        except tweepy.NotFound as exc:
            raise SocialApiError(f"X: not found: {exc}", permanent=True, reason="gone") from exc
        except tweepy.HTTPException as exc:
            raise SocialApiError(f"X rejected the request: {exc}", permanent=True) from exc
        except requests.RequestException as exc:
            raise SocialApiError(f"X unreachable: {exc}", permanent=False) from exc
