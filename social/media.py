"""Download what citizens attach, in the worker: a size cap, retries, and a reason when not.

A file that cannot be had costs the citizen the file, never the message: the
caller keeps the link, the type and the reason in the message text.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import requests
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from helpdesk.inbound import InboundAttachment
from social.parsing import MediaRef

logger = logging.getLogger(__name__)

# Answers after which asking again may help.
TRANSIENT_STATUSES = {408, 425, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Fetched:
    ref: MediaRef
    attachment: InboundAttachment | None
    why: str = ""


class _Transient(Exception):
    pass


class _Refused(Exception):
    pass


def _download(session: requests.Session, ref: MediaRef) -> InboundAttachment:
    cap = settings.NIDAA_SOCIAL_MEDIA_MAX_BYTES
    too_large = _("the file is larger than %(cap)s") % {"cap": filesizeformat(cap)}
    try:
        with session.get(
            ref.url, stream=True, timeout=settings.NIDAA_SOCIAL_HTTP_TIMEOUT
        ) as response:
            if response.status_code in TRANSIENT_STATUSES:
                raise _Transient(
                    _("the server answered %(status)s") % {"status": response.status_code}
                )
            if response.status_code != 200:
                raise _Refused(
                    _("the server answered %(status)s") % {"status": response.status_code}
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                raise _Refused(
                    _("the file is %(size)s, larger than %(cap)s")
                    % {"size": filesizeformat(int(declared)), "cap": filesizeformat(cap)}
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > cap:
                    raise _Refused(too_large)
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "application/octet-stream")
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise _Transient(
            _("the link could not be opened (%(error)s)") % {"error": type(exc).__name__}
        ) from exc
    except requests.RequestException as exc:
        raise _Refused(
            _("the link could not be read (%(error)s)") % {"error": type(exc).__name__}
        ) from exc
    return InboundAttachment(
        content=b"".join(chunks),
        content_type=content_type.split(";")[0].strip(),
        filename=ref.url.rsplit("/", 1)[-1].split("?")[0][:100],
        external_url=ref.url,
    )


def media_fetch(ref: MediaRef, *, session: requests.Session) -> Fetched:
    """Fetch one file, retrying what may pass (timeouts, 5xx, 429), never past the cap."""
    attempts = settings.NIDAA_SOCIAL_MEDIA_ATTEMPTS
    why = ""
    for attempt in range(1, attempts + 1):
        try:
            return Fetched(ref, _download(session, ref))
        except _Refused as exc:
            why = str(exc)
            break
        except _Transient as exc:
            why = str(exc)
            if attempt < attempts:
                time.sleep(settings.NIDAA_SOCIAL_MEDIA_RETRY_SECONDS * 2 ** (attempt - 1))
    logger.warning("media %s not kept: %s", ref.url, why)
    return Fetched(ref, None, why)


def media_note(ref: MediaRef, why: str) -> str:
    """The line a message keeps for a file it could not keep."""
    return _("Attachment not kept (%(kind)s, %(why)s): %(url)s") % {
        "kind": ref.kind,
        "why": why,
        "url": ref.url,
    }
