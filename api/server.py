"""The HTTP server's own refusals as problem+json too.

A request line or headers that the HTTP parser cannot take (an over-long URL, for
example) never reach the app: uvicorn answers them itself, in plain text. These protocol
classes answer the same refusal (400, connection closed) as a problem instead.
``lienket serve`` runs uvicorn with ``HTTP_PROTOCOL``.
"""

from __future__ import annotations

import importlib.util

from uvicorn.protocols.http.h11_impl import H11Protocol

from api.problems import PROBLEM_MEDIA_TYPE, Problem

UNPARSABLE = "the request line or headers could not be read (a URL or header longer than the server takes?)"


def bad_request() -> bytes:
    """A complete HTTP/1.1 400 answer holding a problem, closing the connection."""
    body = Problem(title="Bad Request", status=400, detail=UNPARSABLE).model_dump_json().encode()
    head = (f"HTTP/1.1 400 Bad Request\r\ncontent-type: {PROBLEM_MEDIA_TYPE}\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n")
    return head.encode("ascii") + body


class ProblemH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, answering unreadable requests with a problem."""

    def send_400_response(self, msg: str) -> None:
        self.transport.write(bad_request())
        self.transport.close()


if importlib.util.find_spec("httptools") is not None:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class ProblemHttpToolsProtocol(HttpToolsProtocol):
        """uvicorn's httptools protocol (the faster parser), answering unreadable requests with a problem."""

        def send_400_response(self, msg: str) -> None:
            self.transport.write(bad_request())
            self.transport.close()

    HTTP_PROTOCOL: type[H11Protocol] | type[HttpToolsProtocol] = ProblemHttpToolsProtocol
else:
    HTTP_PROTOCOL = ProblemH11Protocol
