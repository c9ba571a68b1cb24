"""Documents by URL: fetched over HTTP(S) with httpx, with a timeout and a size cap.

The server's content type is a hint for the reader (a web page may not say what it is
in its first bytes); the bytes themselves decide for PDFs, Word files and images. The
URL is the document's name, so every fact's source points back to it.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass

import httpx

from ingest.document import BadDocument
from ingest.readers import limits

URL_SCHEMES = ("http://", "https://")
USER_AGENT = "lienket/0.1 (document ingest)"


@dataclass
class Download:
    url: str
    data: bytes
    content_type: str


def is_url(text: str) -> bool:
    return text.lower().startswith(URL_SCHEMES)


def private_addresses_allowed() -> bool:
    """Whether a server may fetch URLs on its own network (LIENKET_FETCH_PRIVATE=1); off by default."""
    return os.environ.get("LIENKET_FETCH_PRIVATE", "") == "1"


def _public_only(request: httpx.Request) -> None:
    """Refuse a request (the first, or one a redirect leads to) to a loopback, private or reserved
    address: an API that fetches what its callers name must not reach into its own network."""
    host = request.url.host
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, request.url.port or 443)}
    except socket.gaierror:
        raise BadDocument(f"the host {host!r} is not known") from None
    if not all(ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses):
        raise BadDocument(f"the host {host!r} is on a private or local network: refused "
                          "(LIENKET_FETCH_PRIVATE=1 allows it)")


def fetch(url: str, public_only: bool = False) -> Download:
    """The body of a URL; BadDocument when the server fails, is too slow or sends too much.
    With ``public_only`` (the API), addresses on private or local networks are refused."""
    timeout, max_bytes = limits.DOWNLOAD_TIMEOUT_SECONDS, limits.MAX_DOWNLOAD_BYTES
    hooks = {"request": [_public_only]} if public_only and not private_addresses_allowed() else {}
    try:
        with httpx.Client(follow_redirects=True, timeout=httpx.Timeout(timeout), event_hooks=hooks,
                          headers={"User-Agent": USER_AGENT}) as client, client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise BadDocument(f"the server answered HTTP {response.status_code} {response.reason_phrase}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise BadDocument(f"{int(declared):,} bytes announced: more than the {max_bytes:,}-byte download limit "
                                  "(LIENKET_MAX_DOWNLOAD_BYTES)")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise BadDocument(f"more than the {max_bytes:,}-byte download limit (LIENKET_MAX_DOWNLOAD_BYTES)")
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    except httpx.TimeoutException:
        raise BadDocument(f"no complete answer within {timeout:g} s (LIENKET_DOWNLOAD_TIMEOUT)") from None
    except httpx.HTTPError as exc:
        raise BadDocument(f"cannot be fetched: {type(exc).__name__}: {exc}") from None
    return Download(url=url, data=bytes(body), content_type=content_type)
